"""No text of a widget's figure (titles, axis and tick labels, legends) is cut by its edge."""

import matplotlib.text
import pytest

from linreg_helpers.widgets.dashboard import TrainingDashboard
from linreg_helpers.widgets.explorer import LandscapeExplorer


def cut_texts(figure) -> list[str]:
    """The drawn texts of ``figure`` (by axes part) whose extent leaves the figure."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    box = figure.bbox
    parts = [("figure text " + repr(t.get_text()), t) for t in figure.texts]
    for i, ax in enumerate(figure.axes):
        parts += [(f"axes {i} {what}", artist) for what, artist in (
            ("title", ax.title), ("x axis (ticks, label)", ax.xaxis),
            ("y axis (ticks, label)", ax.yaxis), ("legend", ax.get_legend()))]
        parts += [(f"axes {i} text {t.get_text()!r}", t) for t in ax.texts]
    cut = []
    for what, artist in parts:
        if artist is None or not artist.get_visible():
            continue
        if isinstance(artist, matplotlib.text.Text) and not artist.get_text().strip():
            continue
        extent = (artist.get_tightbbox(renderer) if hasattr(artist, "get_tightbbox")
                  else artist.get_window_extent(renderer))
        if extent is None:
            continue
        if (extent.x0 < box.x0 - 0.5 or extent.x1 > box.x1 + 0.5
                or extent.y0 < box.y0 - 0.5 or extent.y1 > box.y1 + 0.5):
            cut.append(f"{what} at {[round(v) for v in extent.extents]} "
                       f"(figure {round(box.width)}×{round(box.height)})")
    return cut


STATES = [
    {},  # the lesson's run
    {"lr": 0.5},  # exploded: log-scaled loss axis
    {"lr": 0.062, "epochs": 1000},  # slow growth, long epoch axis
    {"reduction": "mean", "optimizer": "Adam", "lr": 0.3},
]


@pytest.mark.parametrize("state", STATES)
def test_dashboard_figure_text_stays_inside(state):
    dash = TrainingDashboard()
    try:
        for name, value in state.items():
            getattr(dash, name).value = value
        assert not cut_texts(dash.figure), cut_texts(dash.figure)
    finally:
        dash.close()


@pytest.mark.parametrize("state", STATES[:2] + [{"w0": -1.0, "b0": 3.0, "epochs": 300}])
def test_landscape_figure_text_stays_inside(state):
    explorer = LandscapeExplorer()
    for name, value in state.items():
        getattr(explorer, name).value = value
    assert not cut_texts(explorer.figure), cut_texts(explorer.figure)


def test_a_cut_text_is_found():
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots(figsize=(3, 2))
    ax.set_ylabel("a label")
    figure.tight_layout()
    assert not cut_texts(figure)
    ax.set_position([0.0, 0.1, 0.9, 0.8])  # no room left for the y axis' ticks and label
    assert any("y axis" in cut for cut in cut_texts(figure))
    ax.set_title("a title much too long for a figure only three inches wide, so it is cut")
    assert any("title" in cut for cut in cut_texts(figure))
    plt.close(figure)

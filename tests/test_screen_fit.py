"""linreg_helpers.widgets.screen_fit: CSS that scales the widgets' figures to the browser's room.

The browser tests (test_layout.py) check the result on screen; these check what the kernel
sends: rules confined to their widget, the sizes they allow at the issue's screen sizes, the
picture's CSS, and the static picture of a non-live figure.
"""

import re

import matplotlib.pyplot as plt
import pytest

from linreg_helpers.plotting import show_fitted
from linreg_helpers.widgets import dashboard
from linreg_helpers.widgets import explorer as landscape
from linreg_helpers.widgets.dashboard import TrainingDashboard
from linreg_helpers.widgets.explorer import LandscapeExplorer
from linreg_helpers.widgets.screen_fit import (
    CSS_DPI,
    FIGURE_CLASS,
    JUPYTERLAB_BARS_PX,
    controls_css,
    figure_css,
    figure_pixels,
    style_widget,
)

#: Notebook view heights measured in JupyterLab (viewport height less its bars) and the
#: widths of a notebook's output area there with the file browser open (test_layout.py).
LAPTOP_VIEW_PX = (640 - JUPYTERLAB_BARS_PX, 690 - JUPYTERLAB_BARS_PX)
OUTPUT_WIDTH_PX = {1366: 934, 1280: 848, 1920: 1488}


def _selectors(css: str) -> list[str]:
    return [part.strip() for rule in re.findall(r"([^{}]+)\{[^{}]*\}", css)
            for part in rule.split(",")]


def _shown_width(css: str, viewport_height: int, room: float) -> float:
    """The figure's width that the CSS gives, evaluated the browser's way: the smallest of
    its full width, the room it has, and the width at which its height fills the view."""
    full = float(re.search(r"min\((?:100%, )?(\d+)px", css).group(1))
    reserved, ratio = re.search(r"calc\(\(100vh - (\d+)px\) \* ([\d.]+)\)", css).groups()
    return min(full, room, (viewport_height - int(reserved)) * float(ratio))


@pytest.fixture
def figure():
    fig = plt.figure(figsize=(6.4, 5.6))
    yield fig
    plt.close(fig)


def test_figure_pixels_are_figsize_times_the_css_dpi(figure):
    assert CSS_DPI == 100 and figure_pixels(figure) == (640, 560)
    figure.set_dpi(200)  # rendered with more pixels (HiDPI), shown at the same CSS size
    assert figure_pixels(figure) == (640, 560)


@pytest.mark.parametrize("basis", [None, 400])
def test_every_rule_stays_inside_its_widget(figure, basis):
    css = figure_css("linreg-x", figure, reserved_px=150, flex_basis_px=basis)
    css += "\n" + controls_css("linreg-x")
    selectors = _selectors(css)
    assert len(selectors) >= 4
    assert all(s.startswith(".linreg-x ") for s in selectors), selectors
    assert "aspect-ratio: 640 / 560" in css
    assert "calc((100vh - 150px) * 1.14286)" in css  # 640 / 560


@pytest.mark.parametrize("basis", [None, 400])
def test_the_picture_scales_by_plain_css(figure, basis):
    css = figure_css("linreg-x", figure, reserved_px=150, flex_basis_px=basis)
    (rule,) = re.findall(r"\.linreg-x img\.linreg-figure \{([^{}]*)\}", css)
    for declaration in ("height: auto", "max-height: calc(100vh - 150px)",
                        "object-fit: contain"):
        assert declaration in rule, rule
    assert ("width: 100%" if basis else "width: min(100%, 640px") in rule
    assert "max-width: " + ("min(640px" if basis else "640px") in rule


def test_the_dashboard_figure_is_full_size_on_a_desktop_and_fits_a_laptop():
    dash = TrainingDashboard()
    try:
        css = dash.widget.children[-1].value
        width, height = figure_pixels(dash.figure)
        assert (width, height) == tuple(round(inches * CSS_DPI) for inches in dashboard.FIGSIZE)
        beside = OUTPUT_WIDTH_PX[1920] - dashboard.COLUMN_PX - 12
        assert _shown_width(css, 1080, beside) == width  # not scaled on 1920×1080
        for view, viewport in zip(LAPTOP_VIEW_PX, (640, 690)):
            shown = _shown_width(css, viewport, OUTPUT_WIDTH_PX[1280] - dashboard.COLUMN_PX)
            assert shown * height / width <= view - 8, (viewport, shown)
            assert shown >= dashboard.FIGURE_MIN_PX
    finally:
        dash.close()


def test_the_explorer_figure_leaves_room_for_its_controls_and_status():
    explorer = LandscapeExplorer()
    try:
        css = explorer.widget.children[-1].value
        width, height = figure_pixels(explorer.figure)
        assert _shown_width(css, 1080, OUTPUT_WIDTH_PX[1920]) == width
        for view, viewport in zip(LAPTOP_VIEW_PX, (640, 690)):
            shown = _shown_width(css, viewport, OUTPUT_WIDTH_PX[1366])
            controls_and_status = landscape.FIGURE_RESERVE_PX - JUPYTERLAB_BARS_PX
            assert shown * height / width + controls_and_status <= view, (viewport, shown)
    finally:
        explorer.close()


def test_the_style_widget_is_hidden_and_carries_every_rule():
    widget = style_widget("a { color: red; }", "b { color: blue; }")
    assert widget.layout.display == "none"
    assert widget.value == "<style>\na { color: red; }\nb { color: blue; }\n</style>"


def test_the_live_widgets_carry_their_scope_and_figure_class():
    dash, explorer = TrainingDashboard(), LandscapeExplorer()
    try:
        for widget, scope in ((dash, dashboard.SCOPE), (explorer, landscape.SCOPE)):
            assert scope in widget.widget._dom_classes
            assert FIGURE_CLASS in widget.image._dom_classes
            assert widget.image in widget.widget.children
            assert f".{scope} img.{FIGURE_CLASS}" in widget.widget.children[-1].value
    finally:
        dash.close()
        explorer.close()


def test_show_fitted_shows_a_picture_and_closes_the_figure(figure, monkeypatch):
    shown = []
    monkeypatch.setattr("linreg_helpers.plotting.in_kernel", lambda: True)
    monkeypatch.setattr("IPython.display.display", shown.append)
    show_fitted(figure)
    assert not plt.fignum_exists(figure.number)
    (image,) = shown
    assert image.format == "png" and image.data.startswith(b"\x89PNG")
    assert image.data[16:24] == (640).to_bytes(4, "big") + (560).to_bytes(4, "big")


def test_show_fitted_outside_a_kernel_only_closes(figure, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", shown.append)
    show_fitted(figure)
    assert not plt.fignum_exists(figure.number) and not shown


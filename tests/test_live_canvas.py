"""linreg_helpers.widgets.live_canvas: the private names it needs, its frames, and its fallback."""

import asyncio
import io

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from fake_ipympl_browser import FakeBrowser, kernel_picture
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from linreg_helpers.widgets import live_canvas
from linreg_helpers.widgets.dashboard import COALESCE_DELAY, TrainingDashboard
from linreg_helpers.widgets.explorer import LandscapeExplorer
from linreg_helpers.widgets.live_canvas import (
    LiveCanvas,
    changed_in_browser,
    full_frame,
    in_kernel,
    is_layout_pass,
    missing_private_names,
    replace_figure_draw,
)


@pytest.fixture
def ipympl_backend():
    plt.switch_backend("module://ipympl.backend_nbagg")
    yield
    plt.switch_backend("Agg")


def _shows_last_state(browser: FakeBrowser, canvas) -> bool:
    FigureCanvasAgg.draw(canvas)  # the current state, rendered afresh (no frame sent)
    return np.array_equal(browser.picture(), kernel_picture(canvas))


def test_the_private_names_relied_on_are_all_there(ipympl_backend):
    missing = missing_private_names()
    assert not missing, (
        f"an upgrade removed private names that linreg_helpers/live_canvas.py relies on: "
        f"{', '.join(missing)}. The widgets now fall back to ipympl's public path (slower); "
        "adapt live_canvas.py to the new version and update the versions in its header.")


def test_a_missing_private_name_is_reported(ipympl_backend, monkeypatch):
    canvas = plt.figure().canvas
    monkeypatch.delattr(widgets.Widget, "_handle_custom_msg")
    assert missing_private_names(canvas) == ["ipympl Canvas._handle_custom_msg"]


def test_full_frame_is_the_whole_rendered_picture(ipympl_backend):
    with plt.ioff():
        figure, ax = plt.subplots(figsize=(3, 2))
    canvas = figure.canvas
    LiveCanvas(figure)
    ax.plot([0, 1], [1, 0])
    FigureCanvasAgg.draw(canvas)
    canvas._png_is_old = True
    png = full_frame(canvas)
    decoded = Image.open(io.BytesIO(png))
    assert decoded.mode == "RGB"  # opaque: no alpha channel to send
    assert np.array_equal(np.asarray(decoded.convert("RGBA")), kernel_picture(canvas))
    assert canvas._current_image_mode == "full"
    assert full_frame(canvas) is None  # nothing new rendered since
    figure.patch.set_alpha(0.0)  # a transparent figure keeps its alpha channel
    FigureCanvasAgg.draw(canvas)
    canvas._png_is_old = True
    transparent = Image.open(io.BytesIO(full_frame(canvas)))
    assert transparent.mode == "RGBA"
    assert np.array_equal(np.asarray(transparent), kernel_picture(canvas))


def test_without_the_private_names_the_public_path_still_draws(ipympl_backend, monkeypatch):
    monkeypatch.setattr(live_canvas, "missing_private_names", lambda canvas=None: ["x._y"])
    dash = TrainingDashboard()
    assert not dash._live.fast
    canvas = dash.figure.canvas
    browser = FakeBrowser(canvas)
    browser.settle()
    assert browser.frames > 0 and _shows_last_state(browser, canvas)

    async def from_the_browser():
        dash.lr.set_state({"value": 0.02})
        await asyncio.sleep(COALESCE_DELAY * 10)

    asyncio.run(from_the_browser())
    assert dash.history.weight[-1] != pytest.approx(2.0, abs=0.01)  # retrained at lr 0.02
    browser.settle()
    assert _shows_last_state(browser, canvas)
    dash.close()


def test_explorer_shows_its_last_state_when_frames_arrive_together(ipympl_backend):
    explorer = LandscapeExplorer()
    canvas = explorer.figure.canvas
    browser = FakeBrowser(canvas)
    browser.settle()
    explorer.w0.set_state({"value": 4.0})  # from the browser: the frame is pushed at once
    explorer.lr.value = 0.02  # from Python: the browser is asked to draw
    browser.resize(900, 400)
    browser.deliver_to_browser()  # frames arrive before any is decoded
    browser.deliver_to_kernel()
    browser.deliver_to_browser()
    browser.finish_decoding()
    browser.settle()
    assert _shows_last_state(browser, canvas)
    explorer.close()


def test_other_backends_get_a_static_image():
    with plt.ioff():
        figure = plt.figure()
    live = LiveCanvas(figure)
    assert isinstance(live.widget, widgets.Output) and not live.interactive
    live.show(push=True)  # outside a kernel: nothing to display, and no error
    assert not in_kernel()


def test_changed_in_browser_tells_browser_changes_from_python_ones():
    slider = widgets.FloatSlider()
    seen = []
    slider.observe(lambda change: seen.append(changed_in_browser(change)), names="value")
    slider.value = 1.0
    slider.set_state({"value": 2.0})
    assert seen == [False, True]


def test_layout_passes_are_recognised_and_the_figure_draw_replaced():
    with plt.ioff():
        figure = plt.figure()
    canvas = FigureCanvasAgg(figure)
    renderer = canvas.get_renderer()
    assert not is_layout_pass(renderer)
    with renderer._draw_disabled():  # what tight bbox and layout passes use
        assert is_layout_pass(renderer)
    calls = []
    original = replace_figure_draw(figure, lambda r: calls.append(r))
    canvas.draw()
    assert calls == [renderer] and callable(original)

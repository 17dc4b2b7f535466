"""linreg_helpers.widgets.frame: the figure drawn with Agg and shown as a PNG in a core widget,
on public API only, its updates coalesced onto one event loop."""

import ast
import asyncio
import base64
import io
import threading
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from linreg_helpers.widgets.dashboard import TrainingDashboard
from linreg_helpers.widgets.explorer import LandscapeExplorer
from linreg_helpers.widgets.frame import (
    RENDER_DPI,
    LiveFrame,
    UpdateScheduler,
    encode_png,
    live_figure,
)

PACKAGE = Path(__file__).resolve().parents[1] / "linreg_helpers"
#: What the old ipympl path (live_canvas.py) relied on: private names, and Figure.draw and
#: get_diff_image replaced per object.
OLD_PRIVATE_NAMES = ("_png_is_old", "_last_buff", "_data_url", "syncing_data_url",
                     "_handle_custom_msg", "get_diff_image", "set_image_mode", "_property_lock",
                     "_draw_disabled", "_cachedRenderer")


def _sources():
    return {path: path.read_text(encoding="utf-8") for path in PACKAGE.rglob("*.py")}


def test_no_private_name_of_a_library_is_used():
    """No ``obj._name`` on anything but the package's own objects (``self``, ``cls``), and
    none of the names the old ipympl path needed. IPython's ``_repr_*_`` protocol is public."""
    found = []
    for path, source in _sources().items():
        for name in OLD_PRIVATE_NAMES:
            if name in source:
                found.append(f"{path.name}: {name}")
        for node in ast.walk(ast.parse(source)):
            if not (isinstance(node, ast.Attribute) and node.attr.startswith("_")):
                continue
            if node.attr.startswith("__") or (node.attr.startswith("_repr_")
                                               and node.attr.endswith("_")):
                continue
            owner = node.value
            while isinstance(owner, ast.Attribute) and owner.attr.startswith("_"):
                owner = owner.value  # self._frame.lock: the package's own object
            if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
                continue
            found.append(f"{path.name}:{node.lineno}: .{node.attr}")
        found += [f"{path.name}: {line.strip()}" for line in source.splitlines()
                  if line.lstrip().startswith(("import ipympl", "from ipympl"))]
    assert not found, f"private names of libraries used: {found}"


def _replaced_methods(obj) -> list[str]:
    """Instance attributes that shadow a method of the object's class (a patched method)."""
    return [name for name, value in vars(obj).items()
            if callable(getattr(type(obj), name, None)) and callable(value)]


def _fresh_objects() -> dict:
    """What the libraries themselves set on new objects of each kind (RendererAgg binds its
    C renderer's methods on each instance): the baseline to compare with."""
    figure = Figure()
    canvas = FigureCanvasAgg(figure)
    ax = figure.subplots()
    (line,) = ax.plot([0, 1])
    canvas.draw()
    objects = (figure, canvas, canvas.get_renderer(), widgets.Image(), ax, line)
    return {type(obj): set(_replaced_methods(obj)) for obj in objects}


def test_no_library_method_is_replaced():
    baseline = _fresh_objects()
    dash, explorer = TrainingDashboard(), LandscapeExplorer()
    try:
        dash.lr.value = 0.5
        dash.lr.value = 0.51
        explorer.w0.value = 3.0
        for live in (dash, explorer):
            figure = live.figure
            objects = [figure, figure.canvas, figure.canvas.get_renderer(), live.image,
                       *figure.axes, *(line for ax in figure.axes for line in ax.lines)]
            for obj in objects:
                replaced = set(_replaced_methods(obj)) - baseline.get(type(obj), set())
                assert not replaced, (type(obj).__name__, replaced)
            assert type(figure).draw is Figure.draw and "draw" not in vars(figure)
            assert isinstance(live.image, widgets.Image) and live.image.format == "png"
    finally:
        dash.close()
        explorer.close()


def test_a_replaced_method_would_be_found():
    figure = Figure()
    figure.draw = lambda renderer: None
    assert _replaced_methods(figure) == ["draw"]


def test_live_figure_draws_with_agg_at_twice_the_css_pixels():
    figure = live_figure((3.0, 2.0))
    assert isinstance(figure.canvas, FigureCanvasAgg) and figure.dpi == RENDER_DPI == 200
    frame = LiveFrame(figure)
    assert frame.picture_png() is None  # nothing shown yet
    figure.subplots().plot([0, 1], [1, 0])
    frame.show()
    shown = Image.open(io.BytesIO(frame.image.value))
    assert shown.size == (600, 400) and shown.mode == "RGB"
    assert Image.open(io.BytesIO(frame.picture_png())).size == (300, 200)  # CSS size
    assert frame.frames == 1 and "linreg-figure" in frame.image._dom_classes


def test_encode_png_is_lossless_and_keeps_transparency():
    figure = live_figure((2.0, 1.5))
    figure.subplots().plot([0, 1, 2], [0, 2, 1])
    figure.canvas.draw()
    rgba = np.asarray(figure.canvas.buffer_rgba()).copy()
    opaque = Image.open(io.BytesIO(encode_png(rgba)))
    assert opaque.mode == "RGB" and np.array_equal(np.asarray(opaque), rgba[..., :3])
    figure.patch.set_alpha(0.0)
    figure.canvas.draw()
    clear = np.asarray(figure.canvas.buffer_rgba()).copy()
    transparent = Image.open(io.BytesIO(encode_png(clear)))
    assert transparent.mode == "RGBA" and np.array_equal(np.asarray(transparent), clear)


def test_without_a_running_loop_a_request_runs_at_once():
    runs = []
    scheduler = UpdateScheduler(lambda: runs.append(1))
    scheduler.request()
    scheduler.request()
    assert runs == [1, 1] and not scheduler.pending


def test_requests_on_a_loop_are_coalesced_and_can_be_cancelled():
    async def main():
        runs = []
        scheduler = UpdateScheduler(lambda: runs.append(threading.get_ident()), delay=0.002)
        for _ in range(5):
            scheduler.request()
        assert runs == [] and scheduler.pending
        await asyncio.sleep(0.02)
        assert len(runs) == 1
        scheduler.request()
        scheduler.cancel()  # an update ran from code meanwhile
        await asyncio.sleep(0.02)
        assert len(runs) == 1
        other = threading.Thread(target=scheduler.request)  # e.g. a subshell's callback
        other.start()
        other.join()
        await asyncio.sleep(0.02)
        return runs

    runs = asyncio.run(main())
    assert runs == [threading.get_ident()] * 2  # both on the loop's thread


def test_a_request_after_the_loop_closed_runs_at_once():
    runs = []

    async def make():
        return UpdateScheduler(lambda: runs.append(1))

    scheduler = asyncio.run(make())  # the loop is closed once asyncio.run returns
    scheduler.request()
    assert runs == [1]


@pytest.mark.parametrize("make", [TrainingDashboard, LandscapeExplorer])
def test_the_saved_picture_is_the_current_frame(make):
    live = make()
    try:
        frame = Image.open(io.BytesIO(live.image.value)).convert("RGB")
        bundle = live._repr_mimebundle_()
        assert set(bundle) >= {"text/plain", "image/png",
                               "application/vnd.jupyter.widget-view+json"}
        picture = Image.open(io.BytesIO(base64.b64decode(bundle["image/png"])))
        assert np.array_equal(np.asarray(picture.convert("RGB")), np.asarray(frame.reduce(2)))
    finally:
        live.close()

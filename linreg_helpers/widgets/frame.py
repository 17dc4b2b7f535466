"""The live widgets' figure: drawn with matplotlib's Agg in the kernel, shown as a PNG picture.

:class:`LiveFrame` holds a figure on an Agg canvas and one core ``ipywidgets.Image`` (class
``linreg-figure``): :meth:`LiveFrame.show` renders the figure and puts the whole frame, as a
PNG, into the image. Only public API of matplotlib, ipywidgets and Pillow is used, and no
library method is replaced (``tests/test_frame.py`` checks both), so the widgets need no
front-end extension beyond ipywidgets' own: JupyterLab, Notebook 7, Voilà, VS Code and a saved
notebook's widget state all show the picture. Every frame is a whole picture, so whatever
order frames arrive in, the last one shown is complete.

Sharp on a HiDPI screen: the PNG has :data:`RENDER_SCALE` times the figure's CSS pixels
(``figsize`` × :data:`CSS_DPI`), and the browser scales it to the room there is (screen_fit).

One thread draws at a time: matplotlib is not thread-safe, and with JupyterLab's "comms over
subshells" setting widget callbacks run in a thread beside the main one. A lock is held around
each render, and :class:`UpdateScheduler` moves every update requested by a control onto the
event loop of the thread that built the widget (the kernel's main loop).
"""

from __future__ import annotations

import asyncio
import struct
import threading
import zlib
from base64 import b64encode
from collections.abc import Callable
from io import BytesIO
from typing import Optional

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from linreg_helpers.widgets.screen_fit import CSS_DPI, FIGURE_CLASS

#: The PNG has this many pixels per CSS pixel (2: sharp on a 2× screen; see the benchmark).
RENDER_SCALE = 2
#: The dpi the live figures are drawn at.
RENDER_DPI = CSS_DPI * RENDER_SCALE


def live_figure(figsize: tuple[float, float]) -> Figure:
    """A figure for a live widget: on an Agg canvas of its own, at :data:`RENDER_DPI`.

    Not a pyplot figure: ``%matplotlib inline`` never shows it as a second picture, and the
    widget draws it with Agg whatever backend the notebook uses.
    """
    figure = Figure(figsize=figsize, dpi=RENDER_DPI)
    FigureCanvasAgg(figure)
    return figure


def png_rgb(rgb: np.ndarray) -> bytes:
    """An RGB image (height, width, 3 uint8, C-contiguous) as PNG: rows unfiltered, zlib
    level 1 — faster than Pillow's encoder for a figure's large plain areas, and about as
    small (``benchmarks/dashboard_latency.py`` measures both)."""
    height, width, _ = rgb.shape
    rows = np.empty((height, 1 + 3 * width), np.uint8)  # each row: filter type 0, then RGB
    rows[:, 0] = 0
    rows[:, 1:] = np.ascontiguousarray(rgb).reshape(height, 3 * width)  # contiguous rows
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    deflate = zlib.compressobj(1)
    data = deflate.compress(rows) + deflate.flush()
    return b"".join((b"\x89PNG\r\n\x1a\n", _chunk(b"IHDR", header), _chunk(b"IDAT", data),
                     _chunk(b"IEND", b"")))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def encode_png(rgba: np.ndarray) -> bytes:
    """A rendered frame (height, width, 4 uint8) as PNG: RGB when it is opaque, else RGBA.

    Pillow drops the alpha channel (in C, about 4× faster than NumPy's strided copy of three
    bytes in four) and tells whether the frame is opaque from the channel's extrema.
    """
    height, width, _ = rgba.shape
    frame = Image.frombuffer("RGBA", (width, height), np.ascontiguousarray(rgba), "raw",
                             "RGBA", 0, 1)
    if frame.getchannel("A").getextrema()[0] == 255:
        return png_rgb(np.asarray(frame.convert("RGB")))
    with BytesIO() as png:  # a transparent figure keeps its alpha channel
        frame.save(png, format="png", compress_level=1)
        return png.getvalue()


class LiveFrame:
    """``figure`` (on an Agg canvas) shown in ``image``, an ``ipywidgets.Image`` of class
    ``linreg-figure``. ``render`` draws the figure into its canvas (default: a full draw;
    the dashboard's blitting redraw is :meth:`~.live_history.LiveHistoryFigure.render`)."""

    def __init__(self, figure: Figure, render: Optional[Callable[[], None]] = None) -> None:
        if not isinstance(figure.canvas, FigureCanvasAgg):
            FigureCanvasAgg(figure)
        self.figure = figure
        self.canvas: FigureCanvasAgg = figure.canvas
        self._render = render or self.canvas.draw
        self.lock = threading.RLock()  # one render at a time, from any thread
        self.image = widgets.Image(format="png")
        self.image.add_class(FIGURE_CLASS)  # sized by the widget's screen_fit CSS
        self.frames = 0

    def show(self) -> None:
        """Render the current state and show it: one whole PNG frame in ``image``."""
        with self.lock:
            self._render()
            self.image.value = encode_png(np.asarray(self.canvas.buffer_rgba()))
            self.frames += 1

    def picture_png(self) -> Optional[bytes]:
        """The frame last shown, at CSS size (for front ends without widgets), or None."""
        if not self.image.value:
            return None
        with Image.open(BytesIO(self.image.value)) as shown:
            small = shown.reduce(RENDER_SCALE) if RENDER_SCALE > 1 else shown.copy()
        with BytesIO() as png:
            small.save(png, format="png", compress_level=6)
            return png.getvalue()


class UpdateScheduler:
    """Coalesces the updates requested by a widget's controls into one, run on one loop.

    :meth:`request` (from any thread) asks for one run of ``update``; requests made before it
    runs are covered by that one run, which reads the controls' values when it starts — so
    the last state always wins and no backlog of stale values is worked through. The runs
    happen on the event loop running where the scheduler was made (in a notebook: the
    kernel's main loop, also for callbacks that arrive on a subshell's thread). Without a
    running loop there (a script, a test), a request runs ``update`` at once.
    """

    def __init__(self, update: Callable[[], None], *, delay: float = 0.0) -> None:
        self._update = update
        self._delay = delay
        self._loop = _running_loop()
        self._lock = threading.Lock()
        self._pending = False

    @property
    def pending(self) -> bool:
        """Whether a requested run has not started yet."""
        return self._pending

    def request(self) -> None:
        """Ask for one run of ``update`` soon (see the class docstring)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            self._update()  # no loop to defer to: now (the update holds the frame's lock)
            return
        with self._lock:
            if self._pending:
                return
            self._pending = True
        try:
            loop.call_soon_threadsafe(self._arm)
        except RuntimeError:  # the loop closed meanwhile
            self.cancel()
            self._update()

    def cancel(self) -> None:
        """Drop a pending run (an update just ran with the current values)."""
        with self._lock:
            self._pending = False

    def _arm(self) -> None:
        if self._delay:
            self._loop.call_later(self._delay, self._run)
        else:
            self._run()

    def _run(self) -> None:
        with self._lock:
            if not self._pending:
                return
            self._pending = False
        self._update()


def _running_loop() -> Optional[asyncio.AbstractEventLoop]:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def png_data(png: bytes) -> str:
    """PNG bytes as a display bundle's ``image/png`` value (base64 text)."""
    return b64encode(png).decode("ascii")


def display_bundle(widget: widgets.Widget, frame: LiveFrame, **kwargs) -> Optional[dict]:
    """``widget``'s display bundle (its view), plus ``frame``'s last picture as ``image/png``
    for front ends without widgets (a saved notebook, GitHub, nbviewer)."""
    bundle = widget._repr_mimebundle_(**kwargs)
    picture = frame.picture_png()
    if bundle is not None and picture is not None:
        bundle = {**bundle, "image/png": png_data(picture)}
    return bundle


__all__ = ["CSS_DPI", "LiveFrame", "RENDER_DPI", "RENDER_SCALE", "UpdateScheduler",
           "display_bundle", "encode_png", "live_figure", "png_data", "png_rgb"]

"""The widgets' figure in the browser: an ipympl canvas that always ends up showing the last state.

Every use of a private name of ipympl, matplotlib or ipywidgets in this package is in this
module, so that an upgrade breaks in one known place. Checked against the pinned versions
matplotlib 3.11.2, ipympl 0.10.0, ipywidgets 8.1.9; ``tests/test_live_canvas.py`` fails
with a message naming the missing piece if an upgrade removes one:

* ipympl ``Canvas._png_is_old`` (the rendered pixels are newer than the last frame sent),
  ``Canvas._last_buff`` (the last frame's pixels; ipympl reads it while it stores a
  static picture), ``Canvas._data_url`` and ``Canvas.syncing_data_url`` (that static
  picture, and whether no browser has shown the canvas yet), ``Canvas._handle_custom_msg``
  (tests play the browser through it);
* matplotlib ``FigureCanvasWebAggCore.get_diff_image`` (replaced per canvas, see
  :func:`full_frame`), ``set_image_mode``;
* ipywidgets ``Widget._property_lock`` (non-empty while a change from the browser is
  applied: :func:`changed_in_browser`);
* matplotlib ``Figure.draw``, replaced per figure (:func:`replace_figure_draw`: the canvas
  calls ``figure.draw(renderer)``), and ``RendererBase._draw_disabled``, which marks the
  layout passes that draw nothing by setting ``draw_path`` on the renderer
  (:func:`is_layout_pass`) — both for :class:`~.plotting.HistoryFigure`'s fast redraw.

If one is missing, :class:`LiveCanvas` leaves the canvas to ipympl's public path
(``draw_idle``: the browser asks for each frame) — slower, but it still draws.

Why every frame is a full one (issue 15: "figure blank after Run All")
------------------------------------------------------------------------
ipympl's browser side keeps one ``<img>`` and one off-screen canvas per figure. matplotlib
sends "diff" frames — only the changed pixels, the rest transparent — to be painted over
whatever the off-screen canvas holds. The browser decodes each frame asynchronously; when
the next frame arrives before the previous one has decoded, ipympl points the ``<img>`` at
the new frame (and revokes the old one's URL), so the old frame is never painted. The
browser never says when a frame is painted: ipympl's own "waiting for a frame" flag is
cleared when a frame *arrives*. Logged in JupyterLab after Run All of 04 with one core
busy (4 blank of 12): the browser's first draw request is answered with a full frame F
(45 kB); the lr slider's view echoes its value rounded to its grid (0.05 →
0.04999999999999997); the dashboard retrains and pushes frame D, a diff of an identical
picture — fully transparent (6 kB); D arrives ~140 ms after F, before F has decoded on the
busy page; F is dropped, D is painted onto the empty off-screen canvas, and the figure stays
blank while the kernel believes the browser has it. Any diff that closely follows a full
frame can do this, and so can a resize, which clears the off-screen canvas and repaints
the last ``<img>`` (a diff, if that is what it holds).

So every frame sent is complete and opaque ("full" mode): whatever order frames, resizes,
draw requests and Python-side updates arrive in, the frame painted last is a whole picture,
and it is the newest one (frames go out in order; a newer one replaces an undecoded older
one). Opaque RGB, unfiltered, at zlib level 1 keeps it cheap (``benchmarks/dashboard_latency.py``).
"""

from __future__ import annotations

import struct
import types
import zlib
from base64 import b64encode
from collections.abc import Callable
from io import BytesIO
from typing import Optional

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from PIL import Image

from linreg_helpers.plotting import in_kernel
from linreg_helpers.widgets.screen_fit import FIGURE_CLASS

#: The private names relied on, per object: checked by :func:`missing_private_names`.
PRIVATE_NAMES = {
    "ipympl Canvas": ("_png_is_old", "_last_buff", "_data_url", "syncing_data_url",
                      "_handle_custom_msg", "get_diff_image", "set_image_mode"),
    "ipywidgets Widget": ("_property_lock",),
    "matplotlib RendererAgg": ("_draw_disabled",),
}


def missing_private_names(canvas: object = None) -> list[str]:
    """The private names this module relies on that an installed version lacks ([] if none)."""
    if canvas is None:
        from ipympl.backend_nbagg import Canvas

        canvas = Canvas(Figure())
    missing = [f"ipympl Canvas.{name}" for name in PRIVATE_NAMES["ipympl Canvas"]
               if not hasattr(canvas, name)]
    missing += [f"ipywidgets Widget.{name}" for name in PRIVATE_NAMES["ipywidgets Widget"]
                if not hasattr(widgets.Widget(), name)]
    missing += [f"matplotlib RendererAgg.{name}" for name in PRIVATE_NAMES["matplotlib RendererAgg"]
                if not hasattr(RendererAgg, name)]
    return missing


def replace_figure_draw(figure: Figure, draw: Callable) -> Callable:
    """Make the canvas draw ``figure`` with ``draw(renderer)``; returns the figure's own draw."""
    original = figure.draw
    figure.draw = draw
    return original


def is_layout_pass(renderer) -> bool:
    """Whether ``renderer`` is in one of matplotlib's layout passes that draw nothing
    (``_draw_disabled`` replaces its drawing methods on the instance)."""
    return "draw_path" in vars(renderer)


def full_frame(canvas) -> Optional[bytes]:
    """The next frame for the browser: always the whole picture (never a diff), or None.

    Stands in for matplotlib's ``get_diff_image`` (see the module's docstring for why).
    """
    if not canvas._png_is_old:
        return None
    pixels = np.asarray(canvas.get_renderer().buffer_rgba())
    canvas.set_image_mode("full")
    canvas._last_buff = pixels.view(np.uint32).squeeze(2).copy()
    canvas._png_is_old = False
    if (pixels[:, :, 3] == 255).all():
        return png_rgb(pixels[:, :, :3])
    with BytesIO() as png:  # a transparent figure: RGBA, through Pillow
        Image.fromarray(pixels).save(png, format="png", compress_level=1)
        return png.getvalue()


def png_rgb(rgb: np.ndarray) -> bytes:
    """An RGB image (height, width, 3 uint8) as PNG: rows unfiltered, zlib level 1 — a few
    times faster than Pillow's encoder (which tries filters on every row), about as small
    for a figure's large plain areas."""
    height, width, _ = rgb.shape
    rows = np.zeros((height, 1 + 3 * width), np.uint8)  # each row: filter type 0, then RGB
    rows[:, 1:] = rgb.reshape(height, -1)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"".join((b"\x89PNG\r\n\x1a\n", _chunk(b"IHDR", header),
                     _chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)), _chunk(b"IEND", b"")))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def changed_in_browser(change: dict) -> bool:
    """Whether a traitlets ``change`` of a widget came from the browser (not from Python)."""
    return bool(getattr(change["owner"], "_property_lock", None))


class LiveCanvas:
    """A figure's view: ipympl's canvas widget when that is the backend, else a static image.

    :meth:`show` puts the figure's current state on screen: with ipympl, ``push=True``
    renders and sends the frame at once (for changes made in the browser, where speed
    counts) once a browser view has initialised; otherwise the browser is asked to fetch
    it (``draw_idle``). Other backends show a fresh PNG in an ``Output`` (in a kernel).
    """

    def __init__(self, figure: Figure) -> None:
        self.figure = figure
        canvas = figure.canvas
        self.interactive = isinstance(canvas, widgets.DOMWidget)  # ipympl's canvas
        self.fast = False
        self.browser_shown = False  # a browser view has initialised: see _on_message
        if self.interactive:
            canvas.header_visible = canvas.footer_visible = canvas.resizable = False
            # The browser may show the figure scaled (screen_fit), and matplotlib would read
            # mouse positions as unscaled: no toolbar (zoom, pan) and no key shortcuts.
            canvas.toolbar_visible = False
            manager = getattr(canvas, "manager", None)
            if getattr(manager, "key_press_handler_id", None) is not None:
                canvas.mpl_disconnect(manager.key_press_handler_id)
                manager.key_press_handler_id = None
            self.widget = canvas
            self.fast = not missing_private_names(canvas)
            if self.fast:
                canvas.get_diff_image = types.MethodType(full_frame, canvas)
            canvas.on_msg(self._on_message)
        else:
            self.widget = widgets.Output()
        self.widget.add_class(FIGURE_CLASS)  # sized by the widget's screen_fit CSS

    def _on_message(self, _canvas, content: dict, _buffers) -> None:
        """Follow the browser: frames may be pushed once a view has initialised."""
        kind = content.get("type")
        if kind == "initialized":
            self.browser_shown = True
        elif kind == "closing":
            self.browser_shown = False

    def show(self, *, push: bool = False) -> None:
        """Put the figure's current state on screen (see the class docstring)."""
        if not self.interactive:
            if in_kernel():
                from IPython.display import display

                self.widget.clear_output(wait=True)
                with self.widget:
                    display(self.figure)
        elif push and self.fast and self.browser_shown:
            self.figure.canvas.draw()  # render, and send the full frame now
        else:
            self.figure.canvas.draw_idle()

    def store_picture(self) -> None:
        """Store a PNG for static views of a saved notebook, if no browser has shown it yet."""
        canvas = self.figure.canvas
        if self.interactive and getattr(canvas, "syncing_data_url", False):
            with BytesIO() as png:
                self.figure.savefig(png, format="png")
                canvas._data_url = "data:image/png;base64," + b64encode(png.getvalue()).decode()


__all__ = ["LiveCanvas", "PRIVATE_NAMES", "changed_in_browser", "full_frame",
           "is_layout_pass", "missing_private_names", "replace_figure_draw"]

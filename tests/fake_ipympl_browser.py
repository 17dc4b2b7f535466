"""A stand-in for ipympl's browser side (ipympl 0.10.0, src/mpl_widget.ts), for kernel-side tests.

It keeps what decides what the learner sees: the model's off-screen canvas, its one
``<img>`` (a frame is decoded asynchronously; a new frame replaces one still decoding, whose
URL ipympl revokes, so that one is never painted), the ``_size`` and ``_image_mode`` state,
the "waiting for an image" flag that gates draw requests, and the messages: on start
``refresh``, ``send_image_mode``, ``initialized``; ``draw`` asked by the kernel → a draw
request unless one is outstanding; ``resize`` → the off-screen canvas is resized (which
clears it), the last decoded frame repainted, ``refresh`` sent; a frame → decoding starts,
and on load a "full" frame is painted on a cleared canvas, a "diff" frame over it.

Messages travel in order in each direction; the test decides when each is delivered and
when a decoding finishes, so that any interleaving can be played deterministically.
"""

from __future__ import annotations

import io
import json

import numpy as np
from PIL import Image


class FakeBrowser:
    """One browser view of an ipympl canvas; ``picture()`` is what it shows (RGBA)."""

    def __init__(self, canvas) -> None:
        self.canvas = canvas
        self.to_browser: list[tuple[dict, list]] = []
        self.to_kernel: list[dict] = []
        self.size = tuple(canvas._size)  # the model starts from the kernel's state
        self.image_mode = canvas._image_mode
        self.offscreen = np.zeros((0, 0, 4), np.uint8)
        self.decoded = None  # the <img>'s last decoded frame
        self.decoding = None  # the frame the <img> is loading
        self.waiting_for_image = False
        self.frames = 0
        canvas._send = self._from_kernel  # every message the widget sends comes here
        self._resize_canvas()
        for kind in ("refresh", "send_image_mode", "initialized"):
            self.to_kernel.append({"type": kind})

    # -- the wire --------------------------------------------------------------------------
    def _from_kernel(self, msg: dict, buffers=None) -> None:
        self.to_browser.append((msg, list(buffers or [])))

    def deliver_to_browser(self, count: int | None = None) -> int:
        """Hand the next ``count`` (default: all) kernel messages to the browser."""
        done = 0
        while self.to_browser and (count is None or done < count):
            msg, buffers = self.to_browser.pop(0)
            self._on_message(msg, buffers)
            done += 1
        return done

    def deliver_to_kernel(self, count: int | None = None, *, order=None) -> int:
        """Hand browser messages to the kernel: the next ``count`` (default: all), or the
        waiting ones in the given ``order`` of indices (to replay a reordering)."""
        if order is not None:
            batch = [self.to_kernel[i] for i in order]
            self.to_kernel = [m for i, m in enumerate(self.to_kernel) if i not in order]
        else:
            n = len(self.to_kernel) if count is None else count
            batch, self.to_kernel = self.to_kernel[:n], self.to_kernel[n:]
        for content in batch:
            self.canvas._handle_custom_msg(content, [])
        return len(batch)

    def finish_decoding(self) -> bool:
        """The pending frame (if any) finishes loading and is painted (ipympl's onload)."""
        if self.decoding is None:
            return False
        self.decoded, self.decoding = self.decoding, None
        if self.image_mode == "full":
            self.offscreen[...] = 0
        self._paint(self.decoded)
        return True

    def settle(self, rounds: int = 50) -> None:
        """Deliver everything and finish every decoding until nothing moves."""
        for _ in range(rounds):
            moved = self.deliver_to_browser() + self.deliver_to_kernel()
            if not (self.finish_decoding() or moved):
                return
        raise AssertionError("the kernel and the browser never stopped exchanging messages")

    # -- the browser's model ---------------------------------------------------------------
    def _on_message(self, msg: dict, buffers: list) -> None:
        if msg["method"] == "update":
            state = msg["state"]
            if "_image_mode" in state:
                self.image_mode = state["_image_mode"]
            if "_size" in state:
                self.size = tuple(state["_size"])
                self._resize_canvas()
            return
        data = json.loads(msg["content"]["data"])
        kind = data["type"]
        if kind == "draw" and not self.waiting_for_image:
            self.waiting_for_image = True
            self.to_kernel.append({"type": "draw"})
        elif kind == "resize":
            self._resize_canvas()
            self.to_kernel.append({"type": "refresh"})
        elif kind == "binary":
            # handle_binary: a new frame replaces one still decoding (never painted)
            self.decoding = np.asarray(Image.open(io.BytesIO(bytes(buffers[0]))).convert("RGBA"))
            self.waiting_for_image = False
            self.frames += 1

    def _resize_canvas(self) -> None:
        """Setting a canvas' size clears it; ipympl then repaints the last decoded frame."""
        width, height = (int(v) for v in self.size)
        self.offscreen = np.zeros((height, width, 4), np.uint8)
        if self.decoded is not None:
            self._paint(self.decoded)

    def _paint(self, frame: np.ndarray) -> None:
        """drawImage: opaque pixels cover, transparent ones leave what is there."""
        height = min(frame.shape[0], self.offscreen.shape[0])
        width = min(frame.shape[1], self.offscreen.shape[1])
        region, src = self.offscreen[:height, :width], frame[:height, :width]
        region[...] = np.where(src[..., 3:] > 0, src, region)

    def resize(self, width: int, height: int) -> None:
        """The view asks for another size (ipympl's model.resize)."""
        self.to_kernel.append({"type": "resize", "width": width, "height": height})

    def picture(self) -> np.ndarray:
        return self.offscreen.copy()


def kernel_picture(canvas) -> np.ndarray:
    """The pixels the kernel last rendered for the figure (RGBA)."""
    return np.asarray(canvas.get_renderer().buffer_rgba()).copy()

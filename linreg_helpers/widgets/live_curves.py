"""Loss curves drawn while a training loop runs (notebook 08): the training and validation
loss, epoch by epoch, from the loop itself.

The loop calls :meth:`LiveLossCurves.add` after each epoch; the thread that trains draws, and
nothing ticks in the background, so nothing is left running when the cell ends. A frame is
drawn at most every ``interval`` seconds, and always for the last epoch: drawing costs a
bounded share of the training, however fast the epochs are. Like the other live widgets it is
a picture (:class:`~.frame.LiveFrame`), and a saved notebook shows its last frame.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Optional

import ipywidgets as widgets

from linreg_helpers.i18n import get_language, text
from linreg_helpers.settings import as_whole_number
from linreg_helpers.widgets.frame import LiveFrame, display_bundle, live_figure
from linreg_helpers.widgets.screen_fit import JUPYTERLAB_BARS_PX, fit_style

#: The class of the widget's box (its CSS is scoped to it).
SCOPE = "linreg-curves"
#: The figure's size (inches): 640 × 320 CSS pixels.
FIGSIZE = (6.4, 3.2)
#: The shortest time between two frames (seconds): at most 10 frames per second.
FRAME_INTERVAL = 0.1


class LiveLossCurves:
    """The training (and validation) loss per epoch of a run of ``epochs``, on a log scale,
    redrawn as :meth:`add` records each epoch. Show it with :meth:`display` before the loop.

    ``validation=False``: the training loss alone. ``title``: the figure's title. ``lang``:
    the labels' language (None: the package's). ``clock``: seconds, for the frame interval
    (tests replace it).
    """

    def __init__(self, epochs: int, *, validation: bool = True, title: str = "",
                 interval: float = FRAME_INTERVAL, lang: Optional[str] = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        count = as_whole_number(epochs)
        if count is None or count < 1:
            raise ValueError(text("error.curves.epochs", epochs=epochs))
        self.epochs, self.interval, self.clock = count, interval, clock
        self.lang = get_language() if lang is None else lang
        self.train_loss: list[float] = []
        self.val_loss: list[float] = []
        self.figure = live_figure(FIGSIZE)
        self.ax = ax = self.figure.add_subplot()
        (self._train_line,) = ax.plot([], [], color="C0", lw=1.5,
                                      label=text("plot.curves.train", lang=self.lang))
        self._val_line = None
        if validation:
            (self._val_line,) = ax.plot([], [], color="C1", lw=1.5,
                                        label=text("plot.curves.validation", lang=self.lang))
        ax.set_yscale("log")
        ax.set_xlim(0, max(count - 1, 1))
        ax.set_xlabel(text("plot.epoch", lang=self.lang))
        ax.set_ylabel(text("plot.curves.loss", lang=self.lang))
        if title:
            ax.set_title(title, fontsize="medium")
        ax.grid(True, alpha=0.3, which="both")
        ax.legend(loc="upper right", fontsize="small")
        # Fixed margins, not tight_layout(): the log axis' tick labels (such as 3×10⁴) appear
        # only as the data arrive, and must not be cut off.
        self.figure.subplots_adjust(left=0.14, right=0.98, bottom=0.15, top=0.9 if title else 0.96)
        self._frame = LiveFrame(self.figure)
        self._shown_at = -math.inf
        self._handle = None
        self.widget = widgets.VBox([fit_style(SCOPE, self.figure, reserved_px=JUPYTERLAB_BARS_PX),
                                    self._frame.image])
        self.widget.add_class(SCOPE)

    def display(self) -> None:
        """Show the curves below the cell; call it before the loop. When the last epoch is
        drawn, the output is updated, so that the notebook saves the finished picture too."""
        from IPython.display import display

        self._handle = display(self, display_id=True)

    @property
    def image(self) -> widgets.Image:
        """The figure's picture (an ``ipywidgets.Image`` holding the last frame, PNG)."""
        return self._frame.image

    @property
    def frames(self) -> int:
        """How many frames have been drawn."""
        return self._frame.frames

    def add(self, train_loss: float, val_loss: Optional[float] = None) -> None:
        """Record one epoch's losses; draw a frame if ``interval`` has passed or the run is
        complete. A validation loss is required when the curves show one, and only then."""
        if (val_loss is None) != (self._val_line is None):
            raise ValueError(text("error.curves.validation" if val_loss is None
                                  else "error.curves.no_validation"))
        if len(self.train_loss) >= self.epochs:
            raise ValueError(text("error.curves.full", epochs=self.epochs))
        self.train_loss.append(float(train_loss))
        if val_loss is not None:
            self.val_loss.append(float(val_loss))
        complete = len(self.train_loss) == self.epochs
        if complete or self.clock() - self._shown_at >= self.interval:
            self.show()
        if complete and self._handle is not None:
            self._handle.update(self)  # the saved output: the finished picture

    def show(self) -> None:
        """Draw the epochs recorded so far, now."""
        epochs = range(len(self.train_loss))
        self._train_line.set_data(epochs, self.train_loss)
        if self._val_line is not None:
            self._val_line.set_data(epochs, self.val_loss)
        shown = [v for v in self.train_loss + self.val_loss if math.isfinite(v) and v > 0]
        if shown:
            low, high = min(shown), max(shown)
            self.ax.set_ylim(low / 1.5, high * 1.5)
        self._frame.show()
        self._shown_at = self.clock()

    def _repr_mimebundle_(self, **kwargs):
        """The widget view, and the last frame as a picture for front ends without widgets."""
        return display_bundle(self.widget, self._frame, **kwargs)

    def close(self) -> None:
        """Close the widgets (frees the kernel-side objects)."""
        self._frame.image.close()
        self.widget.close()


__all__ = ["FIGSIZE", "FRAME_INTERVAL", "LiveLossCurves", "SCOPE"]

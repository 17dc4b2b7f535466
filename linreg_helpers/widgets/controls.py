"""What the live widgets (the training dashboard, the landscape explorer) share: their controls,
how an update is scheduled, drawn and its error reported, and how they are displayed and closed."""

from __future__ import annotations

import html
import math
import traceback
from collections.abc import Callable
from typing import Optional

import ipywidgets as widgets
from matplotlib.figure import Figure

from linreg_helpers.i18n import text
from linreg_helpers.settings import OPTIMIZERS, REDUCTIONS
from linreg_helpers.widgets.frame import LiveFrame, UpdateScheduler, display_bundle
from linreg_helpers.widgets.screen_fit import STATUS_CLASS

#: Seconds a requested update waits on the event loop for more changes (coalesces a drag).
COALESCE_DELAY = 0.005


def lr_slider(value: float, *, low: float, high: float, step: float,
              anchor: Optional[float] = None, lang: Optional[str] = None,
              **options) -> widgets.FloatLogSlider:
    """A log-scale lr slider from about ``low`` to ``high``; with ``anchor``, its grid of
    positions 10**(min + k·step) passes through that value exactly (0.05 reads 0.0500).

    ``lang`` (here and in the other controls): the label's language, None for the package's.
    """
    low_exp, high_exp = math.log10(low), math.log10(high)
    if anchor is not None:
        exponent = math.log10(anchor)
        low_exp = exponent - round((exponent - low_exp) / step) * step
        high_exp = exponent + round((high_exp - exponent) / step) * step
    return widgets.FloatLogSlider(value=value, base=10, min=low_exp, max=high_exp, step=step,
                                  description=text("widget.lr", lang=lang), readout_format=".4f",
                                  **options)


def epochs_slider(value: int, *, high: int, lang: Optional[str] = None,
                  **options) -> widgets.IntSlider:
    return widgets.IntSlider(value=value, min=1, max=high, step=1,
                             description=text("widget.epochs", lang=lang), **options)


def reduction_buttons(value: str, *, lang: Optional[str] = None,
                      **options) -> widgets.ToggleButtons:
    return widgets.ToggleButtons(options=list(REDUCTIONS), value=value,
                                 description=text("widget.reduction", lang=lang), **options)


def optimizer_menu(value: str, *, lang: Optional[str] = None, **options) -> widgets.Dropdown:
    return widgets.Dropdown(options=list(OPTIMIZERS), value=value,
                            description=text("widget.optimizer", lang=lang), **options)


def status_line(**layout: str) -> widgets.HTML:
    """A widget's status line (an HTML widget of the class screen_fit styles as a paragraph)."""
    status = widgets.HTML(layout=widgets.Layout(**layout))
    status.add_class(STATUS_CLASS)
    return status


def error_status(exc: BaseException, lang: Optional[str] = None) -> str:
    """The status line (HTML) that shows a learner an error raised while updating."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = text("widget.error_where", lang=lang, function=frames[-1].name,
                 line=frames[-1].lineno) if frames else ""
    return html.escape(text("widget.error", lang=lang, error=type(exc).__name__, message=exc,
                            where=where), quote=False)


class LiveWidget:
    """Base of the live widgets: ``widget`` (the box to display), ``status`` (an HTML line),
    ``figure``, ``error``: the exception of the last update if it failed, else None, and
    ``lang``: the language of its labels, status and figure.

    Every change of a control requests an update (:class:`~.frame.UpdateScheduler`): in a
    notebook it runs on the kernel's event loop once the current message or cell is done,
    one update for any number of changes, with the controls' latest values. Call
    :meth:`update` for a change made from code that must show at once.
    """

    widget: widgets.Box
    status: widgets.HTML
    figure: Figure
    error: Optional[BaseException] = None
    lang: str = "en"
    _frame: LiveFrame
    _scheduler: UpdateScheduler

    def _start_live(self, render: Optional[Callable[[], None]] = None) -> widgets.Image:
        """Set up the figure's picture and the update scheduling; returns the picture."""
        self._frame = LiveFrame(self.figure, render)
        self._scheduler = UpdateScheduler(self.update, delay=COALESCE_DELAY)
        return self._frame.image

    @property
    def image(self) -> widgets.Image:
        """The figure's picture (an ``ipywidgets.Image`` holding the last frame, PNG)."""
        return self._frame.image

    def update(self) -> None:  # pragma: no cover - each widget defines it
        raise NotImplementedError

    def _on_change(self, _change: dict) -> None:
        self._scheduler.request()

    def _run_update(self, step: Callable[[], Optional[str]]) -> None:
        """Run ``step`` (retrain, draw, return the status text) under the figure's lock,
        covering any update still pending."""
        self._scheduler.cancel()
        with self._frame.lock:
            self._guarded(step)

    def _repr_mimebundle_(self, **kwargs):
        """The widget view, and the last frame as a picture for front ends without widgets."""
        return display_bundle(self.widget, self._frame, **kwargs)

    def close(self) -> None:
        """Close the widgets (frees the kernel-side objects)."""
        self._scheduler.cancel()
        self._frame.image.close()
        self.widget.close()

    def _guarded(self, update: Callable[[], Optional[str]]) -> None:
        """Run ``update`` (which returns the new status text, or None to keep it); an error
        goes to ``status`` and ``error`` instead of vanishing inside a widget callback."""
        try:
            text = update()
        except Exception as exc:
            self.error = exc
            self.status.value = error_status(exc, self.lang)
            return
        self.error = None
        if text is not None:
            self.status.value = html.escape(text, quote=False)

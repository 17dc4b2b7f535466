"""What the live widgets (the training dashboard, the landscape explorer) share: their controls,
how they report an error, and how they are displayed and closed."""

from __future__ import annotations

import html
import math
import traceback
from collections.abc import Callable
from typing import Optional

import ipywidgets as widgets
import matplotlib.pyplot as plt

from linreg_helpers.i18n import text
from linreg_helpers.settings import OPTIMIZERS, REDUCTIONS
from linreg_helpers.widgets.screen_fit import STATUS_CLASS


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
    ``lang``: the language of its labels, status and figure."""

    widget: widgets.Box
    status: widgets.HTML
    figure: plt.Figure
    error: Optional[BaseException] = None
    lang: str = "en"

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def close(self) -> None:
        """Close the widgets and the figure (frees the kernel-side objects)."""
        plt.close(self.figure)
        self.widget.close()

    def _guarded(self, update: Callable[[], str]) -> None:
        """Run ``update`` (which returns the new status text); an error goes to ``status``
        and ``error`` instead of vanishing inside a widget callback."""
        try:
            text = update()
        except Exception as exc:
            self.error = exc
            self.status.value = error_status(exc, self.lang)
            return
        self.error = None
        self.status.value = html.escape(text, quote=False)

"""The lesson's figure: loss, weight and bias against epoch, in three stacked subplots.

:class:`HistoryFigure` builds the figure once and redraws it in place with
:meth:`HistoryFigure.update`, which is what the live dashboards need (their fast redraw, by
matplotlib's blitting API, is :class:`linreg_helpers.widgets.live_history.LiveHistoryFigure`).
:func:`show_fitted` shows a figure that is not live as a picture.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from io import BytesIO
from typing import Literal, Optional, Union

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from linreg_helpers.i18n import text
from linreg_helpers.training import History

#: The three panels and the message keys of their y labels.
PANELS = (("loss", "plot.loss"), ("weight", "plot.weight"), ("bias", "plot.bias"))
LogMode = Union[bool, Literal["auto"]]


class HistoryFigure:
    """Three stacked axes sharing the epoch axis, one line each, updated in place.

    ``targets`` optionally maps "weight"/"bias" to a value drawn as a dashed reference line
    (e.g. the least-squares answer); its labels are in ``lang`` (None: the package language).
    ``log_loss`` puts the loss on a log scale: True always,
    "auto" only for a diverged run (whose loss spans many powers of ten). With ``sticky=True``
    an axis keeps its limits while the new data still fill at least half of them, so small
    changes (a slider step) do not make the axes jump — and leave them to the fast redraw.
    ``width``: the fraction of the figure's width the three axes take (the rest is left free
    for another panel, e.g. the live widgets' data panel).
    """

    def __init__(
        self,
        history: Optional[History] = None,
        *,
        targets: Optional[dict[str, float]] = None,
        log_loss: LogMode = False,
        figsize: tuple[float, float] = (6.4, 6.0),
        sticky: bool = False,
        lang: Optional[str] = None,
        width: float = 1.0,
    ) -> None:
        self.figure = self.new_figure(figsize)
        self.sticky = sticky
        self._scales: dict[str, bool] = {}
        self.log_loss = log_loss
        self._targets = dict(targets or {})
        axes = self.figure.subplots(3, 1, sharex=True)
        self.axes = dict(zip((key for key, _ in PANELS), axes))
        self.lines = {}
        for (key, label), ax in zip(PANELS, axes):
            (self.lines[key],) = ax.plot([], [], color="C0", lw=1.5, zorder=2)
            ax.set_ylabel(text(label, lang=lang))
            ax.grid(True, alpha=0.3)
        self.axes["loss"].set_yscale("log" if log_loss is True else "linear")
        for key, value in (targets or {}).items():
            ax = self.axes[key]
            ax.axhline(value, color="C2", ls="--", lw=1, zorder=1.8)
            # A text label, not a legend: a legend costs a layout pass on every redraw.
            label = text("plot.least_squares", lang=lang, value=round(value, 4) + 0.0)
            ax.text(0.99, 0.95, label, color="C2", fontsize="small", ha="right", va="top",
                    transform=ax.transAxes, zorder=1.8)
        axes[-1].set_xlabel(text("plot.epoch", lang=lang))
        self.figure.tight_layout(rect=(0.0, 0.0, width, 1.0))
        # Fixed label positions, aligned once: align_ylabels() would re-measure every tick
        # label of all three axes on each redraw, a third of the drawing time.
        left = min(ax.get_position().x0 for ax in axes)
        for ax in axes:
            ax.yaxis.set_label_coords(-0.75 * left / ax.get_position().width, 0.5)
        for ax in axes:  # fixed for the (empty) upper x labels too: no per-draw placement
            ax.xaxis.set_label_coords(0.5, -0.2)
        if history is not None:
            self.update(history)

    @staticmethod
    def new_figure(figsize: tuple[float, float]) -> Figure:
        """The figure to draw in: a pyplot figure (the live view draws on its own canvas)."""
        return plt.figure(figsize=figsize)

    def update(self, history: History, *, last_epoch: Optional[int] = None) -> None:
        """Show ``history``: set the lines' data and rescale the axes (no new artists).

        ``last_epoch``: the epoch axis ends there (a run still growing keeps its axis), else
        at the history's last epoch."""
        epochs = history.epochs
        loss_axis = self.axes["loss"]
        if self.log_loss == "auto":
            scale = "log" if history.diverged else "linear"
            if loss_axis.get_yscale() != scale:
                loss_axis.set_yscale(scale)
        for key, _ in PANELS:
            values = getattr(history, key)
            self.lines[key].set_data(epochs, values)
            ax = self.axes[key]
            log = ax.get_yscale() == "log"
            finite = [v for v in values if math.isfinite(v) and (v > 0 or not log)]
            if not finite:
                continue
            refs = [self._targets[key]] if key in self._targets else []
            limits = _round_limits(finite, refs, log=log, from_zero=key == "loss")
            if not (self.sticky and self._scales.get(key) == log
                    and _close_enough(limits, ax.get_ylim(), log=log)):
                ax.set_ylim(*limits)
            self._scales[key] = log
        end = len(epochs) - 1 if last_epoch is None else max(last_epoch, len(epochs) - 1)
        self.axes["bias"].set_xlim(0, max(end, 1))


def _close_enough(wanted: tuple[float, float], current: tuple[float, float], *, log: bool) -> bool:
    """Whether the current limits contain the wanted ones and are at most twice as wide."""
    (low, high), (cur_low, cur_high) = wanted, current
    if not (cur_low <= low and high <= cur_high):
        return False
    if log:
        return math.log10(cur_high / cur_low) - math.log10(high / low) <= 2
    return (high - low) >= 0.5 * (cur_high - cur_low)


def _round_limits(
    values: Sequence[float], refs: Sequence[float], *, log: bool, from_zero: bool = False
) -> tuple[float, float]:
    """Limits that contain the data and the reference lines' values, snapped to round values."""
    low, high = min(values), max(values)
    for ref in refs:  # reference lines stay in view
        low, high = min(low, ref), max(high, ref)
    if log:
        low, high = math.floor(math.log10(low / 1.2)), math.ceil(math.log10(high * 1.2))
        return 10.0**low, 10.0**high
    pad = 0.03 * (high - low) or 0.05 * max(abs(high), 1.0)
    from_zero = from_zero and low >= 0
    low, high = low - pad, high + pad
    ticks = MaxNLocator(nbins="auto", steps=[1, 2, 2.5, 5, 10]).tick_values(low, high)
    high = min(t for t in ticks if t >= high)
    # The loss is shown from (just below) zero, not from a round negative value.
    low = -0.04 * high if from_zero else max(t for t in ticks if t <= low)
    return low, high


def plot_history(
    history: History,
    *,
    targets: Optional[dict[str, float]] = None,
    log_loss: LogMode = False,
    lang: Optional[str] = None,
) -> Figure:
    """Plot a training run the lesson's way and return the figure (labels in ``lang``, None:
    the package language)."""
    return HistoryFigure(history, targets=targets, log_loss=log_loss, lang=lang).figure


def in_kernel() -> bool:
    """Whether this runs in a Jupyter kernel (where displayed output reaches a browser)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def show_fitted(figure: Figure) -> None:
    """Show ``figure`` as a picture (PNG) and close it, for a figure that is not live.

    JupyterLab shows a picture no wider than the output area, scaled down on a narrow screen.
    Outside IPython it does nothing but close the figure.
    """
    png = BytesIO()
    figure.savefig(png, format="png")
    plt.close(figure)
    if in_kernel():
        from IPython.display import Image, display

        display(Image(png.getvalue(), format="png"))

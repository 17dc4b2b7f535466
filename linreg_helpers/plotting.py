"""The lesson's figure: loss, weight and bias against epoch, in three stacked subplots.

:class:`HistoryFigure` builds the figure once and redraws it in place with
:meth:`HistoryFigure.update`, which is what the live dashboards need.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Optional

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from linreg_helpers.training import History

# Labels stay ASCII: matplotlib's default font has no Chinese glyphs (the notebooks give them).
PANELS = (("loss", "loss"), ("weight", "weight w"), ("bias", "bias b"))


class HistoryFigure:
    """Three stacked axes sharing the epoch axis, one line each, updated in place.

    ``targets`` optionally maps "weight"/"bias" to a value drawn as a dashed reference line
    (e.g. the least-squares answer). ``log_loss`` puts the loss on a log scale, which keeps
    both convergence and divergence readable.
    """

    def __init__(
        self,
        history: Optional[History] = None,
        *,
        targets: Optional[dict[str, float]] = None,
        log_loss: bool = False,
        figsize: tuple[float, float] = (6.4, 6.0),
        figure: Optional[Figure] = None,
    ) -> None:
        self.figure = figure if figure is not None else plt.figure(figsize=figsize)
        axes = self.figure.subplots(3, 1, sharex=True)
        self.axes = dict(zip((key for key, _ in PANELS), axes))
        self.lines = {}
        for (key, label), ax in zip(PANELS, axes):
            (self.lines[key],) = ax.plot([], [], color="C0", lw=1.5)
            ax.set_ylabel(label)
            ax.grid(True, alpha=0.3)
        if log_loss:
            self.axes["loss"].set_yscale("log")
        for key, value in (targets or {}).items():
            self.axes[key].axhline(
                value, color="C2", ls="--", lw=1, label=f"least squares: {value:g}"
            )
            self.axes[key].legend(loc="lower right", fontsize="small")
        axes[-1].set_xlabel("epoch")
        self.figure.align_ylabels(axes)
        self.figure.tight_layout()
        if history is not None:
            self.update(history)

    def update(self, history: History) -> None:
        """Show ``history``: set the lines' data and rescale the axes (no new artists)."""
        epochs = history.epochs
        for key, _ in PANELS:
            values = getattr(history, key)
            self.lines[key].set_data(epochs, values)
            ax = self.axes[key]
            finite = [v for v in values if math.isfinite(v) and (v > 0 or key != "loss"
                                                              or ax.get_yscale() != "log")]
            _set_ylim(ax, finite, log=ax.get_yscale() == "log")
        self.axes["bias"].set_xlim(0, max(len(epochs) - 1, 1))


def _set_ylim(ax, values: Sequence[float], *, log: bool) -> None:
    if not values:
        return
    low, high = min(values), max(values)
    for line in ax.get_lines()[1:]:  # reference lines stay in view
        ref = line.get_ydata()[0]
        low, high = min(low, ref), max(high, ref)
    if log:
        low, high = low / 1.5, high * 1.5
    else:
        pad = 0.05 * (high - low) or 0.05 * max(abs(high), 1.0)
        low, high = low - pad, high + pad
    ax.set_ylim(low, high)


def plot_history(
    history: History,
    *,
    targets: Optional[dict[str, float]] = None,
    log_loss: bool = False,
) -> Figure:
    """Plot a training run the lesson's way and return the figure."""
    return HistoryFigure(history, targets=targets, log_loss=log_loss).figure

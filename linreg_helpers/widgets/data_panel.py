"""The model in data space: the points, the line ŷ = w·x + b, its residuals and ŷ at x = 4.

:class:`DataPanel` draws into an axes of a live figure; its axis limits are fixed by the data
(and x = 4), so a new (w, b) moves only its artists (:attr:`DataPanel.moving`), which the
live figures redraw on a cached background.
"""

from __future__ import annotations

from typing import Optional

import numpy as np
import torch
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.font_manager import FontProperties

from linreg_helpers.i18n import text

#: Where the panel shows the prediction (the lesson's question: ŷ at x = 4).
X_QUERY = 4.0


class DataPanel:
    """Points of ``x``, ``y`` (column tensors) on ``ax``; :meth:`show` draws the line of
    (w, b), a residual segment from each point to the line, and ŷ(4)."""

    def __init__(self, ax: Axes, x: torch.Tensor, y: torch.Tensor,
                 lang: Optional[str] = None) -> None:
        self.ax, self.lang = ax, lang
        self.xs, self.ys = x[:, 0].double().numpy(), y[:, 0].double().numpy()
        low, high = min(self.xs.min(), 0.0), max(self.xs.max(), X_QUERY)
        pad = 0.08 * (high - low)
        self._line_x = np.array([low - pad, high + pad])
        ax.set_xlim(*self._line_x)
        y_low, y_high = min(self.ys.min(), 0.0), max(self.ys.max(), 2.0 * X_QUERY)
        y_pad = 0.15 * (y_high - y_low)
        ax.set_ylim(y_low - y_pad, y_high + y_pad)
        (points,) = ax.plot(self.xs, self.ys, "o", color="k", ms=6, zorder=3,
                            label=text("panel.data", lang=lang))
        ax.axvline(X_QUERY, color="0.6", ls=":", lw=1, zorder=1)
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.grid(True, alpha=0.3)
        ax.set_title(text("panel.title", lang=lang), fontsize="medium")
        (self.line,) = ax.plot([], [], color="C0", lw=1.8, zorder=2)
        (self.residuals,) = ax.plot([], [], color="C3", lw=1.5, zorder=2)
        (self.query,) = ax.plot([], [], "D", color="C1", ms=6, zorder=3)
        # The formula stays put (drawn once, in the cached background); only the numbers
        # below it move: matplotlib renders text glyph by glyph, the costliest part of a frame.
        ax.text(0.03, 0.96, text("panel.formula", lang=lang), transform=ax.transAxes,
                ha="left", va="top", fontsize="small", zorder=3)
        self.readout = ax.annotate("", (0.03, 0.96), xycoords="axes fraction",
                                   xytext=(0, -1.2 * FontProperties(size="small").get_size()),
                                   textcoords="offset points", ha="left", va="top",
                                   fontsize="small", zorder=3)
        #: The artists drawn over the cached background, in matplotlib's order (by zorder):
        #: those that move with (w, b) and those above them (the spines, the points).
        self.moving: list[Artist] = [self.line, self.residuals, *ax.spines.values(), points,
                                     self.query, self.readout]

    def show(self, w: float, b: float) -> None:
        """Draw the model ŷ = w·x + b (non-finite w or b: no line)."""
        if not (np.isfinite(w) and np.isfinite(b)):
            for artist in (self.line, self.residuals, self.query):
                artist.set_data([], [])
            self.readout.set_text(text("panel.no_line", lang=self.lang))
            return
        self.line.set_data(self._line_x, w * self._line_x + b)
        gaps = np.full_like(self.xs, np.nan)  # one vertical segment per point, as one line
        self.residuals.set_data(np.column_stack([self.xs, self.xs, gaps]).ravel(),
                                np.column_stack([self.ys, w * self.xs + b, gaps]).ravel())
        y4 = w * X_QUERY + b
        self.query.set_data([X_QUERY], [y4])
        self.readout.set_text(text("panel.readout", lang=self.lang, w=w, b=b, y4=y4,
                                   x=X_QUERY))


__all__ = ["DataPanel", "X_QUERY"]

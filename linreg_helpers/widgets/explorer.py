"""The loss surface over (w, b), and training paths drawn on it, live: :class:`LandscapeExplorer`.

It draws :func:`~linreg_helpers.analysis.loss_grid` as contours and the (w, b) a run visited
(:func:`~linreg_helpers.analysis.trajectory`), with sliders for the learning rate, epochs,
reduction, optimizer and starting point, redrawing one figure in place.
"""

from __future__ import annotations

from typing import Any, Optional

import ipywidgets as widgets
import numpy as np

from linreg_helpers.analysis import SUM_LEVELS, closed_form, loss_grid, trajectory
from linreg_helpers.data import ArrayLike, xy_or_lesson
from linreg_helpers.i18n import checked_language, get_language, text
from linreg_helpers.model import initial_params
from linreg_helpers.settings import LESSON, REDUCTIONS, validate_settings
from linreg_helpers.training import History, train
from linreg_helpers.widgets.controls import (
    LiveWidget,
    epochs_slider,
    lr_slider,
    optimizer_menu,
    reduction_buttons,
    status_line,
)
from linreg_helpers.widgets.data_panel import DataPanel
from linreg_helpers.widgets.frame import live_figure
from linreg_helpers.widgets.live_history import BlitRenderer
from linreg_helpers.widgets.player import EpochMarks, Playable
from linreg_helpers.widgets.screen_fit import JUPYTERLAB_BARS_PX, fit_style

#: Width of each control, and of the labels in it.
CONTROL_PX, LABEL_PX = 272, 64
#: The room that is not the figure: JupyterLab's bars, three rows of controls, the epoch
#: readout and the status line.
FIGURE_RESERVE_PX = JUPYTERLAB_BARS_PX + 105 + 25 + 60
#: The figure's size (inches): the loss surface, the loss per epoch, the data panel.
FIGSIZE = (12.0, 4.0)
#: The class that scopes the explorer's CSS.
SCOPE = "linreg-explorer"
class LandscapeExplorer(Playable, LiveWidget):
    """Contour of the loss over (w, b) with the optimizer's path on it, the loss per epoch,
    and the model over the data.

    The controls are attributes (``lr``, ``epochs``, ``reduction``, ``optimizer``, ``w0``,
    ``b0``); setting ``.value`` from Python retrains and redraws at once, like moving the
    slider (in a notebook, once the cell is done; ``explorer.update()`` applies it at once).
    Sliders update when released (``continuous_update=False``), and changes are coalesced:
    one retraining per move, so no stale updates pile up. Errors raised while updating
    appear in ``status`` (and ``error``). Display ``explorer`` (or ``explorer.widget``).
    Play mode (:class:`~.player.Playable`): ``step(k)``, ``play()``, ``pause()``,
    ``playing``, ``restart()``, ``epoch``, ``history``, ``cursor``, ``player``; a new start
    w0, b0 while a run is played starts it again from there.
    """

    def __init__(
        self,
        x: Optional[ArrayLike] = None,
        y: Optional[ArrayLike] = None,
        *,
        lr: float = LESSON.lr, epochs: int = LESSON.epochs,
        reduction: str = LESSON.reduction, optimizer: str = LESSON.optimizer,
        start: Optional[tuple[float, float]] = None,
        w_range: tuple[float, float] = (-1.0, 5.0),
        b_range: tuple[float, float] = (-3.0, 3.0),
        lang: Optional[str] = None,
    ) -> None:
        validate_settings(lr, epochs, reduction, optimizer)
        self.lang = lang = get_language() if lang is None else checked_language(lang)
        self.x, self.y = xy_or_lesson(x, y)
        self.minimum = tuple(round(v, 6) + 0.0 for v in closed_form(self.x, self.y))
        w_start, b_start = initial_params() if start is None else start
        style = {"description_width": f"{LABEL_PX}px"}

        def sized() -> dict:
            return {"style": style, "layout": widgets.Layout(width=f"{CONTROL_PX}px")}

        def slider() -> dict:  # a Layout of its own for each control
            return {"continuous_update": False, **sized()}

        self.lr = lr_slider(lr, low=0.001, high=1.0, step=0.01, lang=lang, **slider())
        self.epochs = epochs_slider(epochs, high=300, lang=lang, **slider())
        self.w0 = widgets.FloatSlider(value=w_start, min=w_range[0], max=w_range[1], step=0.05,
                                      description=text("landscape.start_w0", lang=lang),
                                      readout_format=".2f", **slider())
        self.b0 = widgets.FloatSlider(value=b_start, min=b_range[0], max=b_range[1], step=0.05,
                                      description=text("landscape.start_b0", lang=lang),
                                      readout_format=".2f", **slider())
        self.reduction = reduction_buttons(reduction, lang=lang, style={
            **style, "button_width": f"{(CONTROL_PX - LABEL_PX) // 2 - 14}px"})
        self.optimizer = optimizer_menu(optimizer, lang=lang, **sized())
        self.status = status_line(margin="0 0 0 4px")
        self.history: Optional[History] = None
        self._build_figure(w_range, b_range)
        self.controls = (self.lr, self.epochs, self.reduction, self.optimizer, self.w0, self.b0)
        for control in self.controls:
            control.observe(self._on_change, names="value")
        self._blit = BlitRenderer(self.figure, self._moving, key=lambda: self._shown)
        picture = self._start_live(self._blit.render)
        player = self._start_player(width_px=CONTROL_PX, label_px=LABEL_PX, compact=True)
        # Controls in rows of three (two on a narrower screen), then the figure, scaled to the
        # width and to the height the notebook's view leaves (screen_fit), then the status.
        controls = widgets.HBox([self.lr, self.w0, self.optimizer, self.epochs, self.b0,
                                 self.reduction, player.buttons, player.speed, player.cursor],
                                layout=widgets.Layout(flex_flow="row wrap"))
        self.widget = widgets.VBox([controls, picture, player.readout, self.status,
                                    player.ticker,
                                    fit_style(SCOPE, self.figure, reserved_px=FIGURE_RESERVE_PX)])
        self.widget.add_class(SCOPE)
        self.update()

    def _build_figure(self, w_range: tuple[float, float], b_range: tuple[float, float]) -> None:
        self.figure = live_figure(FIGSIZE)
        self.ax_surface, self.ax_loss, ax_data = self.figure.subplots(
            1, 3, gridspec_kw={"width_ratios": [1.2, 1.0, 0.9]})
        self.panel = DataPanel(ax_data, self.x, self.y, self.lang)
        self._shown = ""
        ax = self.ax_surface
        self._ws = np.linspace(*w_range, 121)
        self._bs = np.linspace(*b_range, 121)
        self._contours: dict[str, Any] = {}
        ax.plot(*self.minimum, marker="*", color="C3", ms=14, ls="none",
                label=self._text("landscape.least_squares", w=self.minimum[0], b=self.minimum[1]))
        (self.path_line,) = ax.plot([], [], "o-", color="C0", ms=2.5, lw=1,
                                    label=self._text("landscape.path"))
        (self.start_point,) = ax.plot([], [], "s", color="k", ms=6,
                                      label=self._text("landscape.start"))
        (self.cursor_point,) = ax.plot([], [], "o", color="C3", ms=7, zorder=2.2)
        ax.set_xlim(*w_range)
        ax.set_ylim(*b_range)
        ax.set_xlabel(self._text("plot.weight"))
        ax.set_ylabel(self._text("plot.bias"))
        self._legend = ax.legend(loc="lower left", fontsize="small")
        (self.loss_line,) = self.ax_loss.plot([], [], color="C0", lw=1.5)
        self.ax_loss.set_yscale("log")
        self.ax_loss.set_xlabel(self._text("plot.epoch"))
        self.ax_loss.set_ylabel(self._text("landscape.loss_before_step"))
        self.ax_loss.grid(True, alpha=0.3)
        self.marks = EpochMarks([self.ax_loss])
        self.figure.tight_layout()

    def _moving(self) -> list:
        """What a frame draws over the cached background, in matplotlib's order."""
        return [self.path_line, self.start_point, self.cursor_point,
                *self.ax_surface.spines.values(),
                self._legend, self.loss_line, *self.marks.moving,
                *self.ax_loss.spines.values(), *self.panel.moving]

    def _draw_contours(self, reduction: str) -> None:
        """Show the contour lines of ``reduction``: both sets are drawn once, then toggled."""
        if not self._contours:
            for name in REDUCTIONS:
                scale = 1.0 / self.x.shape[0] if name == "mean" else 1.0
                grid = loss_grid(self._ws, self._bs, self.x, self.y, name)
                contours = self.ax_surface.contour(
                    self._ws, self._bs, grid, levels=[v * scale for v in SUM_LEVELS],
                    cmap="viridis", linewidths=0.8, zorder=1)
                self.ax_surface.clabel(contours, fontsize=7, fmt="%g")
                self._contours[name] = contours
        for name, contours in self._contours.items():
            contours.set_visible(name == reduction)
            for label in contours.labelTexts:
                label.set_visible(name == reduction)
        self.ax_surface.set_title(f"MSELoss(reduction='{reduction}')", fontsize="medium")
        self._shown = reduction

    def update(self) -> None:
        """Retrain with the controls' values and redraw, now; errors go to ``status``."""
        self._run_update(self._refresh)

    def _run_settings(self) -> dict:
        return dict(lr=self.lr.value, epochs=self.epochs.value, reduction=self.reduction.value,
                    optimizer=self.optimizer.value, start=(self.w0.value, self.b0.value))

    def _train_instant(self) -> History:
        return train(self.x, self.y, **self._run_settings())

    def _draw(self, history: History) -> str:
        """Draw ``history`` (path, loss, data panel, marks) and return the status line."""
        cursor = self._cursor_epoch(history)
        w0, b0 = self._run.start if self._run is not None else (self.w0.value, self.b0.value)
        self._draw_contours(self._run.reduction if self._run else self.reduction.value)
        ws, bs = trajectory(history, w0, b0)
        self.path_line.set_data(ws, bs)
        self.start_point.set_data([w0], [b0])
        losses = np.asarray(history.loss)
        self.loss_line.set_data(np.arange(losses.size), losses)
        shown = losses[np.isfinite(losses) & (losses > 0)]
        if shown.size:  # limits on powers of ten: a growing run keeps its axes
            low, high = max(shown.min(), 1e-12) / 2, shown.max() * 2
            self.ax_loss.set_ylim(10 ** np.floor(np.log10(low)), 10 ** np.ceil(np.log10(high)))
        end = self._run.epochs - 1 if self._run is not None else losses.size - 1
        self.ax_loss.set_xlim(0, max(end, losses.size - 1, 1))
        w, b = self._params_at(history, cursor)
        if not len(history):
            w, b = w0, b0
        self.panel.show(w, b)
        self.cursor_point.set_data(([w], [b]) if cursor is not None else ([], []))
        self.marks.show(self.change_epochs(), cursor,
                        [history.loss[cursor]] if cursor is not None else [])
        self._frame.show()
        return self._play_status(history, cursor, (w, b), self.describe)

    def describe(self) -> str:
        """One line about the current run, as shown in ``status`` (in the widget's language)."""
        h = self.history
        if h is None:
            return self._text("landscape.no_run")
        run = self._text("landscape.run", optimizer=self.optimizer.value, lr=self.lr.value,
                         reduction=self.reduction.value, w0=self.w0.value, b0=self.b0.value)
        if h.exploded:
            return self._text("landscape.exploded", run=run, loss=h.loss[-1],
                              epoch=h.diverged_at)
        if h.diverged:
            return self._text("landscape.diverging", run=run, epoch=h.diverged_at,
                              loss=h.loss[-1], last=len(h) - 1)
        return self._text("landscape.finished", run=run, loss=h.loss[-1], last=len(h) - 1,
                          w=h.weight[-1], b=h.bias[-1], w_star=self.minimum[0],
                          b_star=self.minimum[1])

    def _text(self, key: str, **values: object) -> str:
        """The message ``key`` in the explorer's language."""
        return text(key, lang=self.lang, **values)

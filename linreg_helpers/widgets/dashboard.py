"""A live training dashboard: sliders that re-train the lesson's model and redraw in place.

``TrainingDashboard()`` shows the controls, a status line and the three curves of the lesson
(loss, weight, bias vs epoch). Every change of a control re-runs :func:`~.training.train`
with the current settings and updates the existing figure (no new figure per change).

Three parts: :class:`DashboardControls` (the widgets and the settings they stand for), the
view (:class:`~.live_history.LiveHistoryFigure`, shown as a picture by :class:`~.frame.LiveFrame`)
and the status text (:func:`~.status.dashboard_status`, a pure function);
:class:`TrainingDashboard` connects them.

Changes are coalesced: every change of a control requests one update on the kernel's event
loop, which re-trains with the latest values — the kernel never works through a backlog of
old slider positions. A change made from code that must show at once calls ``update()``
(without a running event loop, in a script or a test, every change updates at once).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Optional

import ipywidgets as widgets

from linreg_helpers.analysis import closed_form
from linreg_helpers.data import ArrayLike, xy_or_lesson
from linreg_helpers.i18n import checked_language, get_language, text
from linreg_helpers.settings import LESSON, Settings
from linreg_helpers.training import History, train
from linreg_helpers.widgets.controls import (
    COALESCE_DELAY,
    LiveWidget,
    epochs_slider,
    lr_slider,
    optimizer_menu,
    reduction_buttons,
    status_line,
)
from linreg_helpers.widgets.data_panel import DataPanel
from linreg_helpers.widgets.live_history import LiveHistoryFigure
from linreg_helpers.widgets.player import EpochMarks, Playable
from linreg_helpers.widgets.screen_fit import JUPYTERLAB_BARS_PX, fit_style
from linreg_helpers.widgets.status import dashboard_status

#: One step of the lr slider, in powers of ten (≈ 4.7 % per step, 0.001 to 1 in 150 steps).
LR_STEP = 0.02
#: Width of the column of controls and status line beside the figure, and of the labels in it.
COLUMN_PX, LABEL_PX = 300, 80
#: The room above and below the figure that is not the figure: JupyterLab's bars, margins.
FIGURE_RESERVE_PX = JUPYTERLAB_BARS_PX + 20
#: The figure's narrowest width beside the column; narrower rows put it below the column.
FIGURE_MIN_PX = 400
#: The figure's size (inches), the share of its width the three curves take, and where the
#: data panel sits (figure fractions: left, bottom, width, height).
FIGSIZE, CURVES_WIDTH, PANEL_RECT = (10.0, 5.6), 0.64, (0.715, 0.095, 0.27, 0.83)
#: The class that scopes the dashboard's CSS.
SCOPE = "linreg-dashboard"
#: What "lesson defaults" restores.
LESSON_SETTINGS = {**asdict(LESSON), "momentum": 0.0}


class DashboardControls:
    """The dashboard's widgets (``lr``, ``epochs``, ``reduction``, ``optimizer``,
    ``momentum``, ``reset``) and the training settings they stand for."""

    def __init__(self, *, lr: float, epochs: int, reduction: str, optimizer: str,
                 momentum: float, lang: str = "en") -> None:
        style = {"description_width": f"{LABEL_PX}px"}

        def full() -> widgets.Layout:
            return widgets.Layout(width="100%")

        self.lr = lr_slider(lr, low=0.001, high=1.0, step=LR_STEP, anchor=0.05, lang=lang,
                            style=style, layout=full())
        self.epochs = epochs_slider(epochs, high=1000, lang=lang, style=style, layout=full())
        self.momentum = widgets.FloatSlider(value=momentum, min=0.0, max=0.95, step=0.05,
                                            description=text("widget.momentum", lang=lang),
                                            style=style, layout=full())
        self.optimizer = optimizer_menu(optimizer, lang=lang, style=style, layout=full())
        buttons = (COLUMN_PX - LABEL_PX) // 2 - 14  # less the buttons' margins
        self.reduction = reduction_buttons(reduction, lang=lang, style={
            **style, "button_width": f"{buttons}px"})
        self.reset = widgets.Button(description=text("widget.lesson_defaults", lang=lang),
                                    icon="undo",
                                    layout=widgets.Layout(margin=f"4px 0 0 {LABEL_PX + 4}px"))
        self.values = (self.lr, self.epochs, self.reduction, self.optimizer, self.momentum)
        #: One column, beside the figure (see TrainingDashboard).
        self.box = widgets.VBox([self.lr, self.epochs, self.momentum, self.optimizer,
                                 self.reduction, self.reset])

    def settings(self) -> dict:
        """The current training settings, as ``train()`` keyword arguments."""
        options = {}
        if self.optimizer.value == "SGD" and self.momentum.value > 0:
            options["momentum"] = float(self.momentum.value)
        return dict(lr=float(self.lr.value), epochs=int(self.epochs.value),
                    reduction=self.reduction.value, optimizer=self.optimizer.value, **options)

    def observe(self, callback: Callable[[dict], None]) -> None:
        for control in self.values:
            control.observe(callback, names="value")

    def set_quietly(self, callback: Callable[[dict], None], settings: dict) -> None:
        """Set several controls without calling ``callback`` for each of them."""
        for name, value in settings.items():
            control = getattr(self, name)
            control.unobserve(callback, names="value")
            control.value = value
            control.observe(callback, names="value")


class TrainingDashboard(Playable, LiveWidget):
    """Controls ``lr``, ``epochs``, ``reduction``, ``optimizer``, ``momentum``; ``status``;
    ``figure``; ``history``, the :class:`~.training.History` shown (the whole run, or the
    played run so far); ``error``, the exception of the last update if it failed (shown in
    ``status``). Play mode (:class:`~.player.Playable`): ``step(k)``, ``play()``,
    ``pause()``, ``playing``, ``restart()``, ``epoch``, ``cursor``, ``player``."""

    def __init__(
        self,
        x: Optional[ArrayLike] = None,
        y: Optional[ArrayLike] = None,
        *,
        lr: float = LESSON.lr,
        epochs: int = LESSON.epochs,
        reduction: str = LESSON.reduction,
        optimizer: str = LESSON.optimizer,
        momentum: float = 0.0,
        seed: int = 0,
        lang: Optional[str] = None,
    ) -> None:
        self.lang = get_language() if lang is None else checked_language(lang)
        self.x, self.y = xy_or_lesson(x, y)
        self.seed = seed
        self.history: Optional[History] = None
        self.updates = 0
        self.controls = DashboardControls(lr=lr, epochs=epochs, reduction=reduction,
                                          optimizer=optimizer, momentum=momentum, lang=self.lang)
        c = self.controls
        self.lr, self.epochs, self.reduction = c.lr, c.epochs, c.reduction
        self.optimizer, self.momentum, self.reset = c.optimizer, c.momentum, c.reset
        self.status = status_line(min_height="3em", margin="8px 0 0 4px")
        self.least_squares = w_star, b_star = closed_form(self.x, self.y)
        self.view = LiveHistoryFigure(targets={"weight": w_star, "bias": b_star},
                                      log_loss="auto", figsize=FIGSIZE, sticky=True,
                                      lang=self.lang, width=CURVES_WIDTH)
        self.figure = self.view.figure
        self.panel = DataPanel(self.figure.add_axes(PANEL_RECT), self.x, self.y, self.lang)
        self.marks = EpochMarks(list(self.view.axes.values()))
        self.view.moving += self.panel.moving + self.marks.moving
        picture = self._start_live(self.view.render)
        player = self._start_player(width_px=COLUMN_PX, label_px=LABEL_PX)
        self.controls.observe(self._on_change)
        self.reset.on_click(self._on_reset)
        # Controls and status in a column beside the figure; the figure takes the rest of the
        # row, up to its full size and to the height of the notebook's view (screen_fit). On a
        # screen too narrow for both, the figure wraps below the column.
        column = widgets.VBox([self.controls.box, player.buttons, player.speed, player.cursor,
                               player.readout, self.status, player.ticker],
                              layout=widgets.Layout(
            width=f"{COLUMN_PX}px", flex="0 0 auto", margin="0 12px 0 0"))
        style = fit_style(SCOPE, self.figure, reserved_px=FIGURE_RESERVE_PX,
                          flex_basis_px=FIGURE_MIN_PX)
        self.widget = widgets.HBox([column, picture, style], layout=widgets.Layout(
            flex_flow="row wrap", align_items="flex-start"))
        self.widget.add_class(SCOPE)
        self.update()

    def settings(self) -> dict:
        """The current training settings, as ``train()`` keyword arguments."""
        return self.controls.settings()

    def update(self) -> None:
        """Re-train with the current settings, redraw in place and refresh the status, now."""
        self.momentum.disabled = self.optimizer.value != "SGD"
        self._run_update(self._refresh)
        self.updates += 1

    def _run_settings(self) -> dict:
        return self.settings()

    def _train_instant(self) -> History:
        return train(self.x, self.y, seed=self.seed, **self.settings())

    def _draw(self, history: History) -> str:
        """Draw ``history`` (curves, data panel, marks) and return the status line."""
        cursor = self._cursor_epoch(history)
        end = self._run.epochs - 1 if self._run is not None else None
        self.view.update(history, last_epoch=end)
        w, b = self._params_at(history, cursor)
        self.panel.show(w, b)
        values = ([history.loss[cursor], w, b] if cursor is not None else [])
        self.marks.show(self.change_epochs(), cursor, values)
        self._frame.show()
        settings = self.settings()
        return self._play_status(history, cursor, (w, b),
                                 lambda: self.describe(history, settings))

    def describe(self, history: History, settings: dict) -> str:
        """The status line for a finished run (see :func:`~.status.dashboard_status`)."""
        run = {**settings}
        momentum = run.pop("momentum", 0.0)
        return dashboard_status(history, Settings(**run), self.x, self.y, self.lang,
                                momentum=momentum, least_squares=self.least_squares)

    # -- events ----------------------------------------------------------------------------
    def _on_reset(self, _button=None) -> None:
        with self.widget.hold_sync():
            self.controls.set_quietly(self._on_change, LESSON_SETTINGS)
        self.restart()


__all__ = ["COALESCE_DELAY", "DashboardControls", "TrainingDashboard"]

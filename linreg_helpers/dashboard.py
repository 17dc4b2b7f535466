"""A live training dashboard: sliders that re-train the lesson's model and redraw in place.

``TrainingDashboard()`` shows the controls, a status line and the three curves of the lesson
(loss, weight, bias vs epoch). Every change of a control re-runs :func:`~.training.train`
with the current settings and updates the existing figure (no new figure per change).

Changes that come from the browser are coalesced: while the kernel is busy with one update,
further slider positions only mark the dashboard as stale, and one update with the latest
values follows — the kernel never works through a backlog of old positions. Changes made
from Python (``dash.lr.value = 0.1``) update at once.
"""

from __future__ import annotations

import asyncio
import html
import math
import traceback
from typing import Optional

import ipywidgets as widgets
import matplotlib.pyplot as plt

from linreg_helpers.analysis import closed_form, max_stable_lr
from linreg_helpers.data import ArrayLike, xy_or_lesson
from linreg_helpers.live_canvas import LiveCanvas, changed_in_browser
from linreg_helpers.plotting import HistoryFigure
from linreg_helpers.training import OPTIMIZERS, REDUCTIONS, History, train

#: Seconds to wait for more browser events before re-training (coalesces a fast drag).
COALESCE_DELAY = 0.005
#: "Converged" means w and b within this of least squares (relative, for large w*, b*).
CONVERGED_TOLERANCE = 1e-3
#: One step of the lr slider, in powers of ten (≈ 4.7 % per step, 0.001 to 1 in 150 steps).
LR_STEP = 0.02


class TrainingDashboard:
    """Controls ``lr``, ``epochs``, ``reduction``, ``optimizer``, ``momentum``; ``status``;
    ``figure``; and ``history``, the :class:`~.training.History` of the last run."""

    def __init__(
        self,
        x: Optional[ArrayLike] = None,
        y: Optional[ArrayLike] = None,
        *,
        lr: float = 0.05,
        epochs: int = 51,
        reduction: str = "sum",
        optimizer: str = "SGD",
        momentum: float = 0.0,
        seed: int = 0,
    ) -> None:
        self.x, self.y = xy_or_lesson(x, y)
        self.seed = seed
        self.history: Optional[History] = None
        self.last_error: Optional[BaseException] = None
        self.updates = 0
        self._pending: Optional[asyncio.Handle] = None
        w_star, b_star = closed_form(self.x, self.y)
        self._best = (w_star, b_star)

        style = {"description_width": "80px"}
        wide = widgets.Layout(width="420px")
        # Slider positions are 10**(min + k·step): anchor the grid on the lesson's 0.05 so
        # that the slider can show it exactly (a grid from 10**-3 would read 0.0501).
        exponent = math.log10(0.05)
        self.lr = widgets.FloatLogSlider(
            value=lr, base=10, min=exponent - 85 * LR_STEP, max=exponent + 65 * LR_STEP,
            step=LR_STEP, description="lr", readout_format=".4f", style=style, layout=wide,
        )
        self.epochs = widgets.IntSlider(
            value=epochs, min=1, max=1000, step=1, description="epochs", style=style, layout=wide,
        )
        self.reduction = widgets.ToggleButtons(
            options=list(REDUCTIONS), value=reduction, description="reduction", style=style,
        )
        self.optimizer = widgets.Dropdown(
            options=list(OPTIMIZERS), value=optimizer, description="optimizer", style=style,
        )
        self.momentum = widgets.FloatSlider(
            value=momentum, min=0.0, max=0.95, step=0.05, description="momentum",
            style=style, layout=wide,
        )
        self.reset = widgets.Button(description="lesson defaults", icon="undo")
        self.status = widgets.HTML(layout=widgets.Layout(min_height="3em"))
        self.status.add_class("linreg-status")

        with plt.ioff():
            self.view = HistoryFigure(
                targets={"weight": w_star, "bias": b_star}, log_loss="auto", figsize=(6.4, 5.6),
                fast=True, sticky=True,
            )
        self.figure = self.view.figure
        self._live = LiveCanvas(self.figure)
        plot = self._live.widget

        controls = [self.lr, self.epochs, self.reduction, self.optimizer, self.momentum]
        for control in controls:
            control.observe(self._on_change, names="value")
        self.reset.on_click(self._on_reset)
        self.widget = widgets.VBox(
            [widgets.HBox([widgets.VBox([self.lr, self.epochs, self.momentum]),
                           widgets.VBox([self.optimizer, self.reduction, self.reset])]),
             self.status, plot]
        )
        self.update()
        # Static views of a saved notebook (no browser has shown it yet) show this picture.
        self._live.store_picture()

    # -- display ---------------------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def close(self) -> None:
        """Close the widgets and the figure (frees the kernel-side objects)."""
        plt.close(self.figure)
        self.widget.close()

    # -- updates ---------------------------------------------------------------------------
    def settings(self) -> dict:
        """The current training settings, as ``train()`` keyword arguments."""
        options = {}
        if self.optimizer.value == "SGD" and self.momentum.value > 0:
            options["momentum"] = float(self.momentum.value)
        return dict(lr=float(self.lr.value), epochs=int(self.epochs.value),
                    reduction=self.reduction.value, optimizer=self.optimizer.value, **options)

    def update(self, *, push_frame: bool = False) -> None:
        """Re-train with the current settings, redraw in place and refresh the status.

        ``push_frame`` (for changes made in the browser) sends the new frame at once once a
        browser shows the figure; otherwise the browser is asked to fetch it (draw_idle).
        """
        self._cancel_pending()
        self.momentum.disabled = self.optimizer.value != "SGD"
        try:
            settings = self.settings()
            history = train(self.x, self.y, seed=self.seed, **settings)
            self.history = history
            self.view.update(history)
            self._live.show(push=push_frame)
            self.status.value = html.escape(self.describe(history, settings), quote=False)
            self.last_error = None
        except Exception as exc:  # shown to the learner instead of vanishing in the callback
            self.last_error = exc
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            self.status.value = html.escape(quote=False, s=
                f"⚠️ Error while updating: {type(exc).__name__}: {exc} "
                f"(in {frame.name}, line {frame.lineno}). The plot shows the last good run."
            )
        self.updates += 1

    def _on_change(self, change) -> None:
        if changed_in_browser(change) and _running_loop() is not None:
            self._schedule()  # from the browser: coalesce
        else:
            self.update()  # from Python: at once

    def _schedule(self) -> None:
        if self._pending is None:
            self._pending = _running_loop().call_later(COALESCE_DELAY, self._run_pending)

    def _run_pending(self) -> None:
        self._pending = None
        self.update(push_frame=True)

    def _cancel_pending(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None

    def _on_reset(self, _button=None) -> None:
        with self.widget.hold_sync():
            for control, value in ((self.lr, 0.05), (self.epochs, 51), (self.reduction, "sum"),
                                   (self.optimizer, "SGD"), (self.momentum, 0.0)):
                control.unobserve(self._on_change, names="value")
                control.value = value
                control.observe(self._on_change, names="value")
        self.update()

    # -- status ----------------------------------------------------------------------------
    def describe(self, history: History, settings: dict) -> str:
        """The status line for a finished run."""
        lr, reduction, name = settings["lr"], settings["reduction"], settings["optimizer"]
        momentum = settings.get("momentum", 0.0)
        run = f"{name}, lr = {lr:.4f}, {reduction}" + (f", momentum {momentum:.2f}"
                                                       if momentum else "")
        if history.diverged:
            how = "exploded" if history.exploded else "kept growing"
            text = f"Diverged at epoch {history.diverged_at}: the loss {how} ({run}). "
            if name == "SGD":
                bound = max_stable_lr(self.x, reduction, momentum=momentum)
                text += (f"Plain SGD on this data with reduction='{reduction}' is stable only "
                         f"for lr below {bound:.4f} (2/λmax of the loss Hessian"
                         f"{', times 1 + momentum' if momentum else ''}): lower the lr.")
            else:
                text += f"{name} has no simple stability bound: lower the lr."
            return text
        # history.loss[-1] was computed before the last step; the status reports the loss
        # of the parameters training ended with.
        w, b = history.weight[-1], history.bias[-1]
        loss = self._loss_at(w, b, reduction)
        first = history.loss[0]
        tolerance = CONVERGED_TOLERANCE * max(1.0, *map(abs, self._best))
        if max(abs(w - self._best[0]), abs(b - self._best[1])) <= tolerance:
            verdict = "converged to the least-squares answer"
        elif loss < first:
            verdict = "still converging: try more epochs or another lr"
        else:
            verdict = "not improving: try another lr or optimizer"
        return (f"After {len(history)} epochs: w = {_fmt(w)}, b = {_fmt(b)}, loss {_fmt(loss)}, "
                f"ŷ(4) = {_fmt(history.predict(4.0))} — {verdict} ({run}; least squares: "
                f"w = {_fmt(self._best[0])}, b = {_fmt(self._best[1])}).")

    def _loss_at(self, w: float, b: float, reduction: str) -> float:
        errors = [(w * xi + b - yi) ** 2 for xi, yi in zip(self.x[:, 0].tolist(),
                                                           self.y[:, 0].tolist())]
        total = math.fsum(errors)
        return total / len(errors) if reduction == "mean" else total


def _fmt(value: float) -> str:
    """Four decimals, without a distracting '-0.0000'."""
    text = f"{value:.4f}"
    return "0.0000" if text == "-0.0000" else text


def _running_loop() -> Optional[asyncio.AbstractEventLoop]:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


__all__ = ["TrainingDashboard", "COALESCE_DELAY"]

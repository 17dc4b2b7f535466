"""The dashboard's status line: a pure function of a finished run, tested without widgets.

Every sentence is a template in :data:`MESSAGES` (one table, so that a translation replaces
the table and nothing else); :func:`dashboard_status` picks and fills them.
"""

from __future__ import annotations

import math

import torch

from linreg_helpers.analysis import closed_form, max_stable_lr
from linreg_helpers.training import History

#: "Converged" means w and b within this of least squares (relative, for large w*, b*).
CONVERGED_TOLERANCE = 1e-3
#: Optimizers whose steps hardly depend on the loss' scale (they divide by the gradient's
#: size, or search along it): for them reduction='sum' and 'mean' give nearly the same run
#: (Adam, 51 epochs at lr 0.05: w = 1.3531362 with 'sum', 1.3531359 with 'mean'); for SGD and
#: ASGD 'mean' divides the step by N (w = 1.9196 vs 1.7176).
SCALE_INVARIANT = ("Adagrad", "Adam", "Adamax", "LBFGS", "RMSprop", "Rprop")

MESSAGES = {
    "run": "{name}, lr = {lr:.4f}, {reduction}",
    "momentum": ", momentum {momentum:.2f}",
    "diverged": "Diverged at epoch {epoch}: the loss {how} ({run}). ",
    "exploded": "exploded",
    "kept_growing": "kept growing",
    "sgd_bound": ("Plain SGD on this data with reduction='{reduction}' is stable only for lr "
                  "below {bound:.4f} (2/λmax of the loss Hessian{times}): lower the lr."),
    "times_momentum": ", times 1 + momentum",
    "no_bound": "{name} has no simple stability bound: lower the lr.",
    "converged": "converged to the least-squares answer",
    "converging": "still converging: try more epochs or another lr",
    "not_improving": "not improving: try another lr or optimizer",
    "finished": ("After {epochs} epochs: w = {w}, b = {b}, loss {loss}, ŷ(4) = {y4} — {verdict} "
                 "({run}; least squares: w = {w_star}, b = {b_star})."),
    "scale_invariant": (" {name} scales its steps by the gradient's size, so switching "
                        "sum ↔ mean barely changes the run."),
}


def dashboard_status(history: History, settings: dict, x: torch.Tensor, y: torch.Tensor) -> str:
    """The status line for ``history``, trained with ``settings`` (``train()`` keywords) on
    the data ``x``, ``y`` (column tensors)."""
    name, reduction = settings["optimizer"], settings["reduction"]
    momentum = settings.get("momentum", 0.0)
    run = MESSAGES["run"].format(name=name, lr=settings["lr"], reduction=reduction)
    if momentum:
        run += MESSAGES["momentum"].format(momentum=momentum)
    note = MESSAGES["scale_invariant"].format(name=name) if name in SCALE_INVARIANT else ""
    if history.diverged:
        return _diverged(history, name, reduction, momentum, run, x) + note
    w_star, b_star = closed_form(x, y)
    w, b = history.weight[-1], history.bias[-1]
    # history.loss[-1] was computed before the last step: report the final parameters' loss.
    loss = _loss_at(w, b, x, y, reduction)
    tolerance = CONVERGED_TOLERANCE * max(1.0, abs(w_star), abs(b_star))
    if max(abs(w - w_star), abs(b - b_star)) <= tolerance:
        verdict = MESSAGES["converged"]
    elif loss < history.loss[0]:
        verdict = MESSAGES["converging"]
    else:
        verdict = MESSAGES["not_improving"]
    return MESSAGES["finished"].format(
        epochs=len(history), w=_fmt(w), b=_fmt(b), loss=_fmt(loss),
        y4=_fmt(history.predict(4.0)), verdict=verdict, run=run, w_star=_fmt(w_star),
        b_star=_fmt(b_star)) + note


def _diverged(history: History, name: str, reduction: str, momentum: float, run: str,
              x: torch.Tensor) -> str:
    how = MESSAGES["exploded" if history.exploded else "kept_growing"]
    text = MESSAGES["diverged"].format(epoch=history.diverged_at, how=how, run=run)
    if name != "SGD":
        return text + MESSAGES["no_bound"].format(name=name)
    bound = max_stable_lr(x, reduction, momentum=momentum)
    times = MESSAGES["times_momentum"] if momentum else ""
    return text + MESSAGES["sgd_bound"].format(reduction=reduction, bound=bound, times=times)


def _loss_at(w: float, b: float, x: torch.Tensor, y: torch.Tensor, reduction: str) -> float:
    """The squared-error loss of ŷ = w·x + b at the final parameters, in float64."""
    errors = [(w * xi + b - yi) ** 2 for xi, yi in zip(x[:, 0].tolist(), y[:, 0].tolist())]
    total = math.fsum(errors)
    return total / len(errors) if reduction == "mean" else total


def _fmt(value: float) -> str:
    """Four decimals, without a distracting '-0.0000'."""
    text = f"{value:.4f}"
    return "0.0000" if text == "-0.0000" else text

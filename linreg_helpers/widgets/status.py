"""The dashboard's status line: a pure function of a finished run, tested without widgets.

Every sentence is a ``dashboard.*`` template of the message tables (:mod:`linreg_helpers.i18n`,
English and Chinese); :func:`dashboard_status` picks and fills them.
"""

from __future__ import annotations

from functools import partial
from typing import Optional

import numpy as np
import torch

from linreg_helpers.analysis import closed_form, loss_at, max_stable_lr
from linreg_helpers.divergence import growth_onset
from linreg_helpers.i18n import text
from linreg_helpers.settings import Settings
from linreg_helpers.training import History

#: "Converged" means w and b within this of least squares (relative, for large w*, b*).
CONVERGED_TOLERANCE = 1e-3
#: Optimizers whose steps hardly depend on the loss' scale (they divide by the gradient's
#: size, or search along it): for them reduction='sum' and 'mean' give nearly the same run
#: (Adam, 51 epochs at lr 0.05: w = 1.3531362 with 'sum', 1.3531359 with 'mean'); for SGD and
#: ASGD 'mean' divides the step by N (w = 1.9196 vs 1.7176).
SCALE_INVARIANT = ("Adagrad", "Adam", "Adamax", "LBFGS", "RMSprop", "Rprop")


def dashboard_status(history: History, settings: Settings, x: torch.Tensor, y: torch.Tensor,
                     lang: Optional[str] = None, *, momentum: float = 0.0,
                     least_squares: Optional[tuple[float, float]] = None) -> str:
    """The status line for ``history``, trained with ``settings`` (and SGD's ``momentum``) on
    the data ``x``, ``y`` (column tensors); in ``lang`` (None: the package language).

    ``least_squares``: the (w, b) of :func:`~.analysis.closed_form` for ``x``, ``y`` if the
    caller has it (the dashboard solves it once, not on every slider move).
    """
    say = partial(text, lang=lang)
    name, reduction = settings.optimizer, settings.reduction
    run = say("dashboard.run", name=name, lr=settings.lr, reduction=reduction)
    if momentum:
        run += say("dashboard.momentum", momentum=momentum)
    note = say("dashboard.scale_invariant", name=name) if name in SCALE_INVARIANT else ""
    if history.diverged:
        return _diverged(history, name, reduction, momentum, run, x, say) + note
    w_star, b_star = closed_form(x, y) if least_squares is None else least_squares
    w, b = history.weight[-1], history.bias[-1]
    # history.loss[-1] was computed before the last step: report the final parameters' loss.
    loss = _loss_at(w, b, x, y, reduction)
    tolerance = CONVERGED_TOLERANCE * max(1.0, abs(w_star), abs(b_star))
    if max(abs(w - w_star), abs(b - b_star)) <= tolerance:
        verdict = say("dashboard.converged")
    elif loss < history.loss[0]:
        verdict = say("dashboard.converging")
    else:
        verdict = say("dashboard.not_improving")
    return say("dashboard.finished",
               epochs=len(history), w=_fmt(w), b=_fmt(b), loss=_fmt(loss),
               y4=_fmt(history.predict(4.0)), verdict=verdict, run=run, w_star=_fmt(w_star),
               b_star=_fmt(b_star)) + note


def _diverged(history: History, name: str, reduction: str, momentum: float, run: str,
              x: torch.Tensor, say) -> str:
    line = _divergence_line(history, run, say)
    if name != "SGD":
        return line + say("dashboard.no_bound", name=name)
    bound = max_stable_lr(x, reduction, momentum=momentum)
    times = say("dashboard.times_momentum") if momentum else ""
    return line + say("dashboard.sgd_bound", reduction=reduction, bound=bound, times=times)


def _divergence_line(history: History, run: str, say) -> str:
    """What happened, each event in its own words: where the loss began to grow for good
    (growth_onset: 06's "diverged from epoch N") and where it exploded and training stopped."""
    if not history.exploded:
        return say("dashboard.grew_from", epoch=history.diverged_at, run=run)
    onset = int(growth_onset(np.asarray([history.loss]))[0])
    if 0 <= onset < history.diverged_at:
        return say("dashboard.grew_then_exploded", onset=onset, epoch=history.diverged_at,
                   run=run)
    return say("dashboard.exploded_at", epoch=history.diverged_at, run=run)


def _loss_at(w: float, b: float, x: torch.Tensor, y: torch.Tensor, reduction: str) -> float:
    """The loss at the final parameters, in float64 (the series' one formula)."""
    xs, ys = (column[:, 0].double().numpy() for column in (x, y))
    return float(loss_at(np.float64(w), np.float64(b), xs, ys, reduction))


def _fmt(value: float) -> str:
    """Four decimals, without a distracting '-0.0000'."""
    shown = f"{value:.4f}"
    return "0.0000" if shown == "-0.0000" else shown

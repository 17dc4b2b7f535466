"""An optimizer race (优化器): the lesson's eight optimizers from the same starting point.

Notebook 07 writes the race out by hand; :func:`race` runs the same race for the tests and for
quick experiments, :func:`epochs_to_tolerance` and :func:`race_table` summarize it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Optional

import torch

from linreg_helpers.data import ArrayLike, xy_or_lesson
from linreg_helpers.model import LinearModel
from linreg_helpers.training import OPTIMIZERS, History, make_optimizer, run_loop, validate_settings

#: A learning rate per optimizer that works well on the lesson's data with the summed loss.
RACE_LRS: dict[str, float] = {
    "Adagrad": 2.0, "Adam": 0.3, "Adamax": 1.0, "ASGD": 0.05,
    "LBFGS": 1.0, "RMSprop": 0.15, "Rprop": 0.01, "SGD": 0.05,
}


def check_lrs(lrs: Mapping[str, float]) -> dict[str, float]:
    """Validate a dict optimizer name → learning rate (names as in ``OPTIMIZERS``)."""
    if not isinstance(lrs, Mapping) or not lrs:
        raise ValueError(f"lrs must be a non-empty dict such as {{'SGD': 0.05, 'Adam': 0.3}}; "
                         f"got {lrs!r}")
    for name, lr in lrs.items():
        validate_settings(lr, 1, "sum", name)
    return dict(lrs)


def race(
    lrs: Optional[Mapping[str, float]] = None,
    x: Optional[ArrayLike] = None,
    y: Optional[ArrayLike] = None,
    *,
    epochs: int = 100,
    reduction: str = "sum",
    seed: int = 0,
) -> dict[str, History]:
    """Train one lesson model per optimizer in ``lrs`` (default :data:`RACE_LRS`).

    All models start from the same parameters: ``torch.manual_seed(seed)``, one
    ``LinearModel()``, its ``state_dict()`` loaded into each racer with ``load_state_dict``
    (the caller's random state is left untouched). LBFGS gets its closure. Returns
    ``{name: History}`` in the order of ``lrs``.
    """
    lrs = check_lrs(RACE_LRS if lrs is None else lrs)
    validate_settings(next(iter(lrs.values())), epochs, reduction, "SGD")
    x_t, y_t = xy_or_lesson(x, y)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        init_state = LinearModel().state_dict()
        models = {name: LinearModel() for name in lrs}
    histories = {}
    for name, lr in lrs.items():
        model = models[name]
        model.load_state_dict(init_state)
        optimizer = make_optimizer(name, model.parameters(), lr)
        criterion = torch.nn.MSELoss(reduction=reduction)
        histories[name] = run_loop(model, criterion, optimizer, x_t, y_t, epochs)
    return histories


def epochs_to_tolerance(losses: Sequence[float], tol: float) -> Optional[int]:
    """The first epoch e whose recorded loss is below ``tol`` (after e steps), or None."""
    for epoch, loss in enumerate(losses):
        if math.isfinite(loss) and loss < tol:
            return epoch
    return None


def race_table(
    histories: Mapping[str, History], lrs: Mapping[str, float], tol: float
) -> str:
    """A text table: optimizer, lr, epochs to ``tol``, final loss; fastest first."""
    rows = []
    for name, history in histories.items():
        reached = epochs_to_tolerance(history.loss, tol)
        rows.append((math.inf if reached is None else reached, name, history))
    rows.sort(key=lambda row: row[0])
    lines = [f"{'optimizer':<9} {'lr':>6}  {'epochs to loss < ' + format(tol, 'g'):>20}  "
             f"{'final loss':>10}"]
    for reached, name, history in rows:
        when = "not reached" if reached == math.inf else str(reached)
        if history.diverged:
            when = f"diverged ({history.diverged_at})"
        lines.append(f"{name:<9} {lrs[name]:>6g}  {when:>20}  {history.loss[-1]:>10.2e}")
    return "\n".join(lines)


__all__ = [
    "OPTIMIZERS", "RACE_LRS", "check_lrs", "epochs_to_tolerance", "race", "race_table",
]

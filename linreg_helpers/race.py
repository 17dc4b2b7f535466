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
from linreg_helpers.formatting import display_width, loss_text, pad_to_width
from linreg_helpers.i18n import text
from linreg_helpers.model import seeded_model
from linreg_helpers.settings import (
    LESSON,
    validate_epochs,
    validate_lr,
    validate_optimizer,
    validate_reduction,
)
from linreg_helpers.training import History, make_optimizer, run_loop

#: A learning rate per optimizer that works well on the lesson's data with the summed loss.
RACE_LRS: dict[str, float] = {
    "Adagrad": 2.0, "Adam": 0.3, "Adamax": 1.0, "ASGD": 0.05,
    "LBFGS": 1.0, "RMSprop": 0.15, "Rprop": 0.01, "SGD": 0.05,
}


def _validate_lr_per_optimizer(lrs: Mapping[str, float]) -> dict[str, float]:
    """A dict optimizer name → learning rate, each checked (names as in ``OPTIMIZERS``)."""
    if not isinstance(lrs, Mapping) or not lrs:
        raise ValueError(text("error.race.lrs", lrs=lrs))
    return {validate_optimizer(name): validate_lr(lr) for name, lr in lrs.items()}


def race(
    lrs: Optional[Mapping[str, float]] = None,
    x: Optional[ArrayLike] = None,
    y: Optional[ArrayLike] = None,
    *,
    epochs: int = 100,
    reduction: str = LESSON.reduction,
    seed: int = 0,
) -> dict[str, History]:
    """Train one lesson model per optimizer in ``lrs`` (default :data:`RACE_LRS`).

    All models start from the same parameters, those of ``seeded_model(seed)``
    (``torch.manual_seed(seed)``, then ``LinearModel()``; the caller's random state is left
    untouched): notebook 07 copies one model's ``state_dict()`` into each racer, to the same
    effect. LBFGS gets its closure. Returns ``{name: History}`` in the order of ``lrs``.
    """
    lrs = _validate_lr_per_optimizer(RACE_LRS if lrs is None else lrs)
    epochs, reduction = validate_epochs(epochs), validate_reduction(reduction)
    x_t, y_t = xy_or_lesson(x, y)
    histories = {}
    for name, lr in lrs.items():
        model = seeded_model(seed)
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
    header = (text("race.optimizer"), text("race.lr"), text("race.epochs_to", tol=tol),
              text("race.final_loss"))
    width = max(20, display_width(header[2]))  # the column fits its header in every language
    lines = [_race_row(*header, width)]
    for reached, name, history in rows:
        when = text("race.not_reached") if reached == math.inf else str(reached)
        if history.diverged:
            when = text("race.diverged", epoch=history.diverged_at)
        lines.append(_race_row(name, format(lrs[name], "g"), when, loss_text(history.loss[-1]),
                               width))
    return "\n".join(lines)


def _race_row(name: str, lr: str, when: str, final: str, width: int) -> str:
    pad = pad_to_width
    return f"{pad(name, 9)} {pad(lr, 6, '>')}  {pad(when, width, '>')}  {pad(final, 10, '>')}"


__all__ = [
    "RACE_LRS", "epochs_to_tolerance", "race", "race_table",
]

"""The training settings of the series: the lesson's values, what is allowed, and one check each.

Every helper that takes a learning rate, a number of epochs, a reduction or an optimizer checks
it here, so a learner gets the same clear message from ``train``, ``lr_sweep``, the race and
the widgets. Numbers may be Python, NumPy or one-element torch values (``np.float32(0.05)``,
``torch.tensor(0.05)``, ``np.int64(51)``); bools and non-finite values are refused.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any, Optional

import numpy as np
import torch

from linreg_helpers.i18n import text

#: The optimizers named in the lesson, by their ``torch.optim`` class name.
OPTIMIZERS: tuple[str, ...] = (
    "Adagrad", "Adam", "Adamax", "ASGD", "LBFGS", "RMSprop", "Rprop", "SGD",
)
#: The reductions ``MSELoss`` accepts that give a scalar loss.
REDUCTIONS: tuple[str, ...] = ("sum", "mean")


@dataclass(frozen=True)
class Settings:
    """A training run's settings."""

    lr: float
    epochs: int
    reduction: str
    optimizer: str


#: The lesson's own: ``SGD(lr=0.05)``, 51 epochs, ``MSELoss(reduction='sum')``.
LESSON = Settings(lr=0.05, epochs=51, reduction="sum", optimizer="SGD")


def as_number(value: Any) -> Optional[float]:
    """A float from a real number of any kind (Python, NumPy, a one-element array or tensor).

    None for anything else (None, bool, str, lists, several elements, complex numbers).
    """
    value = _scalar(value)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        return None
    return float(value)


def as_whole_number(value: Any) -> Optional[int]:
    """An int from an integer of any kind (Python, NumPy, a one-element array or tensor)."""
    value = _scalar(value)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        return None
    return int(value)


def _scalar(value: Any) -> Any:
    """The element of a one-element array or tensor; other values (and larger arrays) as given."""
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    if isinstance(value, np.ndarray) and value.size == 1:
        return value.reshape(()).item()
    return value


def validate_lr(lr: Any) -> float:
    """The learning rate as a float, or ValueError: it must be a finite number > 0."""
    number = as_number(lr)
    if number is None or not math.isfinite(number):
        raise ValueError(text("error.settings.lr.not_number", example=LESSON.lr, lr=lr))
    if number <= 0:
        raise ValueError(text("error.settings.lr.not_positive", example=LESSON.lr, lr=number))
    return number


def validate_epochs(epochs: Any) -> int:
    """The number of epochs as an int, or ValueError: it must be a whole number ≥ 1."""
    whole = as_whole_number(epochs)
    if whole is None or whole < 1:
        raise ValueError(text("error.settings.epochs", example=LESSON.epochs, epochs=epochs))
    return whole


def validate_reduction(reduction: Any) -> str:
    """The reduction, or ValueError: one of :data:`REDUCTIONS` (a scalar loss)."""
    if reduction not in REDUCTIONS:
        hint = text("error.settings.reduction.none") if reduction == "none" else ""
        raise ValueError(text("error.settings.reduction", reduction=reduction, hint=hint,
                              choices=", ".join(REDUCTIONS)))
    return reduction


def validate_optimizer(optimizer: Any) -> str:
    """The optimizer's name, or ValueError: one of :data:`OPTIMIZERS`, spelled as torch does."""
    if optimizer not in OPTIMIZERS:
        matches = [name for name in OPTIMIZERS if name.lower() == str(optimizer).lower()]
        hint = text("error.settings.optimizer.did_you_mean", name=matches[0]) if matches else ""
        raise ValueError(text("error.settings.optimizer", optimizer=optimizer, hint=hint,
                              choices=", ".join(OPTIMIZERS)))
    return optimizer


def validate_settings(lr: Any, epochs: Any, reduction: Any, optimizer: Any) -> Settings:
    """All four settings checked (see the ``validate_*`` functions), as plain Python values."""
    return Settings(validate_lr(lr), validate_epochs(epochs), validate_reduction(reduction),
                    validate_optimizer(optimizer))

"""A training run taken a few epochs at a time, and steered between them: :class:`SteppedRun`.

The same model, optimizer and loss are kept from one :meth:`SteppedRun.step` to the next, so
any split of the epochs gives exactly the numbers of one :func:`~.training.train` run. A change
of a setting (:meth:`SteppedRun.steer`) applies from the next epoch, as a hand-written loop
would make it: ``optimizer.param_groups[0]["lr"]`` (or ``"momentum"``) set in place (the
optimizer keeps its state: momentum buffers, Adam's moments), a new ``MSELoss`` for another
reduction, and for another optimizer a new one of that kind on the current w, b (its state
starts empty). Each change is recorded (:class:`Change`) at the epoch it takes effect.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

import torch

from linreg_helpers.data import ArrayLike, xy_or_lesson
from linreg_helpers.i18n import text
from linreg_helpers.model import seeded_model
from linreg_helpers.settings import LESSON, as_whole_number, validate_settings
from linreg_helpers.training import (
    History,
    make_optimizer,
    mark_growth,
    run_epoch,
    set_start,
)

#: The settings :meth:`SteppedRun.steer` compares, in the order a status names them.
STEERED = ("optimizer", "lr", "momentum", "reduction", "epochs")


@dataclass(frozen=True)
class Change:
    """A setting changed during a run: from epoch ``epoch`` on, ``setting`` is ``new``."""

    epoch: int
    setting: str
    old: Any
    new: Any


@dataclass(eq=False)
class SteppedRun:
    """The lesson's training, ``step(k)`` epochs at a time; ``history`` is the run so far.

    Settings as :func:`~.training.train`'s (``momentum`` is SGD's, used when > 0). ``epoch``
    is the number of epochs trained; the run is ``finished`` at ``epochs`` and stops, like
    ``train()``, when the loss explodes (``exploded``).
    """

    x: Optional[ArrayLike] = None
    y: Optional[ArrayLike] = None
    lr: float = LESSON.lr
    epochs: int = LESSON.epochs
    reduction: str = LESSON.reduction
    optimizer: str = LESSON.optimizer
    momentum: float = 0.0
    seed: int = 0
    start: Optional[tuple[float, float]] = None
    history: History = field(default_factory=History)
    changes: list[Change] = field(default_factory=list)

    def __post_init__(self) -> None:
        settings = validate_settings(self.lr, self.epochs, self.reduction, self.optimizer)
        self.lr, self.epochs = settings.lr, settings.epochs
        self.x, self.y = xy_or_lesson(self.x, self.y)
        self.model = seeded_model(self.seed)
        if self.start is not None:
            set_start(self.model, self.start)
        self.criterion = torch.nn.MSELoss(reduction=self.reduction)
        self.torch_optimizer = self._new_optimizer()
        self._limit: Optional[float] = None

    def _new_optimizer(self) -> torch.optim.Optimizer:
        options = {"momentum": self.momentum} if self._uses_momentum() else {}
        return make_optimizer(self.optimizer, self.model.parameters(), self.lr, **options)

    def _uses_momentum(self) -> bool:
        return self.optimizer == "SGD" and self.momentum > 0

    @property
    def epoch(self) -> int:
        """Epochs trained so far."""
        return len(self.history)

    @property
    def exploded(self) -> bool:
        return self.history.exploded

    @property
    def finished(self) -> bool:
        """Whether ``epochs`` have been trained (raise ``epochs`` with :meth:`steer` to go on)."""
        return self.epoch >= self.epochs

    @property
    def params(self) -> tuple[float, float]:
        """The model's current (w, b)."""
        return self.model.linear.weight.item(), self.model.linear.bias.item()

    def step(self, k: int = 1) -> int:
        """Train up to ``k`` more epochs (fewer at the end or on an explosion); returns how many."""
        count = as_whole_number(k)
        if count is None or count < 0:
            raise ValueError(text("error.stepping.k", k=k))
        done = 0
        while done < count and not self.finished and not self.exploded:
            self._limit, _ = run_epoch(self.model, self.criterion, self.torch_optimizer,
                                       self.x, self.y, self.history, self._limit)
            done += 1
        if done and not self.exploded:
            mark_growth(self.history)
        return done

    def steer(self, *, lr: float, epochs: int, reduction: str, optimizer: str,
              momentum: float = 0.0) -> list[Change]:
        """Apply new settings from the next epoch on; returns (and records) what changed."""
        settings = validate_settings(lr, epochs, reduction, optimizer)
        wanted = {"optimizer": settings.optimizer, "lr": settings.lr,
                  "momentum": float(momentum), "reduction": settings.reduction,
                  "epochs": settings.epochs}
        made = [Change(self.epoch, name, getattr(self, name), wanted[name])
                for name in STEERED if getattr(self, name) != wanted[name]]
        for change in made:
            setattr(self, change.setting, change.new)
        names = {change.setting for change in made}
        if "optimizer" in names:
            self.torch_optimizer = self._new_optimizer()
        else:
            for group in self.torch_optimizer.param_groups:
                group["lr"] = self.lr
                if "momentum" in names and self.optimizer == "SGD":
                    group["momentum"] = self.momentum
        if "reduction" in names:
            self.criterion = torch.nn.MSELoss(reduction=self.reduction)
        self.changes.extend(made)
        return made


__all__ = ["Change", "STEERED", "SteppedRun"]

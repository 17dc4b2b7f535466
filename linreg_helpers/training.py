"""One trainer for the whole series: the lesson's loop, with its choices as arguments.

``train()`` runs exactly the loop the notebooks write by hand — forward, loss, ``zero_grad()``,
``backward()``, ``step()`` — and records, like the lesson, the loss *before* each step and the
weight and bias *after* it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Optional

import numpy as np
import torch

from linreg_helpers.data import ArrayLike, xy_or_lesson
from linreg_helpers.divergence import explosion_limit, growth_onset, is_exploded
from linreg_helpers.i18n import text
from linreg_helpers.model import LinearModel, seeded_model
from linreg_helpers.settings import LESSON, as_number, validate_settings

__all__ = [
    "History", "make_optimizer", "mark_growth", "run_epoch", "run_loop", "set_start", "train",
    "validate_settings",
]


@dataclass
class History:
    """What a training run recorded, one entry per epoch.

    ``loss[e]`` is the loss computed at the start of epoch ``e`` (before its step);
    ``weight[e]`` and ``bias[e]`` are the parameters after that step. The divergence rule is
    :mod:`linreg_helpers.divergence`'s. When the loss becomes non-finite or explodes (over
    ``EXPLOSION_FACTOR`` × max(first loss, 1)) — on any epoch, the last one included —
    training stops: ``exploded`` and ``diverged`` are True, ``diverged_at`` is that epoch, its
    loss is the last one recorded and no step is taken for it. A run whose loss ends above its
    first value and still growing is diverging too: ``diverged`` is True (``exploded`` False)
    and ``diverged_at`` is the epoch from which the loss stayed above its start.
    """

    loss: list[float] = field(default_factory=list)
    weight: list[float] = field(default_factory=list)
    bias: list[float] = field(default_factory=list)
    diverged: bool = False
    diverged_at: Optional[int] = None
    exploded: bool = False

    @property
    def epochs(self) -> list[int]:
        """The epoch numbers 0, 1, ... for plotting against."""
        return list(range(len(self.loss)))

    def predict(self, x: float) -> float:
        """The final model's prediction ŷ = w·x + b."""
        return self.weight[-1] * x + self.bias[-1]

    def __len__(self) -> int:
        return len(self.loss)



def make_optimizer(
    name: str, params, lr: float, **options: float
) -> torch.optim.Optimizer:
    """Build ``torch.optim.<name>(params, lr=lr, **options)`` with a clear error on bad options."""
    cls = getattr(torch.optim, name)
    try:
        return cls(params, lr=lr, **options)
    except TypeError as exc:
        raise ValueError(text("error.training.options", name=name, options=sorted(options),
                              error=exc)) from None


def train(
    x: Optional[ArrayLike] = None,
    y: Optional[ArrayLike] = None,
    *,
    lr: float = LESSON.lr,
    epochs: int = LESSON.epochs,
    reduction: str = LESSON.reduction,
    optimizer: str = LESSON.optimizer,
    seed: int = 0,
    start: Optional[tuple[float, float]] = None,
    **optimizer_options: float,
) -> History:
    """Train the lesson's ``LinearModel`` and return its :class:`History`.

    Defaults are the lesson's: its data, lr 0.05, 51 epochs, ``MSELoss(reduction='sum')``,
    SGD. ``seed`` fixes the model's initial weights (:func:`~linreg_helpers.model.seeded_model`:
    ``torch.manual_seed(seed)`` then ``LinearModel()``, as the notebooks do) without disturbing
    the caller's random state; ``start=(w0, b0)`` starts from chosen values instead. Numbers
    may be NumPy or torch scalars. Extra keyword arguments go to the optimizer (e.g.
    ``momentum=0.9``).
    """
    settings = validate_settings(lr, epochs, reduction, optimizer)
    x_t, y_t = xy_or_lesson(x, y)
    model = seeded_model(seed)
    if start is not None:
        set_start(model, start)
    criterion = torch.nn.MSELoss(reduction=settings.reduction)
    opt = make_optimizer(settings.optimizer, model.parameters(), settings.lr,
                         **optimizer_options)
    return run_loop(model, criterion, opt, x_t, y_t, settings.epochs)


def set_start(model: LinearModel, start: tuple[float, float]) -> None:
    try:
        w0, b0 = start
    except (TypeError, ValueError):
        raise ValueError(text("error.training.start", start=start)) from None
    values = [as_number(value) for value in (w0, b0)]
    for name, value, given in zip(("w0", "b0"), values, (w0, b0)):
        if value is None or not math.isfinite(value):
            raise ValueError(text("error.training.not_finite", name=name, value=given))
    with torch.no_grad():
        model.linear.weight.fill_(values[0])
        model.linear.bias.fill_(values[1])


def run_loop(
    model: LinearModel,
    criterion: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    x: torch.Tensor,
    y: torch.Tensor,
    epochs: int,
) -> History:
    """The lesson's loop over ``epochs``, one full batch each, stopping if the loss explodes."""
    history = History()
    limit = None
    for _ in range(epochs):
        limit, exploded = run_epoch(model, criterion, optimizer, x, y, history, limit)
        if exploded:
            break
    if not history.diverged:
        mark_growth(history)
    return history


def run_epoch(model: LinearModel, criterion: torch.nn.Module, optimizer: torch.optim.Optimizer,
              x: torch.Tensor, y: torch.Tensor, history: History,
              limit: Optional[float]) -> tuple[float, bool]:
    """One epoch of :func:`run_loop`, appended to ``history``; returns the explosion limit (set
    by the first epoch's loss when ``limit`` is None) and whether this epoch exploded."""
    loss = forward_loss(model, criterion, optimizer, x, y)
    loss_value = loss.item()
    if limit is None:
        limit = explosion_limit(loss_value)
    exploded = is_exploded(loss_value, limit)
    if exploded:
        history.diverged = history.exploded = True
        history.diverged_at = len(history)
    history.loss.append(loss_value)
    if not exploded:  # no step is taken for an exploded loss
        backward_step(model, criterion, optimizer, x, y, loss)
    history.weight.append(model.linear.weight.item())
    history.bias.append(model.linear.bias.item())
    return limit, exploded


def forward_loss(model: torch.nn.Module, criterion: torch.nn.Module,
                 optimizer: torch.optim.Optimizer, x: torch.Tensor,
                 y: torch.Tensor) -> torch.Tensor:
    """Steps 1–2 of the lesson's loop: forward, then the loss (before this step's update).

    LBFGS evaluates the loss again inside its closure, so here no graph is built for it.
    """
    if isinstance(optimizer, torch.optim.LBFGS):
        with torch.no_grad():
            return criterion(model(x), y)
    return criterion(model(x), y)


def backward_step(model: torch.nn.Module, criterion: torch.nn.Module,
                  optimizer: torch.optim.Optimizer, x: torch.Tensor, y: torch.Tensor,
                  loss: torch.Tensor) -> None:
    """Steps 3–5 of the lesson's loop: ``zero_grad()``, ``backward()``, ``step()``.

    LBFGS gets the closure it needs (it re-evaluates forward, loss and backward itself).
    """
    if isinstance(optimizer, torch.optim.LBFGS):
        def closure() -> torch.Tensor:
            optimizer.zero_grad()
            again = criterion(model(x), y)
            again.backward()
            return again

        optimizer.step(closure)
        return
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()


def mark_growth(history: History) -> None:
    """Mark a run that did not explode as diverged if its loss kept growing (the shared rule)."""
    history.diverged, history.diverged_at = False, None
    onset = int(growth_onset(np.asarray([history.loss]))[0])
    if onset >= 0:
        history.diverged, history.diverged_at = True, onset


@dataclass
class BatchHistory:
    """What mini-batch training (:func:`train_batches`) recorded.

    ``batch_loss`` has one entry per iteration: the loss of that batch before its step.
    ``train_loss[e]`` is epoch e's mean of those losses, weighted by the rows in each batch
    (under ``torch.distributed``, over the batches of every process); ``val_loss[e]`` is the
    loss on the validation rows after epoch e, in eval mode and without gradients.
    """

    batch_loss: list[float] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)


def train_batches(
    model: torch.nn.Module,
    batches,
    optimizer: torch.optim.Optimizer,
    *,
    epochs: int,
    criterion: Optional[torch.nn.Module] = None,
    validation: Optional[tuple[torch.Tensor, torch.Tensor]] = None,
    device: torch.device | str = "cpu",
    on_epoch=None,
    progress: bool = False,
) -> BatchHistory:
    """The lesson's steps once per mini-batch (:func:`forward_loss`, :func:`backward_step`: the
    same as :func:`run_loop`'s). Returns a :class:`BatchHistory`.

    ``batches`` is re-iterated every epoch and yields (x, y) pairs: a ``DataLoader``, a
    :class:`~linreg_helpers.batches.ShuffledBatches`, or a list. Model and batches are moved to
    ``device``. ``criterion`` defaults to ``MSELoss()`` (the mean). ``on_epoch(epoch)`` runs
    before each epoch (e.g. ``sampler.set_epoch``); ``progress=True`` shows a tqdm bar.
    """
    from tqdm.auto import trange  # only the progress bar needs it

    criterion = criterion if criterion is not None else torch.nn.MSELoss()
    validate_settings(optimizer.param_groups[0]["lr"], epochs,
                      getattr(criterion, "reduction", "mean"), type(optimizer).__name__)
    model.to(device)
    history = BatchHistory()
    for epoch in trange(epochs, desc=text("train.progress"), disable=not progress, leave=True):
        if on_epoch is not None:
            on_epoch(epoch)
        model.train()
        weighted, rows = 0.0, 0
        for x, y in batches:
            x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
            loss = forward_loss(model, criterion, optimizer, x, y)
            backward_step(model, criterion, optimizer, x, y, loss)
            history.batch_loss.append(loss.item())
            weighted, rows = weighted + history.batch_loss[-1] * x.shape[0], rows + x.shape[0]
        history.train_loss.append(_epoch_mean(weighted, rows))
        if validation is not None:
            history.val_loss.append(evaluate(model, *validation, criterion=criterion,
                                             device=device))
    return history


def evaluate(model: torch.nn.Module, x: torch.Tensor, y: torch.Tensor, *,
             criterion: Optional[torch.nn.Module] = None,
             device: torch.device | str = "cpu") -> float:
    """The loss of ``model`` on (x, y) in eval mode, without building a graph."""
    criterion = criterion if criterion is not None else torch.nn.MSELoss()
    model.eval()
    with torch.no_grad():
        return criterion(model(x.to(device)), y.to(device)).item()


def _epoch_mean(weighted: float, rows: int) -> float:
    """Σ loss·rows / Σ rows — summed over every process when torch.distributed is running."""
    if torch.distributed.is_available() and torch.distributed.is_initialized():
        device = "cuda" if torch.distributed.get_backend() == "nccl" else "cpu"
        totals = torch.tensor([weighted, rows], dtype=torch.float64, device=device)
        torch.distributed.all_reduce(totals)
        weighted, rows = totals.tolist()
    return weighted / rows if rows else math.nan

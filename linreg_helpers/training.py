"""One trainer for the whole series: the lesson's loop, with its choices as arguments.

``train()`` runs exactly the loop the notebooks write by hand — forward, loss, ``zero_grad()``,
``backward()``, ``step()`` — and records, like the lesson, the loss *before* each step and the
weight and bias *after* it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Optional

import torch

from linreg_helpers.data import ArrayLike, xy_or_lesson
from linreg_helpers.model import LinearModel

#: The optimizers named in the lesson, by their ``torch.optim`` class name.
OPTIMIZERS: tuple[str, ...] = (
    "Adagrad", "Adam", "Adamax", "ASGD", "LBFGS", "RMSprop", "Rprop", "SGD",
)
#: The reductions ``MSELoss`` accepts that give a scalar loss.
REDUCTIONS: tuple[str, ...] = ("sum", "mean")
#: Training stops as diverged when the loss exceeds this multiple of max(first loss, 1).
EXPLOSION_FACTOR = 1e6


@dataclass
class History:
    """What a training run recorded, one entry per epoch.

    ``loss[e]`` is the loss computed at the start of epoch ``e`` (before its step);
    ``weight[e]`` and ``bias[e]`` are the parameters after that step. When the loss becomes
    non-finite or explodes (over ``EXPLOSION_FACTOR`` × max(first loss, 1)), training stops:
    ``diverged`` is True, ``diverged_at`` is that epoch, its loss is the last one recorded
    and no step is taken for it. A run whose loss ends above its first value and still
    growing is diverging too: ``diverged`` is True and ``diverged_at`` is the epoch from
    which the loss stayed above its start.
    """

    loss: list[float] = field(default_factory=list)
    weight: list[float] = field(default_factory=list)
    bias: list[float] = field(default_factory=list)
    diverged: bool = False
    diverged_at: Optional[int] = None

    @property
    def epochs(self) -> list[int]:
        """The epoch numbers 0, 1, ... for plotting against."""
        return list(range(len(self.loss)))

    def predict(self, x: float) -> float:
        """The final model's prediction ŷ = w·x + b."""
        return self.weight[-1] * x + self.bias[-1]

    def __len__(self) -> int:
        return len(self.loss)


def validate_settings(lr: float, epochs: int, reduction: str, optimizer: str) -> None:
    """Raise ValueError, saying what to do, if a training setting is unusable."""
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not math.isfinite(lr):
        raise ValueError(f"lr must be a positive number such as 0.05; got {lr!r}")
    if lr <= 0:
        raise ValueError(f"lr (the learning rate, 学习率) must be > 0, such as 0.05; got {lr}")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"epochs must be a whole number ≥ 1, such as 51; got {epochs!r}")
    if reduction not in REDUCTIONS:
        hint = " ('none' gives one loss per sample; backward() needs a scalar)" if (
            reduction == "none") else ""
        raise ValueError(
            f"unknown reduction {reduction!r}{hint}; choose one of {', '.join(REDUCTIONS)}"
        )
    if optimizer not in OPTIMIZERS:
        matches = [name for name in OPTIMIZERS if name.lower() == str(optimizer).lower()]
        hint = f" — did you mean {matches[0]!r}?" if matches else ""
        raise ValueError(
            f"unknown optimizer {optimizer!r}{hint}; choose one of {', '.join(OPTIMIZERS)}"
        )


def make_optimizer(
    name: str, params, lr: float, **options: float
) -> torch.optim.Optimizer:
    """Build ``torch.optim.<name>(params, lr=lr, **options)`` with a clear error on bad options."""
    cls = getattr(torch.optim, name)
    try:
        return cls(params, lr=lr, **options)
    except TypeError as exc:
        raise ValueError(f"{name} does not accept these options {sorted(options)}: {exc}") from None


def train(
    x: Optional[ArrayLike] = None,
    y: Optional[ArrayLike] = None,
    *,
    lr: float = 0.05,
    epochs: int = 51,
    reduction: str = "sum",
    optimizer: str = "SGD",
    seed: int = 0,
    start: Optional[tuple[float, float]] = None,
    **optimizer_options: float,
) -> History:
    """Train the lesson's ``LinearModel`` and return its :class:`History`.

    Defaults are the lesson's: its data, lr 0.05, 51 epochs, ``MSELoss(reduction='sum')``,
    SGD. ``seed`` fixes the model's initial weights (``torch.manual_seed(seed)`` then
    ``LinearModel()``, as the notebooks do) without disturbing the caller's random state;
    ``start=(w0, b0)`` starts from chosen values instead. Extra keyword arguments go to the
    optimizer (e.g. ``momentum=0.9``).
    """
    validate_settings(lr, epochs, reduction, optimizer)
    x_t, y_t = xy_or_lesson(x, y)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = LinearModel()
    if start is not None:
        _set_start(model, start)
    criterion = torch.nn.MSELoss(reduction=reduction)
    opt = make_optimizer(optimizer, model.parameters(), lr, **optimizer_options)
    return run_loop(model, criterion, opt, x_t, y_t, epochs)


def _set_start(model: LinearModel, start: tuple[float, float]) -> None:
    try:
        w0, b0 = start
    except (TypeError, ValueError):
        raise ValueError(
            f"start must be a pair (w0, b0) such as (0.5, 1.0); got {start!r}"
        ) from None
    for name, value in (("w0", w0), ("b0", b0)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
                math.isfinite(value)):
            raise ValueError(f"{name} must be a finite number such as 0.5; got {value!r}")
    with torch.no_grad():
        model.linear.weight.fill_(w0)
        model.linear.bias.fill_(b0)


def run_loop(
    model: LinearModel,
    criterion: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    x: torch.Tensor,
    y: torch.Tensor,
    epochs: int,
) -> History:
    """The lesson's loop over ``epochs``, stopping early if the loss diverges."""
    history = History()
    weight, bias = model.linear.weight, model.linear.bias
    limit: Optional[float] = None
    is_lbfgs = isinstance(optimizer, torch.optim.LBFGS)

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        return loss

    for epoch in range(epochs):
        if is_lbfgs:
            with torch.no_grad():
                loss_value = criterion(model(x), y).item()
        else:
            loss = criterion(model(x), y)
            loss_value = loss.item()
        if limit is None:
            limit = EXPLOSION_FACTOR * max(loss_value, 1.0) if math.isfinite(loss_value) else 0.0
        history.loss.append(loss_value)
        if not math.isfinite(loss_value) or loss_value > limit:
            history.diverged, history.diverged_at = True, epoch
            history.weight.append(weight.item())
            history.bias.append(bias.item())
            break
        if is_lbfgs:
            optimizer.step(closure)
        else:
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        history.weight.append(weight.item())
        history.bias.append(bias.item())
    if not history.diverged:
        _mark_growth(history)
    return history


def _mark_growth(history: History) -> None:
    """Mark a run as diverged if its loss ended above where it started, growing.

    Just above the stable learning rate the loss grows slowly and need not explode within
    the epochs run; it is still diverging. ``diverged_at`` is then the epoch from which the
    loss stayed above its starting value.
    """
    losses = history.loss
    if len(losses) < 2 or not losses[-1] > losses[0] or not losses[-1] > losses[-2]:
        return
    onset = len(losses) - 1
    while onset > 0 and losses[onset - 1] > losses[0]:
        onset -= 1
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
    """The lesson's four steps once per mini-batch: forward, loss, ``zero_grad()``, ``backward()``,
    ``step()``. Returns a :class:`BatchHistory`.

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
    for epoch in trange(epochs, desc="epochs", disable=not progress, leave=False):
        if on_epoch is not None:
            on_epoch(epoch)
        model.train()
        weighted, rows = 0.0, 0
        for x, y in batches:
            x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
            loss = criterion(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
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

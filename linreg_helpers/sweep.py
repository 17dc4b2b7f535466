"""Train one model per learning rate, all at once: a batched learning-rate sweep.

:func:`lr_sweep` keeps K copies of the lesson's model side by side as two parameter vectors
w and b of shape (K,). One forward pass predicts for all K models at once, each model's loss
is summed over the samples, and one backward pass over the sum of the K losses gives every
model its own gradient — one small autograd graph per epoch instead of K. Each model then takes
a plain SGD step with its own learning rate. The result matches K separate :func:`train` runs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Optional, Union

import numpy as np
import torch

from linreg_helpers.analysis import loss_at
from linreg_helpers.data import ArrayLike, xy_or_lesson
from linreg_helpers.divergence import explosion_limit, growth_onset, is_exploded
from linreg_helpers.i18n import text
from linreg_helpers.model import initial_params
from linreg_helpers.settings import LESSON, validate_epochs, validate_reduction

LearningRates = Union[Sequence[float], np.ndarray, torch.Tensor]


@dataclass
class SweepResult:
    """What :func:`lr_sweep` found, one entry per learning rate (arrays of shape (K,)).

    ``final_loss[k]`` is ``train(lr=lrs[k], ...).loss[-1]``: the loss recorded at the last
    epoch run, *before* that epoch's step. For a run that exploded (loss non-finite, or over
    ``EXPLOSION_FACTOR`` × max(first loss, 1)) that is the loss at the epoch where training
    stopped — huge, inf or nan. ``diverged``/``diverged_at``/``exploded`` follow
    :class:`History`'s rules, which are :mod:`linreg_helpers.divergence`'s (``diverged_at`` is
    -1 for runs that did not diverge), ``epochs_run[k]`` is
    ``len(train(...).loss)``, and ``weight``/``bias`` are the final ``History.weight[-1]``,
    ``History.bias[-1]``. ``loss`` has shape (K, epochs): every recorded loss, nan after a stop.
    """

    lrs: np.ndarray
    final_loss: np.ndarray
    diverged: np.ndarray
    diverged_at: np.ndarray
    exploded: np.ndarray
    epochs_run: np.ndarray
    weight: np.ndarray
    bias: np.ndarray
    loss: np.ndarray
    reduction: str
    epochs: int

    def __len__(self) -> int:
        return len(self.lrs)

    @property
    def largest_stable_lr(self) -> float:
        """The largest learning rate of the sweep that did not diverge (nan if all did)."""
        stable = self.lrs[~self.diverged]
        return float(stable.max()) if stable.size else math.nan


def _validate_lr_list(lrs: LearningRates) -> np.ndarray:
    """A list (array, tensor) of learning rates as a float64 array of shape (K,), or ValueError."""
    if isinstance(lrs, torch.Tensor):
        lrs = lrs.detach().cpu().numpy()
    if isinstance(lrs, (int, float)):
        raise ValueError(text("error.sweep.one_number", lr=lrs))
    try:
        array = np.asarray(lrs)
    except (TypeError, ValueError) as exc:
        raise ValueError(text("error.sweep.unreadable", error=exc)) from None
    if array.dtype == np.bool_ or not np.issubdtype(array.dtype, np.number) or (
            np.issubdtype(array.dtype, np.complexfloating)):
        raise ValueError(text("error.sweep.not_real", dtype=array.dtype))
    if array.ndim != 1:
        raise ValueError(text("error.sweep.not_flat", shape=array.shape))
    if array.size == 0:
        raise ValueError(text("error.sweep.empty"))
    array = array.astype(np.float64)
    bad = np.flatnonzero(~np.isfinite(array) | (array <= 0))
    if bad.size:
        k = int(bad[0])
        raise ValueError(text("error.sweep.not_positive", index=k, lr=float(array[k])))
    return array


def lr_sweep(
    lrs: LearningRates,
    *,
    epochs: int = LESSON.epochs,
    reduction: str = LESSON.reduction,
    x: Optional[ArrayLike] = None,
    y: Optional[ArrayLike] = None,
    seed: int = 0,
) -> SweepResult:
    """Train the lesson's model with plain SGD once per learning rate in ``lrs``, all at once.

    Every model starts from the (w, b) that ``train(seed=seed)`` starts from
    (``torch.manual_seed(seed)``, then ``LinearModel()``; the caller's random state is left
    untouched) and is trained on x, y (default: the lesson's data) with
    ``MSELoss(reduction)`` for ``epochs`` epochs. Runs stop individually when they diverge,
    exactly when :func:`train` would stop. See :class:`SweepResult` for what is returned.
    """
    lr_array = _validate_lr_list(lrs)
    epochs, reduction = validate_epochs(epochs), validate_reduction(reduction)
    x_t, y_t = xy_or_lesson(x, y)
    w_init, b_init = initial_params(seed)
    k = lr_array.size
    w = torch.full((k,), w_init, dtype=torch.float32, requires_grad=True)
    b = torch.full((k,), b_init, dtype=torch.float32, requires_grad=True)
    lr_t = torch.from_numpy(lr_array).to(torch.float32)
    xs, ys = x_t[:, 0], y_t[:, 0]  # (N,)
    losses, ws, bs = [], [w.detach()], [b.detach()]
    for _ in range(epochs):
        loss = loss_at(w, b, xs, ys, reduction)  # (K,): each model's own loss
        grad_w, grad_b = torch.autograd.grad(loss.sum(), (w, b))  # model k's gradient only
        losses.append(loss.detach())
        w = (w.detach() - lr_t * grad_w).requires_grad_()
        b = (b.detach() - lr_t * grad_b).requires_grad_()
        ws.append(w.detach())
        bs.append(b.detach())
    return _summarize(lr_array, torch.stack(losses, 1), torch.stack(ws, 1), torch.stack(bs, 1),
                      reduction, epochs)


def _summarize(lrs: np.ndarray, loss_t: torch.Tensor, w_t: torch.Tensor, b_t: torch.Tensor,
               reduction: str, epochs: int) -> SweepResult:
    """Apply train()'s stopping rules to the full (K, epochs) records, after the fact.

    Runs are independent, so a run that blew up (even to inf or nan) never disturbed the
    others; its records after the epoch where train() would have stopped are simply dropped.
    """
    loss = loss_t.double().numpy()  # the float32 values train() reads with .item()
    w_all, b_all = w_t.double().numpy(), b_t.double().numpy()  # column e: before epoch e's step
    k = lrs.size
    exploded = is_exploded(loss, explosion_limit(loss[:, :1]))
    any_explosion = exploded.any(axis=1)
    stop = np.where(any_explosion, exploded.argmax(axis=1), epochs - 1)
    rows = np.arange(k)
    epochs_run = stop + 1
    final_loss = loss[rows, stop]
    # train() appends the parameters after each step; at an explosion no step is taken.
    column = np.where(any_explosion, stop, stop + 1)
    weight, bias = w_all[rows, column], b_all[rows, column]
    # The slow-growth rule applies to the runs that did not explode (all their losses finite).
    growing_at = growth_onset(np.where(any_explosion[:, None], 0.0, loss))
    diverged_at = np.where(any_explosion, stop, growing_at)
    recorded = np.where(np.arange(epochs) <= stop[:, None], loss, np.nan)
    return SweepResult(
        lrs=lrs, final_loss=final_loss, diverged=diverged_at >= 0, diverged_at=diverged_at,
        exploded=any_explosion, epochs_run=epochs_run, weight=weight, bias=bias, loss=recorded,
        reduction=reduction, epochs=epochs,
    )

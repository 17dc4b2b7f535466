"""Self-checks for the exercises of notebooks 08 (real data) and 09 (torch.distributed).

Like :mod:`linreg_helpers.exercises`: each check prints one line — a pass, a hint, or "not
attempted yet" — returns True only for a right answer, and never raises.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch.utils.data import DistributedSampler

from linreg_helpers.exercises import _hint, _passed, _unattempted, as_number
from linreg_helpers.i18n import text
from linreg_helpers.realdata import r2_score


def _call(fn: Any, name: str, *args: Any) -> tuple[bool, Any]:
    """(True, result) or (False, None) after reporting what went wrong."""
    if not callable(fn):
        return False, _hint("check.real.not_function", name=name)
    try:
        return True, fn(*args)
    except Exception as exc:  # the learner's code: report instead of raising
        return False, _hint("check.real.raised", name=name, error=type(exc).__name__,
                            detail=exc)


def check_r2(fn: Any) -> bool:
    """``fn(y_true, y_pred)`` returns R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)²."""
    if _unattempted(fn, text("check.r2.todo")):
        return False
    generator = torch.Generator().manual_seed(8)
    y_true = 3 + torch.randn(40, 1, generator=generator)
    y_pred = 0.8 * y_true + 1 + 0.5 * torch.randn(40, 1, generator=generator)  # biased a bit
    ok, got = _call(fn, "my_r2", y_true, y_pred)
    if not ok:
        return False
    number, expected = as_number(got), r2_score(y_true, y_pred)
    if number is None:
        return _hint("check.r2.not_number", got=repr(got)[:60])
    residual = float(((y_true - y_pred) ** 2).sum())
    if math.isclose(number, residual / float(((y_true - y_true.mean()) ** 2).sum()), rel_tol=1e-4):
        return _hint("check.r2.unexplained")
    if not math.isclose(number, expected, rel_tol=1e-4, abs_tol=1e-6):
        return _hint("check.r2.wrong", got=number, expected=expected)
    return _passed("check.r2.pass", expected=expected)


def check_standardized(z_val: Any, x_train: torch.Tensor, x_val: torch.Tensor) -> bool:
    """The validation rows standardised with the *training* rows' mean and standard deviation."""
    if _unattempted(z_val, text("check.standardized.todo")):
        return False
    if not isinstance(z_val, torch.Tensor) or z_val.shape != x_val.shape:
        shape = tuple(z_val.shape) if isinstance(z_val, torch.Tensor) else type(z_val).__name__
        return _hint("check.standardized.shape", expected=tuple(x_val.shape), got=shape)
    z_val = z_val.detach().double()
    mean = x_train.double().mean(dim=0)
    for correction in (0, 1):  # population or sample standard deviation: both are fine
        std = x_train.double().std(dim=0, correction=correction)
        if torch.allclose(z_val, (x_val.double() - mean) / std, rtol=1e-4, atol=1e-4):
            return _passed("check.standardized.pass")
    if torch.allclose(z_val.mean(dim=0), torch.zeros(z_val.shape[1], dtype=torch.float64),
                      atol=1e-4):
        return _hint("check.standardized.own_statistics")
    return _hint("check.standardized.wrong")


def check_shard(fn: Any) -> bool:
    """``fn(indices, rank, world_size)`` returns what ``DistributedSampler`` gives ``rank``."""
    if _unattempted(fn, text("check.shard.todo")):
        return False
    for rows, world_size in ((8, 2), (10, 4), (7, 3), (3, 1)):
        indices = list(range(100, 100 + rows))
        for rank in range(world_size):
            sampler = DistributedSampler(indices, num_replicas=world_size, rank=rank,
                                         shuffle=False)
            expected = [indices[i] for i in sampler]
            ok, got = _call(fn, "my_shard", list(indices), rank, world_size)
            if not ok:
                return False
            got = got.tolist() if isinstance(got, torch.Tensor) else got
            if not isinstance(got, (list, tuple)) or list(got) != expected:
                hint = text("check.shard.pad" if rows % world_size else "check.shard.deal")
                return _hint("check.shard.wrong", rows=rows, rank=rank, world_size=world_size,
                             got=repr(got), expected=expected, hint=hint)
    return _passed("check.shard.pass")


def check_ddp_sum_lr(answer: Any, *, lr: float, world_size: int) -> bool:
    """The lr with which ``reduction='sum'`` on ``world_size`` processes takes 1 process's steps."""
    if _unattempted(answer, text("check.ddp_lr.todo")):
        return False
    number = as_number(answer)
    if number is None:
        return _hint("check.ddp_lr.not_number", got=repr(answer))
    expected = lr * world_size
    if math.isclose(number, expected, rel_tol=1e-6):
        return _passed("check.ddp_lr.pass", world_size=world_size, expected=expected)
    if math.isclose(number, lr / world_size, rel_tol=1e-6):
        return _hint("check.ddp_lr.inverted")
    return _hint("check.ddp_lr.wrong", world_size=world_size)

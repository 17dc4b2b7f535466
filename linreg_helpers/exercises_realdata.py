"""Self-checks for the exercises of notebooks 08 (real data) and 09 (torch.distributed).

Like :mod:`linreg_helpers.exercises`: each check prints one line — a pass, a hint, or "not
attempted yet" — returns True only for a right answer, and never raises.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch.utils.data import DistributedSampler

from linreg_helpers.exercises import _report, _unattempted, as_number
from linreg_helpers.realdata import r2_score


def _call(fn: Any, name: str, *args: Any) -> tuple[bool, Any]:
    """(True, result) or (False, None) after reporting what went wrong."""
    if not callable(fn):
        return False, _report(False, f"{name} should be a function")
    try:
        return True, fn(*args)
    except Exception as exc:  # the learner's code: report instead of raising
        return False, _report(False, f"{name} raised {type(exc).__name__}: {exc}")


def check_r2(fn: Any) -> bool:
    """``fn(y_true, y_pred)`` returns R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)²."""
    if _unattempted(fn, "your function my_r2(y_true, y_pred)"):
        return False
    generator = torch.Generator().manual_seed(8)
    y_true = 3 + torch.randn(40, 1, generator=generator)
    y_pred = 0.8 * y_true + 1 + 0.5 * torch.randn(40, 1, generator=generator)  # biased a bit
    ok, got = _call(fn, "my_r2", y_true, y_pred)
    if not ok:
        return False
    number, expected = as_number(got), r2_score(y_true, y_pred)
    if number is None:
        return _report(False, f"my_r2 should return one number; got {repr(got)[:60]}")
    residual = float(((y_true - y_pred) ** 2).sum())
    if math.isclose(number, residual / float(((y_true - y_true.mean()) ** 2).sum()), rel_tol=1e-4):
        return _report(False, "that is the fraction of the variance left unexplained; R² is 1 "
                              "minus it")
    if not math.isclose(number, expected, rel_tol=1e-4, abs_tol=1e-6):
        return _report(False, f"got {number:.4f}, expected {expected:.4f} — the total sum of "
                              "squares is taken around the mean of y_true")
    return _report(True, f"my_r2 agrees with r2_score ({expected:.4f} on the test data).")


def check_standardized(z_val: Any, x_train: torch.Tensor, x_val: torch.Tensor) -> bool:
    """The validation rows standardised with the *training* rows' mean and standard deviation."""
    if _unattempted(z_val, "the standardised validation rows"):
        return False
    if not isinstance(z_val, torch.Tensor) or z_val.shape != x_val.shape:
        shape = tuple(z_val.shape) if isinstance(z_val, torch.Tensor) else type(z_val).__name__
        return _report(False, f"z_val should be a tensor of shape {tuple(x_val.shape)}, like "
                              f"x_val; got {shape}")
    z_val = z_val.detach().double()
    mean = x_train.double().mean(dim=0)
    for correction in (0, 1):  # population or sample standard deviation: both are fine
        std = x_train.double().std(dim=0, correction=correction)
        if torch.allclose(z_val, (x_val.double() - mean) / std, rtol=1e-4, atol=1e-4):
            return _report(True, "validation rows scaled with the training statistics: the "
                                 "model sees them exactly as it saw the training rows.")
    if torch.allclose(z_val.mean(dim=0), torch.zeros(z_val.shape[1], dtype=torch.float64),
                      atol=1e-4):
        return _report(False, "its columns have mean 0 exactly: you used the validation rows' "
                              "own statistics — use x_train.mean(dim=0) and x_train.std(dim=0)")
    return _report(False, "not (x_val − mean) / std with the training rows' per-column mean and "
                          "std — per column means dim=0")


def check_shard(fn: Any) -> bool:
    """``fn(indices, rank, world_size)`` returns what ``DistributedSampler`` gives ``rank``."""
    if _unattempted(fn, "your function my_shard(indices, rank, world_size)"):
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
                hint = (" — pad first by repeating rows from the start, so that every rank "
                        "gets the same number" if rows % world_size else
                        " — the sampler deals indices out like cards: rank r takes every "
                        "world_size-th one, starting at position r")
                return _report(False, f"my_shard({rows} indices, rank={rank}, "
                                      f"world_size={world_size}) gave {got!r}; expected "
                                      f"{expected}{hint}")
    return _report(True, "my_shard matches DistributedSampler, padding included.")


def check_ddp_sum_lr(answer: Any, *, lr: float, world_size: int) -> bool:
    """The lr with which ``reduction='sum'`` on ``world_size`` processes takes 1 process's steps."""
    if _unattempted(answer, "a learning rate (a number)"):
        return False
    number = as_number(answer)
    if number is None:
        return _report(False, f"give a number; got {answer!r}")
    expected = lr * world_size
    if math.isclose(number, expected, rel_tol=1e-6):
        return _report(True, f"DDP averages the {world_size} processes' gradients, so each "
                             f"summed gradient counts 1/{world_size}: lr × {world_size} = "
                             f"{expected:g} restores the step.")
    if math.isclose(number, lr / world_size, rel_tol=1e-6):
        return _report(False, "the other way round: averaging makes the step smaller, so the "
                              "learning rate must grow")
    return _report(False, f"each process sums over its own rows, and DDP averages the "
                          f"{world_size} gradients instead of adding them")

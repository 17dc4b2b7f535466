"""Self-checks for the exercises of Part 2, beyond the lesson: notebooks 06 (the loss
landscape), 07 (optimizers), 08 (real data) and 09 (torch.distributed).

Like :mod:`linreg_helpers.exercises.lesson`: each check prints one line — a pass, a hint, or "not
attempted yet" — returns True only for a right answer, and never raises.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
import torch
from torch.utils.data import DistributedSampler

from linreg_helpers.analysis import (
    closed_form,
    condition_number,
    contraction_factors,
    max_stable_lr,
)
from linreg_helpers.exercises.report import (
    borrowed,
    call_learner,
    check_function,
    check_int_answer,
    report_hint,
    report_pass,
    unattempted,
    watching,
)
from linreg_helpers.i18n import text
from linreg_helpers.realdata import Standardizer, r2_score
from linreg_helpers.settings import OPTIMIZERS, as_number, as_whole_number
from linreg_helpers.training import train

#: The inputs on which check_max_stable_lr compares the learner's function.
STABLE_LR_CASES = [([[1.0], [2.0], [3.0]],), ([[0.5], [1.0], [4.0], [6.0]],), ([[-2.0], [2.0]],),
                   ([[10.0]],)]


def check_max_stable_lr(fn: Any) -> bool:
    """``fn(x)`` is 2/λmax of the summed loss's Hessian for inputs x (as ``max_stable_lr``)."""
    return check_function(fn, max_stable_lr, STABLE_LR_CASES, "my_max_stable_lr",
                          originals=(max_stable_lr,))


def check_flat_epochs(answer: Any, *, lr: float = 0.05, share: float = 0.01) -> bool:
    """The fewest epochs after which the flat-axis distance is below ``share`` of its start."""
    factor, n = abs(float(contraction_factors(lr)[0])), 1
    while factor ** n >= share:
        n += 1
    return check_int_answer(answer, n, text("check.flat.question", share=share),
                            text("check.flat.hint"))


def check_iterations_per_epoch(answer: Any, *, rows: int, batch_size: int) -> bool:
    """How many optimizer steps one epoch over ``rows`` rows in batches of ``batch_size`` takes."""
    expected = math.ceil(rows / batch_size)
    question = text("check.iterations.question", rows=rows, batch_size=batch_size)
    return check_int_answer(answer, expected, question, text("check.iterations.hint"))


def check_local_batch_size(answer: Any, *, global_batch: int, world_size: int) -> bool:
    """How many rows each of ``world_size`` processes handles per step of a ``global_batch``."""
    if global_batch % world_size:
        raise ValueError(text("error.exercises.local_batch", global_batch=global_batch,
                              world_size=world_size))
    question = text("check.local_batch.question", global_batch=global_batch,
                    world_size=world_size)
    return check_int_answer(answer, global_batch // world_size, question,
                            text("check.local_batch.hint"))


def check_centred_condition_number(fn: Any) -> bool:
    """``fn(x)`` is the condition number of the summed loss's Hessian for the centred inputs."""
    def centred(x: Any) -> float:
        column = np.asarray(x, dtype=float)
        return condition_number(column - column.mean())

    cases = [([[1.0], [2.0], [3.0]],), ([[0.5], [1.0], [4.0], [6.0]],), ([[10.0], [11.0], [12.0]],),
             ([[-3.0], [0.0], [8.0]],)]
    return check_function(fn, centred, cases, "centred_condition_number")


def check_optimizer_swap(model: Any, optimizer: Any, epochs: Any, *, max_epochs: int = 500,
                         tol: float = 1e-3) -> bool:
    """Another optimizer than SGD trained ``model`` to within ``tol`` of least squares."""
    if (unattempted(model, text("check.swap.todo_model"))
            or unattempted(optimizer, text("check.swap.todo_optimizer"))):
        return False
    if not isinstance(optimizer, torch.optim.Optimizer):
        return report_hint("check.swap.not_optimizer", type=type(optimizer).__name__)
    name = type(optimizer).__name__
    if isinstance(optimizer, torch.optim.SGD):
        return report_hint("check.swap.sgd")
    linear = getattr(model, "linear", None)
    if not isinstance(linear, torch.nn.Linear) or linear.weight.numel() != 1:
        return report_hint("check.swap.not_lesson_model")
    trained = {id(p) for group in optimizer.param_groups for p in group["params"]}
    if not {id(linear.weight), id(linear.bias)} <= trained:
        return report_hint("check.swap.not_held")
    n = as_whole_number(epochs)
    if n is None or not 1 <= n <= max_epochs:
        return report_hint("check.swap.epochs", max_epochs=max_epochs, epochs=epochs)
    steps = optimizer.state.get(linear.weight, {}).get("step")  # LBFGS counts inner iterations
    if steps is not None and not isinstance(optimizer, torch.optim.LBFGS) and int(steps) != n:
        return report_hint("check.swap.steps", steps=int(steps), n=n)
    w, b = linear.weight.item(), linear.bias.item()
    w_star, b_star = closed_form()
    lr = optimizer.param_groups[0]["lr"]
    ok = abs(w - w_star) <= tol and abs(b - b_star) <= tol
    w, b = (round(v, 4) + 0.0 for v in (w, b))  # for printing: no "-0.0000"
    values = {"name": name, "lr": lr, "w": w, "b": b, "n": n, "tol": tol}
    if not ok:
        return report_hint("check.swap.far", **values)
    return report_pass("check.swap.pass_one" if n == 1 else "check.swap.pass", **values)


@functools.lru_cache(maxsize=16)
def _reduction_sensitive(lr: float, tol: float) -> frozenset[str]:
    """The optimizers whose final w or b moves by more than ``tol`` between 'sum' and 'mean'."""
    def changes(name: str) -> bool:
        runs = [train(optimizer=name, lr=lr, reduction=r) for r in ("sum", "mean")]
        return any(abs(getattr(runs[0], k)[-1] - getattr(runs[1], k)[-1]) > tol
                   for k in ("weight", "bias"))

    return frozenset(name for name in OPTIMIZERS if changes(name))


def check_reduction_sensitive(answer: Any, *, lr: float = 0.05, tol: float = 1e-3) -> bool:
    """The optimizers whose final w or b moves by more than ``tol`` when 'sum' becomes 'mean'."""
    if unattempted(answer, text("check.sensitive.todo")):
        return False
    if isinstance(answer, str) or not isinstance(answer, (list, tuple, set, frozenset)):
        return report_hint("check.sensitive.not_list", answer=answer)
    by_lower = {name.lower(): name for name in OPTIMIZERS}
    unknown = [a for a in answer if str(a).lower() not in by_lower]
    if unknown:
        return report_hint("check.sensitive.unknown", name=unknown[0], names=", ".join(OPTIMIZERS))
    given = {by_lower[str(a).lower()] for a in answer}
    expected = _reduction_sensitive(float(lr), float(tol))
    if given != expected:  # no count of missing or extra names: that would allow a search
        return report_hint("check.sensitive.wrong", tol=tol)
    names = text("check.sensitive.and").join(sorted(expected))
    return report_pass("check.sensitive.pass", names=names)


def check_r2(fn: Any) -> bool:
    """``fn(y_true, y_pred)`` returns R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)², on two different data sets."""
    if unattempted(fn, text("check.r2.todo")) or borrowed(fn, "my_r2", r2_score):
        return False
    generator = torch.Generator().manual_seed(8)
    cases = []  # two data sets of different spread, so that one fixed number cannot pass
    for scale in (1.0, 2.5):
        y_true = 3 + scale * torch.randn(40, 1, generator=generator)
        cases.append((y_true, 0.8 * y_true + 1 + 0.5 * torch.randn(40, 1, generator=generator)))
    for y_true, y_pred in cases:  # y_pred is biased a bit
        with watching([r2_score]) as called:
            ok, got = call_learner(fn, "my_r2", y_true, y_pred)
        if not ok:
            return False
        if called:
            return report_hint("check.function.calls", name="my_r2", original=called[0])
        number, expected = as_number(got), r2_score(y_true, y_pred)
        if number is None:
            return report_hint("check.r2.not_number", got=repr(got)[:60])
        residual = float(((y_true - y_pred) ** 2).sum())
        total = float(((y_true - y_true.mean()) ** 2).sum())
        if math.isclose(number, residual / total, rel_tol=1e-4):
            return report_hint("check.r2.unexplained")
        if not math.isclose(number, expected, rel_tol=1e-4, abs_tol=1e-6):
            return report_hint("check.r2.wrong", got=number)
    return report_pass("check.r2.pass", expected=r2_score(*cases[0]))


def check_standardized(fn: Any) -> bool:
    """``fn(x_all, x_train, x_val)`` standardises every row of the table ``x_all`` as the
    trained model expects: with the *training* rows' mean and standard deviation, without
    ``Standardizer``. It is called on two tables of its own (so that no fixed tensor passes),
    with the three sets of rows, so that the call does not tell which one the statistics
    come from; the hints tell the wrong choices apart."""
    if unattempted(fn, text("check.standardized.todo")):
        return False
    if not callable(fn):
        return report_hint("check.real.not_function", name="my_standardize")
    generator = torch.Generator().manual_seed(9)
    for rows in (30, 45):  # training and validation rows of different means and spreads
        x_train = 5 + 3 * torch.randn(rows, 4, generator=generator)
        x_val = -1 + torch.randn(rows // 3, 4, generator=generator)
        x_all = torch.cat([x_train, x_val])
        with watching([Standardizer.fit, Standardizer.transform]) as called:
            ok, z_all = call_learner(fn, "my_standardize", x_all, x_train, x_val)
        if not ok:
            return False
        if called:
            return report_hint("check.function.calls", name="my_standardize",
                               original=called[0])
        if isinstance(z_all, np.ndarray):
            z_all = torch.from_numpy(z_all)
        if not isinstance(z_all, torch.Tensor) or z_all.shape != x_all.shape:
            shape = tuple(z_all.shape) if isinstance(z_all, torch.Tensor) else type(z_all).__name__
            return report_hint("check.standardized.shape", expected=tuple(x_all.shape),
                               got=shape)
        z_all = z_all.detach().double()
        if _scaled_by(z_all, x_all, x_all):
            return report_hint("check.standardized.all_rows")
        if _scaled_by(z_all, x_all, x_val):
            return report_hint("check.standardized.validation")
        if not _scaled_by(z_all, x_all, x_train):
            return report_hint("check.standardized.wrong")
    return report_pass("check.standardized.pass")


def _scaled_by(z: torch.Tensor, x: torch.Tensor, rows: torch.Tensor) -> bool:
    """Whether ``z`` is ``x`` standardised with ``rows``' per-column mean and standard
    deviation (population or sample: both are fine)."""
    mean = rows.double().mean(dim=0)
    return any(torch.allclose(z, (x.double() - mean)
                              / rows.double().std(dim=0, correction=correction),
                              rtol=1e-4, atol=1e-4)
               for correction in (0, 1))


def check_shard(fn: Any) -> bool:
    """``fn(indices, rank, world_size)`` returns what ``DistributedSampler`` gives ``rank``."""
    if unattempted(fn, text("check.shard.todo")):
        return False
    # (2, 5): more padding than indices, so the list is repeated more than once
    for rows, world_size in ((8, 2), (10, 4), (7, 3), (3, 1), (2, 5)):
        indices = list(range(100, 100 + rows))
        for rank in range(world_size):
            sampler = DistributedSampler(indices, num_replicas=world_size, rank=rank,
                                         shuffle=False)
            expected = [indices[i] for i in sampler]
            with watching([DistributedSampler.__iter__]) as called:
                ok, got = call_learner(fn, "my_shard", list(indices), rank, world_size)
            if not ok:
                return False
            if called:
                return report_hint("check.function.calls", name="my_shard", original=called[0])
            got = got.tolist() if isinstance(got, (torch.Tensor, np.ndarray)) else got
            if not isinstance(got, (list, tuple)) or list(got) != expected:
                advice = text("check.shard.pad" if rows % world_size else "check.shard.deal")
                return report_hint("check.shard.wrong", rows=rows, rank=rank, world_size=world_size,
                             got=repr(got), hint=advice)
    return report_pass("check.shard.pass")


def check_ddp_sum_lr(answer: Any, *, lr: float, world_size: int) -> bool:
    """The lr with which ``reduction='sum'`` on ``world_size`` processes takes 1 process's steps."""
    if unattempted(answer, text("check.ddp_lr.todo")):
        return False
    number = as_number(answer)
    if number is None:
        return report_hint("check.ddp_lr.not_number", got=repr(answer))
    expected = lr * world_size
    if math.isclose(number, expected, rel_tol=1e-6):
        return report_pass("check.ddp_lr.pass", world_size=world_size, expected=expected)
    if math.isclose(number, lr / world_size, rel_tol=1e-6):
        return report_hint("check.ddp_lr.inverted")
    return report_hint("check.ddp_lr.wrong", world_size=world_size)

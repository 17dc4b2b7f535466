"""Calls that reach every message of the exercise checkers, every learner-facing error of the
package (each validator on a bad input: the lesson core, i18n's language check and ddp's
command-line checks), and the race table; :func:`command_transcript`: what the commands say
(ddp's worker logs and its errors, every doctor result and summary, the missing-font warning).

tests/test_messages.py runs them in English (the lines must equal tests/data/messages_en.txt,
recorded before the messages moved into linreg_helpers/i18n/) and in Chinese (every line
Chinese, every message key used).
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import warnings
from collections.abc import Callable
from contextlib import redirect_stdout
from pathlib import Path
from unittest import mock

import matplotlib
import numpy as np
import torch
import torch.distributed as dist
from torch.utils.data import DistributedSampler

from linreg_helpers import analysis, batches, data, ddp, doctor, i18n, realdata, settings, sweep
from linreg_helpers import exercises as ex
from linreg_helpers.exercises import beyond as exr
from linreg_helpers.exercises.lesson import _epochs_to_settle
from linreg_helpers.i18n import fonts
from linreg_helpers.model import LinearModel
from linreg_helpers.race import race, race_table
from linreg_helpers.stepping import SteppedRun
from linreg_helpers.training import train
from linreg_helpers.widgets.live_curves import LiveLossCurves

X3 = [[1.0], [2.0], [3.0]]


def _manual_linear(x, layer):  # 02's Exercise 2, with and without a bias
    y = x @ layer.weight.T
    return y if layer.bias is None else y + layer.bias


def my_losses(lr, reduction, *, seed=0, epochs=51):
    """04's Exercise 1 as a learner writes it: the lesson's loop by hand, its losses."""
    x = torch.tensor([[1.0], [2.0], [3.0]])
    y = torch.tensor([[2.0], [4.0], [6.0]])
    torch.manual_seed(seed)
    model = LinearModel()
    criterion = torch.nn.MSELoss(reduction=reduction)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        loss = criterion(model(x), y)
        losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return losses


def _autograd_grad_w(w, b):  # 03's Exercise 3 by autograd, not by the formula it asks for
    w = torch.tensor(float(w), requires_grad=True)
    x, y = torch.tensor([1.0, 2.0, 3.0]), torch.tensor([2.0, 4.0, 6.0])
    ((w * x + b - y) ** 2).sum().backward()
    return w.grad.item()


def _right_grad_w(w, b):
    return sum(2 * (w * x + b - y) * x for x, y in [(1, 2), (2, 4), (3, 6)])


def max_stable_lr(x):
    """2/λmax of the summed loss's Hessian, from NumPy's eigenvalues."""
    x = np.asarray(x, dtype=float)[:, 0]
    design = np.stack([x, np.ones_like(x)], axis=1)
    return 2 / np.linalg.eigvalsh(2 * design.T @ design)[-1]


def centred_condition_number(x):
    """The condition number of the summed loss's Hessian for the centred inputs, from NumPy."""
    x = np.asarray(x, dtype=float)[:, 0]
    design = np.stack([x - x.mean(), np.ones_like(x)], axis=1)
    eigenvalues = np.linalg.eigvalsh(2 * design.T @ design)
    return eigenvalues[-1] / eigenvalues[0]


def trained(name, lr, epochs):
    """The lesson's model and optimizer ``name`` after ``epochs`` steps (with a closure)."""
    torch.manual_seed(0)
    model = LinearModel()
    optimizer = getattr(torch.optim, name)(model.parameters(), lr=lr)
    criterion = torch.nn.MSELoss(reduction="sum")
    x, y = torch.tensor(X3), torch.tensor([[2.0], [4.0], [6.0]])

    def closure():
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        return loss

    for _ in range(epochs):
        optimizer.step(closure)
    return model, optimizer


def _prediction_epochs() -> int:
    run = train(epochs=1000)
    return next(e + 1 for e, (w, b) in enumerate(zip(run.weight, run.bias))
                if abs(w * 4 + b - 8) < 0.01)


def _flat_epochs() -> int:
    factor = 1 - 0.05 * np.linalg.eigvalsh(np.array([[28.0, 12.0], [12.0, 6.0]]))[0]
    return int(np.ceil(np.log(0.01) / np.log(factor)))


def steered_calls() -> dict[str, Callable[[], object]]:
    """check_steered_run on each kind of run, and check_epochs_to_settle."""
    def steered(at: int, lr: float = 0.02):
        run = SteppedRun()
        run.step(at)
        run.steer(lr=lr, epochs=51, reduction="sum", optimizer="SGD")
        run.step(51)
        return run.history

    return {
        "steered todo": lambda: ex.check_steered_run(...),
        "steered not history": lambda: ex.check_steered_run([1.0]),
        "steered length": lambda: ex.check_steered_run(train(epochs=30)),
        "steered not steered": lambda: ex.check_steered_run(train()),
        "steered restarted": lambda: ex.check_steered_run(train(lr=0.02)),
        "steered wrong": lambda: ex.check_steered_run(steered(10)),
        "steered right": lambda: ex.check_steered_run(steered(20)),
        "settle wrong": lambda: ex.check_epochs_to_settle(_epochs_to_settle(0.055, 0.05) - 1),
        "settle right": lambda: ex.check_epochs_to_settle(_epochs_to_settle(0.055, 0.05)),
    }


def checker_calls() -> list[tuple[str, Callable[[], object]]]:
    """(label, call) pairs: every checker unattempted, with each kind of wrong answer, right."""
    lesson_losses = train(lr=0.15, reduction="mean").loss
    adam, adam_opt = trained("Adam", 0.3, 200)
    lbfgs_1 = trained("LBFGS", 1.0, 1)
    order = ["forward", "loss", "zero_grad", "backward", "step"]
    add = lambda a, b: a + b  # noqa: E731
    cases = [(1.0, 2.0), (3.0, -1.0)]
    calls = {
        "column todo": lambda: ex.check_column_tensor(..., [1.0, 2.0]),
        "column todo named": lambda: ex.check_column_tensor(None, [1.0, 2.0], name="hours"),
        "column not tensor": lambda: ex.check_column_tensor(X3, [1, 2, 3]),
        "column flat": lambda: ex.check_column_tensor(torch.tensor([1.0, 2, 3]), [1, 2, 3]),
        "column row": lambda: ex.check_column_tensor(torch.tensor([[1.0, 2, 3]]), [1, 2, 3],
                                                     name="hours"),
        "column int": lambda: ex.check_column_tensor(torch.tensor([[1], [2], [3]]), [1, 2, 3]),
        "column values": lambda: ex.check_column_tensor(torch.tensor([[3.0], [2], [1]]),
                                                        [1, 2, 3]),
        "column right": lambda: ex.check_column_tensor(torch.tensor(X3), [1, 2, 3], name="x"),
        "dtype todo": lambda: ex.check_dtype_answer(..., [[1], [2.0]]),
        "dtype not dtype": lambda: ex.check_dtype_answer("float32", [[1], [2.0]]),
        "dtype wrong": lambda: ex.check_dtype_answer(torch.int64, [[1], [2.0]]),
        "dtype right": lambda: ex.check_dtype_answer(torch.float32, [[1], [2.0]]),
        "linear todo": lambda: ex.check_linear_shapes(None, 4, 3),
        "linear not linear": lambda: ex.check_linear_shapes(torch.nn.Conv1d(4, 3, 1), 4, 3),
        "linear features": lambda: ex.check_linear_shapes(torch.nn.Linear(3, 4), 4, 3),
        "linear no bias": lambda: ex.check_linear_shapes(torch.nn.Linear(4, 3, bias=False), 4, 3),
        "linear right": lambda: ex.check_linear_shapes(torch.nn.Linear(4, 3), 4, 3),
        "manual todo": lambda: ex.check_manual_linear(...),
        "manual not callable": lambda: ex.check_manual_linear(3),
        "manual untransposed": lambda: ex.check_manual_linear(lambda x, lay: x @ lay.weight),
        "manual raises": lambda: ex.check_manual_linear(lambda x: x),
        "manual shape": lambda: ex.check_manual_linear(lambda x, lay: (x @ lay.weight.T).sum(1)),
        "manual not tensor": lambda: ex.check_manual_linear(lambda x, lay: 1.0),
        "manual numbers": lambda: ex.check_manual_linear(lambda x, lay: x @ lay.weight.T),
        "manual no bias raises": lambda: ex.check_manual_linear(
            lambda x, lay: x @ lay.weight.T + lay.bias),
        "manual no bias wrong": lambda: ex.check_manual_linear(
            lambda x, lay: x @ lay.weight.T + (lay.bias if lay.bias is not None else 1.0)),
        "manual right": lambda: ex.check_manual_linear(_manual_linear),
        "sum todo": lambda: ex.check_sum_loss(None),
        "sum not callable": lambda: ex.check_sum_loss(3.0),
        "sum raises": lambda: ex.check_sum_loss(lambda p: p),
        "sum item": lambda: ex.check_sum_loss(lambda p, y: ((p - y) ** 2).sum().item()),
        "sum not scalar": lambda: ex.check_sum_loss(lambda p, y: (p - y) ** 2),
        "sum mean": lambda: ex.check_sum_loss(lambda p, y: ((p - y) ** 2).mean()),
        "sum wrong": lambda: ex.check_sum_loss(lambda p, y: (p - y).abs().sum()),
        "sum right": lambda: ex.check_sum_loss(lambda p, y: ((p - y) ** 2).sum()),
        "lr todo": lambda: ex.check_equivalent_lr(...),
        "lr not number": lambda: ex.check_equivalent_lr("0.15"),
        "lr right": lambda: ex.check_equivalent_lr(0.15),
        "lr reversed": lambda: ex.check_equivalent_lr(0.05 / 3),
        "lr wrong": lambda: ex.check_equivalent_lr(0.05),
        "losses todo": lambda: ex.check_losses_match(...),
        "losses not function": lambda: ex.check_losses_match(lesson_losses),
        "losses raised": lambda: ex.check_losses_match(lambda lr: []),
        "losses nothing": lambda: ex.check_losses_match(lambda lr, reduction: None),
        "losses not floats": lambda: ex.check_losses_match(lambda lr, reduction: ["a"] * 51),
        "losses length": lambda: ex.check_losses_match(
            lambda lr, reduction: my_losses(lr, reduction, epochs=50)),
        "losses numbers": lambda: ex.check_losses_match(
            lambda lr, reduction: my_losses(lr, reduction, seed=1)),
        "losses calls": lambda: ex.check_losses_match(
            lambda lr, reduction: train(lr=lr, reduction=reduction).loss),
        "losses borrowed": lambda: ex.check_losses_match(train),
        "losses right": lambda: ex.check_losses_match(my_losses),
        "why todo": lambda: ex.check_same_steps_reason(...),
        "why not a choice": lambda: ex.check_same_steps_reason("d"),
        "why smaller loss": lambda: ex.check_same_steps_reason("a"),
        "why faster": lambda: ex.check_same_steps_reason("c"),
        "why right": lambda: ex.check_same_steps_reason(" B "),
        "int todo": lambda: ex.check_int_answer(None, 7, "q", "h"),
        "int not whole": lambda: ex.check_int_answer(7.5, 7, "q", "h"),
        "int wrong": lambda: ex.check_int_answer(9, 7, "q", "h"),
        "int right": lambda: ex.check_int_answer(7, 7, "q", "h"),
        "function calls": lambda: ex.check_sum_loss(torch.nn.MSELoss(reduction="sum")),
        "order todo": lambda: ex.check_epoch_order(...),
        "order set": lambda: ex.check_epoch_order(["forward", "step"]),
        "order forward": lambda: ex.check_epoch_order(["loss", "forward", "zero_grad",
                                                       "backward", "step"]),
        "order loss": lambda: ex.check_epoch_order(["forward", "zero_grad", "backward", "loss",
                                                    "step"]),
        "order step": lambda: ex.check_epoch_order(["forward", "loss", "zero_grad", "step",
                                                    "backward"]),
        "order zero_grad": lambda: ex.check_epoch_order(["forward", "loss", "backward",
                                                         "zero_grad", "step"]),
        "order lesson": lambda: ex.check_epoch_order(
            ["forward", "loss", "zero_grad", "backward", "step"], unlike_lesson=True),
        "order right": lambda: ex.check_epoch_order(order),
        "glossary todo": lambda: ex.check_glossary(..., ["学习率"]),
        "glossary not dict": lambda: ex.check_glossary(["weight"], ["学习率"]),
        "glossary wrong": lambda: ex.check_glossary({"学习率": "loss", "梯度": "gradient"},
                                                    ["学习率", "梯度"]),
        "glossary right": lambda: ex.check_glossary({"学习率": "learning rate"}, ["学习率"]),
        "function todo": lambda: ex.check_function(None, add, cases, "add"),
        "function not callable": lambda: ex.check_function(5, add, cases, "add"),
        "function raises": lambda: ex.check_function(lambda a, b: 1 / 0, add, cases, "add"),
        "function none": lambda: ex.check_function(lambda a, b: None, add, cases, "add"),
        "function not number": lambda: ex.check_function(lambda a, b: "3", add, cases, "add"),
        "function wrong": lambda: ex.check_function(lambda a, b: a - b, add, cases, "add"),
        "function right": lambda: ex.check_function(add, add, cases, "add"),
        "count wrong": lambda: ex.check_parameter_count(6, 3, 2),
        "count right": lambda: ex.check_parameter_count(8, 3, 2),
        "grad_w right": lambda: ex.check_grad_w(_right_grad_w),
        "grad_w wrong": lambda: ex.check_grad_w(lambda w, b: 0.0),
        "grad_w calls": lambda: ex.check_grad_w(_autograd_grad_w),
        "prediction wrong": lambda: ex.check_epochs_to_prediction(_prediction_epochs() + 1),
        "prediction right": lambda: ex.check_epochs_to_prediction(_prediction_epochs()),
        "stable right": lambda: ex.check_max_stable_lr(max_stable_lr),
        "stable borrowed": lambda: ex.check_max_stable_lr(analysis.max_stable_lr),
        "flat wrong": lambda: ex.check_flat_epochs(_flat_epochs() - 1),
        "flat right": lambda: ex.check_flat_epochs(_flat_epochs()),
        **steered_calls(),
        "iterations todo": lambda: ex.check_iterations_per_epoch(..., rows=354, batch_size=32),
        "iterations wrong": lambda: ex.check_iterations_per_epoch(11, rows=354, batch_size=32),
        "iterations right": lambda: ex.check_iterations_per_epoch(12, rows=354, batch_size=32),
        "local batch wrong": lambda: ex.check_local_batch_size(32, global_batch=32, world_size=4),
        "local batch right": lambda: ex.check_local_batch_size(8, global_batch=32, world_size=4),
        "centred right": lambda: ex.check_centred_condition_number(
            centred_condition_number),
        "swap todo model": lambda: ex.check_optimizer_swap(..., adam_opt, 200),
        "swap todo optimizer": lambda: ex.check_optimizer_swap(adam, None, 200),
        "swap not optimizer": lambda: ex.check_optimizer_swap(adam, "Adam", 200),
        "swap sgd": lambda: ex.check_optimizer_swap(*trained("SGD", 0.05, 40), 40),
        "swap not lesson model": lambda: ex.check_optimizer_swap(torch.nn.Linear(2, 1),
                                                                 adam_opt, 200),
        "swap other model": lambda: ex.check_optimizer_swap(LinearModel(), adam_opt, 200),
        "swap epochs": lambda: ex.check_optimizer_swap(adam, adam_opt, 600),
        "swap steps": lambda: ex.check_optimizer_swap(adam, adam_opt, 100),
        "swap far": lambda: ex.check_optimizer_swap(*trained("Adam", 0.05, 200), 200),
        "swap right": lambda: ex.check_optimizer_swap(adam, adam_opt, 200),
        "swap right one epoch": lambda: ex.check_optimizer_swap(*lbfgs_1, 1),
        "sensitive todo": lambda: ex.check_reduction_sensitive(None),
        "sensitive string": lambda: ex.check_reduction_sensitive("SGD"),
        "sensitive unknown": lambda: ex.check_reduction_sensitive(["Newton"]),
        "sensitive wrong": lambda: ex.check_reduction_sensitive(["SGD", "Adam"]),
        "sensitive right": lambda: ex.check_reduction_sensitive(["sgd", "ASGD"]),
        **realdata_calls(exr),
    }
    return list(calls.items())


def realdata_calls(module) -> dict[str, Callable[[], object]]:
    """The checkers of notebooks 08 and 09 (``module``: linreg_helpers.exercises.beyond)."""
    x_train = torch.arange(12.0).reshape(6, 2) ** 1.5
    x_val = torch.tensor([[1.0, 2.0], [3.0, 5.0], [8.0, 1.0]])
    x_all = torch.cat([x_train, x_val])

    def r2(y, p):
        return 1 - ((y - p) ** 2).sum() / ((y - y.mean()) ** 2).sum()

    def shard(indices, rank, world_size):
        padded = (indices * world_size)[: len(indices) + (-len(indices)) % world_size]
        return padded[rank::world_size]

    def boom(*args):
        raise RuntimeError("boom")

    return {
        "r2 todo": lambda: module.check_r2(...),
        "r2 not function": lambda: module.check_r2(3),
        "r2 raised": lambda: module.check_r2(boom),
        "r2 not number": lambda: module.check_r2(lambda y, p: "0.5"),
        "r2 unexplained": lambda: module.check_r2(lambda y, p: 1 - r2(y, p)),
        "r2 wrong": lambda: module.check_r2(lambda y, p: r2(y, p) / 2),
        "r2 right": lambda: module.check_r2(r2),
        "r2 borrowed": lambda: module.check_r2(realdata.r2_score),
        "standardized todo": lambda: module.check_standardized(...),
        "standardized not function": lambda: module.check_standardized(x_all),
        "standardized shape": lambda: module.check_standardized(lambda a, t, v: v),
        "standardized all rows": lambda: module.check_standardized(
            lambda a, t, v: (a - a.mean(dim=0)) / a.std(dim=0)),
        "standardized validation": lambda: module.check_standardized(
            lambda a, t, v: (a - v.mean(dim=0)) / v.std(dim=0)),
        "standardized wrong": lambda: module.check_standardized(lambda a, t, v: a * 2),
        "standardized calls": lambda: module.check_standardized(
            lambda a, t, v: realdata.Standardizer.fit(t).transform(a)),
        "standardized right": lambda: module.check_standardized(
            lambda a, t, v: (a - t.mean(dim=0)) / t.std(dim=0)),
        "shard todo": lambda: module.check_shard(None),
        "shard no padding": lambda: module.check_shard(lambda i, r, w: i[r::w]),
        "shard blocks": lambda: module.check_shard(
            lambda i, r, w: i[r * len(i) // w:(r + 1) * len(i) // w]),
        "shard right": lambda: module.check_shard(shard),
        "shard calls": lambda: module.check_shard(lambda i, r, w: [
            i[k] for k in DistributedSampler(i, num_replicas=w, rank=r, shuffle=False)]),
        "ddp lr todo": lambda: module.check_ddp_sum_lr(..., lr=0.02, world_size=2),
        "ddp lr string": lambda: module.check_ddp_sum_lr("0.04", lr=0.02, world_size=2),
        "ddp lr inverted": lambda: module.check_ddp_sum_lr(0.01, lr=0.02, world_size=2),
        "ddp lr wrong": lambda: module.check_ddp_sum_lr(0.03, lr=0.02, world_size=2),
        "ddp lr right": lambda: module.check_ddp_sum_lr(0.04, lr=0.02, world_size=2),
    }


def error_calls() -> list[tuple[str, Callable[[], object]]]:
    """(label, call) pairs: each learner-facing error of the package, one call per message."""
    calls = {
        "lr not number": lambda: settings.validate_lr("fast"),
        "lr negative": lambda: settings.validate_lr(-0.1),
        "epochs": lambda: settings.validate_epochs(0),
        "reduction none": lambda: settings.validate_reduction("none"),
        "reduction unknown": lambda: settings.validate_reduction("avg"),
        "optimizer case": lambda: settings.validate_optimizer("adam"),
        "optimizer unknown": lambda: settings.validate_optimizer("Newton"),
        "column ragged": lambda: data.as_column([[1.0], [2.0, 3.0]]),
        "column text": lambda: data.as_column([["a"], ["b"]], "y"),
        "column complex": lambda: data.as_column(torch.tensor([[1j]])),
        "column flat": lambda: data.as_column([1.0, 2.0, 3.0]),
        "column row": lambda: data.as_column([[1.0, 2.0]], "y"),
        "column empty": lambda: data.as_column(np.zeros((0, 1))),
        "column nan": lambda: data.as_column([[1.0], [float("nan")]]),
        "xy rows": lambda: data.validate_xy([[1.0]], [[1.0], [2.0]]),
        "xy one missing": lambda: data.xy_or_lesson([[1.0]], None),
        "noisy n": lambda: data.noisy_data(0),
        "noisy w": lambda: data.noisy_data(w=float("inf")),
        "noisy noise": lambda: data.noisy_data(noise=-1.0),
        "noisy range": lambda: data.noisy_data(low=1.0, high=0.0),
        **core_error_calls(),
        **ddp_error_calls(),
    }
    return list(calls.items())


def core_error_calls() -> dict[str, Callable[[], object]]:
    """The errors of realdata, sweep, batches, training, analysis, race and i18n."""
    ones = torch.ones(2, 1)
    return {
        "realdata rows": lambda: realdata.synthetic(rows=0),
        "realdata noise": lambda: realdata.synthetic(noise=-1.0),
        "realdata val_fraction": lambda: realdata.validation_rows(10, 1.0),
        "realdata no training rows": lambda: realdata.validation_rows(2, 0.9),
        "realdata constant feature": lambda: realdata.Standardizer.fit(
            torch.tensor([[1.0, 2.0], [1.0, 3.0]])),
        "realdata r2 lengths": lambda: realdata.r2_score(torch.ones(3), torch.ones(2)),
        "sweep one number": lambda: sweep.lr_sweep(0.05),
        "sweep ragged": lambda: sweep.lr_sweep([[0.1], [0.1, 0.2]]),
        "sweep text": lambda: sweep.lr_sweep(["fast"]),
        "sweep nested": lambda: sweep.lr_sweep([[0.1, 0.2]]),
        "sweep empty": lambda: sweep.lr_sweep([]),
        "sweep negative": lambda: sweep.lr_sweep([0.1, -1.0]),
        "batches size": lambda: batches.validate_batch_size(0),
        "batches not 2-D": lambda: batches.validate_rows([[1.0]], ones),
        "batches rows": lambda: batches.validate_rows(ones, torch.ones(3, 1)),
        "training options": lambda: train(bogus=1.0),
        "training start": lambda: train(start=3),
        "training start nan": lambda: train(start=(float("nan"), 0.0)),
        "stepping k": lambda: SteppedRun().step(-1),
        "analysis momentum": lambda: analysis.max_stable_lr(momentum=1.0),
        "analysis weight decay": lambda: analysis.max_stable_lr(weight_decay=-0.1),
        "analysis grid": lambda: analysis.loss_grid([[0.0]], [0.0]),
        "race lrs": lambda: race({}),
        "language": lambda: i18n.checked_language("fr"),
        "exercises local batch": lambda: ex.check_local_batch_size(
            8, global_batch=30, world_size=4),
        "curves epochs": lambda: LiveLossCurves(0),
        "curves validation missing": lambda: LiveLossCurves(2).add(1.0),
        "curves validation extra": lambda: LiveLossCurves(2, validation=False).add(1.0, 2.0),
        "curves full": lambda: _full_curves().add(1.0, 1.0),
    }


def _full_curves() -> LiveLossCurves:
    curves = LiveLossCurves(1)
    curves.add(1.0, 1.0)
    return curves


def _ddp_check(world_size: int, *argv: str) -> int:
    return ddp.validate_args(ddp.parse_args(argv), world_size)


def ddp_error_calls() -> dict[str, Callable[[], object]]:
    """The command-line checks of ``python -m linreg_helpers.ddp`` (UsageError)."""
    return {
        "ddp data": lambda: _ddp_check(1, "--data", "iris"),
        "ddp lr": lambda: _ddp_check(1, "--lr", "0"),
        "ddp epochs": lambda: _ddp_check(1, "--epochs", "0"),
        "ddp batch size": lambda: _ddp_check(2, "--batch-size", "33"),
        "ddp rows": lambda: _ddp_check(1, "--data", "synthetic", "--rows", "0"),
        "ddp val fraction": lambda: _ddp_check(1, "--val-fraction", "1"),
        "ddp world size": lambda: _ddp_check(5, "--data", "synthetic", "--rows", "5",
                                             "--val-fraction", "0.2", "--batch-size", "5"),
    }


RACE_LRS = {"SGD": 0.05, "LBFGS": 1.0, "Adagrad": 0.05, "ASGD": 0.2}


def race_text() -> str:
    """A race table with a finisher, misses and a divergence."""
    return race_table(race(RACE_LRS, epochs=30), RACE_LRS, 1e-3)


def progress_label() -> str:
    """The label of train_batches' progress bar (what it prints before the colon)."""
    from contextlib import redirect_stderr

    from linreg_helpers.training import train_batches

    model = torch.nn.Linear(1, 1)
    err = io.StringIO()
    with redirect_stderr(err):
        train_batches(model, [(torch.ones(2, 1), torch.ones(2, 1))],
                      torch.optim.SGD(model.parameters(), lr=0.1), epochs=1, progress=True)
    drawn = [part for part in err.getvalue().split("\r") if ":" in part]
    return drawn[0].split(":")[0].strip() if drawn else "(no bar drawn)"


def transcript() -> list[str]:
    """Each checker call's label and what it printed (one line), each error's label and
    message, then the race table."""
    lines = []
    for label, call in checker_calls():
        out = io.StringIO()
        with redirect_stdout(out):
            call()
        lines.append(f"{label}\t{out.getvalue().rstrip(chr(10))}")
    for label, call in error_calls():
        try:
            call()
        except (ValueError, ddp.UsageError) as error:
            lines.append(f"{label}\t{error}")
        else:
            raise AssertionError(f"{label}: no error")
    lines.append(f"progress bar\t{progress_label()}")
    return lines + race_text().splitlines()


def _ddp_logs(tmp: Path) -> list[str]:
    """ddp's worker log lines: one process alone, then rank 0 of 2 in a one-process group (a
    HashStore: no network) on 21 rows, which do not split evenly."""
    out = io.StringIO()
    # the command takes its language from LINREG_LANG, as launch() sets it
    with redirect_stdout(out), mock.patch.dict(os.environ, {i18n.ENVIRONMENT: i18n.get_language()}):
        ddp.main(["--data", "synthetic", "--rows", "20", "--epochs", "1", "--out",
                  str(tmp / "one.json")])
        dist.init_process_group("gloo", store=dist.HashStore(), rank=0, world_size=1)
        try:
            ddp.train_rank(ddp.parse_args(["--data", "synthetic", "--rows", "26", "--epochs", "1",
                                           "--batch-size", "4"]), 0, 2, torch.device("cpu"))
        finally:
            dist.destroy_process_group()
    return [f"ddp log\t{line}" for line in out.getvalue().splitlines()]


def _command_errors() -> list[str]:
    lines = []
    try:
        ddp.parse_args(["--lr", "fast"])
    except ddp.UsageError as error:
        lines.append(f"ddp usage\t{error}")
    with mock.patch.dict(os.environ, {i18n.ENVIRONMENT: "fr"}):
        language = i18n.get_language()
        try:
            i18n.use_environment_language()
        except ValueError as error:
            lines.append(f"LINREG_LANG\t{error}")
        finally:
            i18n._state["language"] = language
    return lines


TORCHES = (None, doctor.TorchFacts("2.0.0"), doctor.TorchFacts("2.13.0+cu126", cuda="12.6"),
           doctor.TorchFacts("2.13.0+cpu"), doctor.TorchFacts("2.13.0", mps=True),
           doctor.TorchFacts("2.13.0+cu126", cuda="12.6", cuda_device="NVIDIA H200"))
SPECS = (None, {"kernelspecs": {}},
         {"kernelspecs": {"python3": {"spec": {"argv": [sys.executable]}}}},
         {"kernelspecs": {"python3": {"resource_dir": "/k",
                                      "spec": {"argv": ["/usr/bin/python3"]}}}})
EXTENSION = "@jupyter-widgets/jupyterlab-manager"
LISTINGS = ({}, {EXTENSION: doctor.Listed("5.0.0", "/old", True, True)},
            {EXTENSION: doctor.Listed("5.0.1", "/env", False, True)},
            {EXTENSION: doctor.Listed("5.0.1", "/env", True, False)},
            {EXTENSION: doctor.Listed("5.0.1", "/env", True, True)})


def doctor_results() -> list[doctor.Result]:
    """Every result the doctor can give, each check passing and failing in each way."""
    results = [doctor.diagnose_python((3, 11, 7)), doctor.diagnose_python((3, 9, 1))]
    results += [doctor.diagnose_torch(torch, "2.13.0") for torch in TORCHES]
    results += [doctor.diagnose_gpu(torch) for torch in TORCHES]
    results += [doctor.diagnose_kernel(specs, sys.executable) for specs in SPECS]
    results += [doctor.diagnose_extension("jupyterlab_widgets", EXTENSION, "5.0.1", listed)
                for listed in LISTINGS]
    results += [doctor.diagnose_extension("jupyterlab_widgets", EXTENSION, None, {}),
                doctor.diagnose_live_figure(None), doctor.diagnose_live_figure("no PNG"),
                doctor.diagnose_helpers(None, "ModuleNotFoundError"),
                doctor.diagnose_helpers("/elsewhere/linreg_helpers/__init__.py", ""),
                doctor.diagnose_helpers(str(doctor.ROOT / "linreg_helpers" / "__init__.py"), ""),
                doctor.diagnose_cjk_font({"WenQuanYi Micro Hei"}), doctor.diagnose_cjk_font(set()),
                doctor.diagnose_disk(2**40), doctor.diagnose_disk(2**20),
                doctor.diagnose_memory(None), doctor.diagnose_memory(2**34),
                doctor.diagnose_memory(2**20)]
    return results


def _font_warning() -> str:
    with mock.patch.object(fonts, "cjk_font", return_value=None), \
            mock.patch.dict(fonts._warned, {"done": False}), warnings.catch_warnings(record=True) \
            as caught, matplotlib.rc_context():
        warnings.simplefilter("always")
        i18n.set_language(i18n.get_language())
    return "; ".join(str(warning.message) for warning in caught) or "(no warning)"


def command_transcript() -> list[str]:
    """What the commands and the font check say, labelled: ddp's logs and errors, each doctor
    result (a line, and its fix on the next) and both summaries, the missing-font warning."""
    with tempfile.TemporaryDirectory() as tmp:
        lines = _ddp_logs(Path(tmp))
    lines += _command_errors()
    results = doctor_results()
    lines += [f"doctor\t{line}" for result in results for line in result.lines().splitlines()]
    lines += [f"doctor summary\t{doctor.summary(results[:4])}",
              f"doctor summary\t{doctor.summary(results[:1])}",
              f"font warning\t{_font_warning()}"]
    return lines


if __name__ == "__main__":
    print("\n".join(transcript()))

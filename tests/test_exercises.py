"""linreg_helpers.exercises: checkers accept right answers, reject wrong ones, never raise."""

import numpy as np
import pytest
import torch

from linreg_helpers import exercises as ex
from linreg_helpers.training import train


def run(capsys, checker, *args, **kwargs):
    result = checker(*args, **kwargs)
    out = capsys.readouterr().out.strip()
    assert out.count("\n") == 0, "a checker prints exactly one line"
    return result, out


CASES = {
    "column": (ex.check_column_tensor, ([1.0, 2.0, 3.0],)),
    "dtype": (ex.check_dtype_answer, (torch.int64, "torch.tensor([[1], [2]]).dtype")),
    "linear": (ex.check_linear_shapes, (3, 2)),
    "manual": (ex.check_manual_linear, ()),
    "sumloss": (ex.check_sum_loss, ()),
    "lr": (ex.check_equivalent_lr, ()),
    "losses": (ex.check_losses_match, ()),
    "int": (ex.check_int_answer, (7, "q", "h")),
    "order": (ex.check_epoch_order, ()),
    "glossary": (ex.check_glossary, ({"学习率": "learning rate"},)),
    "function": (ex.check_function, (lambda a: a, [(1,)], "f")),
}


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("blank", [..., None])
def test_unattempted_exercises_print_a_reminder_and_do_not_raise(capsys, name, blank):
    checker, extra = CASES[name]
    ok, out = run(capsys, checker, blank, *extra)
    assert ok is False and out.startswith(ex.TODO)


def test_column_tensor(capsys):
    good = torch.tensor([[1.0], [2.0], [3.0]])
    assert run(capsys, ex.check_column_tensor, good, [1, 2, 3])[0]
    for wrong, hint in [
        ([[1.0], [2.0], [3.0]], "should be a torch tensor"),
        (torch.tensor([1.0, 2.0, 3.0]), "reshape(-1, 1)"),
        (torch.tensor([[1], [2], [3]]), "torch.float32"),
        (torch.tensor([[3.0], [2.0], [1.0]]), "different values"),
        (torch.tensor([[1.0, 2.0, 3.0]]), "should be (3, 1)"),
    ]:
        ok, out = run(capsys, ex.check_column_tensor, wrong, [1, 2, 3])
        assert not ok and out.startswith(ex.HINT) and hint in out


def test_dtype_answer(capsys):
    assert run(capsys, ex.check_dtype_answer, torch.int64, torch.int64, "q")[0]
    assert not run(capsys, ex.check_dtype_answer, torch.float32, torch.int64, "q")[0]
    assert "give a torch dtype" in run(capsys, ex.check_dtype_answer, "int64", torch.int64, "q")[1]


def test_linear_shapes(capsys):
    assert run(capsys, ex.check_linear_shapes, torch.nn.Linear(3, 2), 3, 2)[0]
    assert "3 → 2" in run(capsys, ex.check_linear_shapes, torch.nn.Linear(2, 3), 3, 2)[1]
    assert "no bias" in run(capsys, ex.check_linear_shapes, torch.nn.Linear(3, 2, bias=False),
                            3, 2)[1]
    assert not run(capsys, ex.check_linear_shapes, torch.nn.Conv1d(3, 2, 1), 3, 2)[0]


def test_manual_linear(capsys):
    assert run(capsys, ex.check_manual_linear, lambda x, layer: x @ layer.weight.T + layer.bias)[0]
    assert "transpose" in run(capsys, ex.check_manual_linear,
                              lambda x, layer: x @ layer.weight + layer.bias)[1]
    assert "wrong numbers" in run(capsys, ex.check_manual_linear,
                                  lambda x, layer: x @ layer.weight.T)[1]
    assert "raised" in run(capsys, ex.check_manual_linear, lambda x: x)[1]
    assert run(capsys, ex.check_manual_linear,
               lambda x, layer: x.double() @ layer.weight.T.double() + layer.bias.double())[0]
    assert "should have shape (4, 2); got (4,)" in run(
        capsys, ex.check_manual_linear, lambda x, layer: (x @ layer.weight.T).sum(dim=1))[1]
    assert not run(capsys, ex.check_manual_linear, 3)[0]


def test_sum_loss(capsys):
    assert run(capsys, ex.check_sum_loss, lambda p, y: ((p - y) ** 2).sum())[0]
    assert "mean" in run(capsys, ex.check_sum_loss, lambda p, y: ((p - y) ** 2).mean())[1]
    assert "scalar" in run(capsys, ex.check_sum_loss, lambda p, y: (p - y) ** 2)[1]
    assert "not the sum" in run(capsys, ex.check_sum_loss, lambda p, y: (p - y).abs().sum())[1]
    assert "raised TypeError" in run(capsys, ex.check_sum_loss, lambda p: p)[1]
    assert run(capsys, ex.check_sum_loss, lambda p, y: ((p.double() - y.double()) ** 2).sum())[0]
    assert "without .item()" in run(capsys, ex.check_sum_loss,
                                    lambda p, y: ((p - y) ** 2).sum().item())[1]
    assert "should be a function" in run(capsys, ex.check_sum_loss, 3.0)[1]


def test_equivalent_lr(capsys):
    assert run(capsys, ex.check_equivalent_lr, 0.15)[0]
    assert run(capsys, ex.check_equivalent_lr, 0.5, n=10)[0]
    assert "other way round" in run(capsys, ex.check_equivalent_lr, 0.05 / 3)[1]
    assert not run(capsys, ex.check_equivalent_lr, 0.05)[0]
    assert "give a number" in run(capsys, ex.check_equivalent_lr, "0.15")[1]


def test_losses_match(capsys):
    right = train(lr=0.15, reduction="mean").loss
    assert run(capsys, ex.check_losses_match, right, lr=0.15, reduction="mean")[0]
    assert run(capsys, ex.check_losses_match, [torch.tensor(v) for v in right], lr=0.15,
               reduction="mean")[0]
    assert "recorded 50" in run(capsys, ex.check_losses_match, right[:50], lr=0.15,
                                reduction="mean")[1]
    assert "manual_seed" in run(capsys, ex.check_losses_match, train(seed=1).loss)[1]
    assert "plain floats" in run(capsys, ex.check_losses_match, ["a"] * 51)[1]


def test_int_answer(capsys):
    assert run(capsys, ex.check_int_answer, 7, 7, "q", "h")[0]
    assert "too high" in run(capsys, ex.check_int_answer, 9, 7, "q", "h")[1]
    assert "too low" in run(capsys, ex.check_int_answer, 2, 7, "q", "h")[1]
    assert not run(capsys, ex.check_int_answer, 7.0, 7, "q", "h")[0]


def test_epoch_order(capsys):
    check = ex.check_epoch_order
    assert run(capsys, check, ["forward", "loss", "zero_grad", "backward", "step"])[0]
    assert run(capsys, check, ["zero_grad", "forward", "loss", "backward", "step"])[0]
    assert run(capsys, check, ["forward", "zero_grad", "loss", "backward", "step"])[0]
    assert run(capsys, check, ["forward", "loss", "backward", "step", "zero_grad"])[0]
    assert "erases the gradients" in run(capsys, ex.check_epoch_order,
                                         ["forward", "loss", "backward", "zero_grad", "step"])[1]
    assert "step() uses" in run(capsys, ex.check_epoch_order,
                                ["forward", "loss", "zero_grad", "step", "backward"])[1]
    assert "forward comes before" in run(capsys, ex.check_epoch_order,
                                         ["loss", "forward", "zero_grad", "backward", "step"])[1]
    assert "exactly once" in run(capsys, ex.check_epoch_order, ["forward", "step"])[1]


def test_glossary(capsys):
    expected = {"学习率": "learning rate", "权重": "weight"}
    answers = {"学习率": "Learning Rate ", "权重": "weight"}
    assert run(capsys, ex.check_glossary, answers, expected)[0]
    ok, out = run(capsys, ex.check_glossary, {"学习率": "loss", "权重": "weight"}, expected)
    assert not ok and "1 of 2" in out and "学习率" in out
    assert not run(capsys, ex.check_glossary, ["weight"], expected)[0]


def test_function(capsys):
    cases = [(1.0, 2.0), (3.0, -1.0)]
    assert run(capsys, ex.check_function, lambda a, b: a + b, lambda a, b: a + b, cases, "add")[0]
    ok, out = run(capsys, ex.check_function, lambda a, b: a - b, lambda a, b: a + b, cases, "add")
    assert not ok and "expected 3.0000" in out
    assert "raised ZeroDivisionError" in run(capsys, ex.check_function, lambda a, b: 1 / 0,
                                             lambda a, b: a, cases, "f")[1]
    assert not run(capsys, ex.check_function, 5, lambda a, b: a, cases, "f")[0]
    assert run(capsys, ex.check_function, lambda a, b: torch.tensor([a + b]), lambda a, b: a + b,
               cases, "add")[0]
    for wrong, fragment in [(lambda a, b: None, "nothing (add a return)"),
                            (lambda a, b: torch.tensor([a, b]), "should return one number"),
                            (lambda a, b: "3", "should return one number")]:
        ok, out = run(capsys, ex.check_function, wrong, lambda a, b: a + b, cases, "add")
        assert not ok and fragment in out


@pytest.mark.parametrize("value", [3, np.int64(3), np.array(3), torch.tensor(3), torch.tensor([3])])
def test_whole_numbers_of_every_kind_are_accepted(capsys, value):
    assert ex.as_whole_number(value) == 3
    assert run(capsys, ex.check_int_answer, value, 3, "q", "h")[0]


@pytest.mark.parametrize("value", [None, True, 3.0, "3", [3], np.array([3, 4]), torch.tensor(3.0)])
def test_other_values_are_not_whole_numbers(value):
    assert ex.as_whole_number(value) is None


@pytest.mark.parametrize("value", [0.15, np.float32(0.15), np.float64(0.15), np.array(0.15),
                                   torch.tensor(0.15), torch.tensor([0.15])])
def test_numbers_of_every_kind_are_accepted(capsys, value):
    assert ex.as_number(value) == pytest.approx(0.15)
    assert run(capsys, ex.check_equivalent_lr, value)[0]
    assert run(capsys, ex.check_function, lambda: value, lambda: 0.15, [()], "f")[0]


@pytest.mark.parametrize("value", [None, False, "0.15", [0.15], np.array([1.0, 2.0]),
                                   torch.tensor([1.0, 2.0]), 1j])
def test_other_values_are_not_numbers(value):
    assert ex.as_number(value) is None

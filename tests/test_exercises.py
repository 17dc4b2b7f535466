"""linreg_helpers.exercises: checkers accept right answers, reject wrong ones, never raise."""

import numpy as np
import pytest
import torch
from message_corpus import centred_condition_number as centred
from message_corpus import max_stable_lr as stable
from message_corpus import my_losses, trained

from linreg_helpers import exercises as ex
from linreg_helpers.exercises.lesson import GLOSSARY
from linreg_helpers.i18n import text
from linreg_helpers.model import LinearModel
from linreg_helpers.settings import OPTIMIZERS, as_number, as_whole_number
from linreg_helpers.training import train


def run(capsys, checker, *args, **kwargs):
    result = checker(*args, **kwargs)
    out = capsys.readouterr().out.strip()
    assert out.count("\n") == 0, "a checker prints exactly one line"
    return result, out


CASES = {
    "column": (ex.check_column_tensor, ([1.0, 2.0, 3.0],)),
    "dtype": (ex.check_dtype_answer, ([[1], [2.0]],)),
    "linear": (ex.check_linear_shapes, (3, 2)),
    "manual": (ex.check_manual_linear, ()),
    "sumloss": (ex.check_sum_loss, ()),
    "lr": (ex.check_equivalent_lr, ()),
    "losses": (ex.check_losses_match, ()),
    "why": (ex.check_same_steps_reason, ()),
    "int": (ex.check_int_answer, (7, "q", "h")),
    "order": (ex.check_epoch_order, ()),
    "glossary": (ex.check_glossary, (["学习率"],)),
    "count": (ex.check_parameter_count, (3, 2)),
    "grad_w": (ex.check_grad_w, ()),
    "prediction": (ex.check_epochs_to_prediction, ()),
    "settle": (ex.check_epochs_to_settle, ()),
    "steered": (ex.check_steered_run, ()),
    "stable": (ex.check_max_stable_lr, ()),
    "flat": (ex.check_flat_epochs, ()),
    "iterations": (lambda a: ex.check_iterations_per_epoch(a, rows=354, batch_size=32), ()),
    "local_batch": (lambda a: ex.check_local_batch_size(a, global_batch=32, world_size=4), ()),
    "centred": (ex.check_centred_condition_number, ()),
    "swap": (ex.check_optimizer_swap, (None, 100)),
    "sensitive": (ex.check_reduction_sensitive, ()),
    "function": (ex.check_function, (lambda a: a, [(1,)], "f")),
}


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("blank", [..., None])
def test_unattempted_exercises_print_a_reminder_and_do_not_raise(capsys, name, blank):
    checker, extra = CASES[name]
    ok, out = run(capsys, checker, blank, *extra)
    assert ok is False and out.startswith(text("check.todo"))


def test_not_attempted_says_what_kind_of_thing_not_the_answer(capsys):
    out = run(capsys, ex.check_dtype_answer, ..., [[1], [2.0]])[1]
    assert "float32" not in out and "torch dtype" in out
    out = run(capsys, ex.check_linear_shapes, ..., 4, 3)[1]
    assert "Linear(4, 3)" not in out and "4 features to 3" in out
    out = run(capsys, ex.check_reduction_sensitive, ...)[1]
    assert "optimizer names" in out and not any(name in out for name in OPTIMIZERS)
    out = run(capsys, ex.check_reduction_sensitive, "Adagrad")[1]
    assert "list of names" in out and "SGD" not in out


def test_iterations_per_epoch_counts_the_last_smaller_batch(capsys):
    assert run(capsys, ex.check_iterations_per_epoch, 12, rows=354, batch_size=32)[0]
    assert run(capsys, ex.check_iterations_per_epoch, 10, rows=320, batch_size=32)[0]
    ok, out = run(capsys, ex.check_iterations_per_epoch, 11, rows=354, batch_size=32)
    assert not ok and "last batch" in out and "12" not in out


def test_local_batch_size_is_the_global_batch_shared_by_the_processes(capsys):
    assert run(capsys, ex.check_local_batch_size, 8, global_batch=32, world_size=4)[0]
    assert run(capsys, ex.check_local_batch_size, 16, global_batch=32, world_size=2)[0]
    ok, out = run(capsys, ex.check_local_batch_size, 128, global_batch=32, world_size=4)
    assert not ok and "shared equally" in out and " 8" not in out
    with pytest.raises(ValueError, match="multiple of world_size"):
        ex.check_local_batch_size(8, global_batch=30, world_size=4)


def test_column_tensor(capsys):
    good = torch.tensor([[1.0], [2.0], [3.0]])
    assert run(capsys, ex.check_column_tensor, good, [1, 2, 3])[0]
    for wrong, hint in [
        ([[1.0], [2.0], [3.0]], "should be a torch tensor"),
        (torch.tensor([1.0, 2.0, 3.0]), "one row per sample and one column"),
        (torch.tensor([[1], [2], [3]]), "torch.float32"),
        (torch.tensor([[3.0], [2.0], [1.0]]), "different values"),
        (torch.tensor([[1.0, 2.0, 3.0]]), "should be (3, 1)"),
    ]:
        ok, out = run(capsys, ex.check_column_tensor, wrong, [1, 2, 3])
        assert not ok and out.startswith(text("check.hint")) and hint in out


def test_dtype_answer_is_computed_from_the_data(capsys):
    assert run(capsys, ex.check_dtype_answer, torch.float32, [[1], [2.0]])[0]
    assert run(capsys, ex.check_dtype_answer, torch.int64, [[1], [2]])[0]
    assert run(capsys, ex.check_dtype_answer, torch.bool, [True, False])[0]
    assert not run(capsys, ex.check_dtype_answer, torch.int64, [[1], [2.0]])[0]
    assert "give a torch dtype" in run(capsys, ex.check_dtype_answer, "float32", [[1], [2.0]])[1]


def test_linear_shapes(capsys):
    assert run(capsys, ex.check_linear_shapes, torch.nn.Linear(3, 2), 3, 2)[0]
    assert "3 → 2" in run(capsys, ex.check_linear_shapes, torch.nn.Linear(2, 3), 3, 2)[1]
    assert "no bias" in run(capsys, ex.check_linear_shapes, torch.nn.Linear(3, 2, bias=False),
                            3, 2)[1]
    assert not run(capsys, ex.check_linear_shapes, torch.nn.Conv1d(3, 2, 1), 3, 2)[0]


def _manual_linear(x, layer):
    y = x @ layer.weight.T
    return y if layer.bias is None else y + layer.bias


def test_manual_linear(capsys):
    assert run(capsys, ex.check_manual_linear, _manual_linear)[0]
    # right with a bias, but Tensor + None for a layer built with bias=False
    ok, out = run(capsys, ex.check_manual_linear, lambda x, layer: x @ layer.weight.T + layer.bias)
    assert not ok and "bias=False" in out and "TypeError" in out, out
    ok, out = run(capsys, ex.check_manual_linear,
                  lambda x, layer: x @ layer.weight.T + (1.0 if layer.bias is None else layer.bias))
    assert not ok and "bias=False" in out and "wrong result" in out, out
    assert "stored as (out, in)" in run(capsys, ex.check_manual_linear,
                              lambda x, layer: x @ layer.weight + layer.bias)[1]
    assert "wrong numbers" in run(capsys, ex.check_manual_linear,
                                  lambda x, layer: x @ layer.weight.T)[1]
    assert "raised" in run(capsys, ex.check_manual_linear, lambda x: x)[1]
    assert run(capsys, ex.check_manual_linear, lambda x, layer: (
        x.double() @ layer.weight.T.double()
        + (0.0 if layer.bias is None else layer.bias.double())))[0]
    assert "should have shape (4, 2); got (4,)" in run(
        capsys, ex.check_manual_linear, lambda x, layer: (x @ layer.weight.T).sum(dim=1))[1]
    assert not run(capsys, ex.check_manual_linear, 3)[0]


def test_same_steps_reason(capsys):
    """04's "why": only the reason about the gradient passes; each other choice gets its own
    hint, and an answer that is not one of the letters says which letters there are."""
    assert run(capsys, ex.check_same_steps_reason, "b")[0]
    assert run(capsys, ex.check_same_steps_reason, "(B)")[0]
    hints = set()
    for wrong in ("a", "c"):
        ok, out = run(capsys, ex.check_same_steps_reason, wrong)
        assert not ok and "gradient" in out
        hints.add(out)
    assert len(hints) == 2
    for bad in ("d", 2, "b c"):
        ok, out = run(capsys, ex.check_same_steps_reason, bad)
        assert not ok and '"a", "b" or "c"' in out, out
    assert "Not attempted" in run(capsys, ex.check_same_steps_reason, ...)[1]


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
    ok, out = run(capsys, ex.check_equivalent_lr, 0.05 / 3)  # the inverse: a hint, no direction
    assert not ok and "which gradient is smaller" in out and "grow" not in out
    assert not run(capsys, ex.check_equivalent_lr, 0.05)[0]
    assert "give a number" in run(capsys, ex.check_equivalent_lr, "0.15")[1]


def test_losses_match(capsys):
    assert run(capsys, ex.check_losses_match, my_losses)[0]
    tensors = lambda lr, reduction: [torch.tensor(v) for v in my_losses(lr, reduction)]  # noqa: E731
    assert run(capsys, ex.check_losses_match, tensors)[0]
    # a loop that ignores its arguments and hard-codes the exercise's settings fails
    fixed = lambda lr, reduction: my_losses(0.15, "mean")  # noqa: E731
    assert "my_losses(0.05, 'sum'): the numbers differ" in run(capsys, ex.check_losses_match,
                                                               fixed)[1]
    short = lambda lr, reduction: my_losses(lr, reduction, epochs=50)  # noqa: E731
    assert "recorded 50" in run(capsys, ex.check_losses_match, short)[1]
    seed = lambda lr, reduction: my_losses(lr, reduction, seed=1)  # noqa: E731
    assert "manual_seed" in run(capsys, ex.check_losses_match, seed)[1]
    assert "plain floats" in run(capsys, ex.check_losses_match, lambda lr, r: ["a"] * 51)[1]
    assert "returned nothing" in run(capsys, ex.check_losses_match, lambda lr, r: None)[1]
    # the package's loop is no answer, however it is reached
    for borrowed in (lambda lr, r: train(lr=lr, reduction=r).loss, train):
        ok, out = run(capsys, ex.check_losses_match, borrowed)
        assert not ok and "train" in out and "write the" in out


def test_int_answer(capsys):
    assert run(capsys, ex.check_int_answer, 7, 7, "q", "h")[0]
    # a wrong answer gets the concept hint, the same above and below: no halving to the answer
    above = run(capsys, ex.check_int_answer, 9, 7, "q", "h")
    below = run(capsys, ex.check_int_answer, 2, 7, "q", "h")
    assert not above[0] and not below[0]
    assert above[1].replace("9", "N") == below[1].replace("2", "N") == "💡 Not yet: N is not it — h"
    for whole in (7.0, np.float64(7.0), torch.tensor(7.0), 14 / 2):  # whole numbers as floats
        assert run(capsys, ex.check_int_answer, whole, 7, "q", "h")[0]
    ok, out = run(capsys, ex.check_int_answer, 7.5, 7, "q", "h")
    assert not ok and "give a whole number; got 7.5" in out
    assert not run(capsys, ex.check_int_answer, float("nan"), 7, "q", "h")[0]


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
    lesson = ["forward", "loss", "zero_grad", "backward", "step"]
    ok, out = run(capsys, check, lesson, unlike_lesson=True)
    assert not ok and "the order of the program above" in out
    assert run(capsys, check, ["zero_grad", "forward", "loss", "backward", "step"],
               unlike_lesson=True)[0]
    assert "erases the gradients" in run(capsys, check, ["forward", "loss", "backward",
                                                         "zero_grad", "step"],
                                         unlike_lesson=True)[1]


def test_glossary(capsys):
    terms = ["学习率", "权重", "反向传播"]
    answers = {"学习率": "Learning Rate ", "权重": "weight", "反向传播": "backpropagation"}
    assert run(capsys, ex.check_glossary, answers, terms)[0]
    ok, out = run(capsys, ex.check_glossary, {**answers, "学习率": "loss"}, terms)
    assert not ok and "1 of 3" in out and "学习率" in out
    assert not run(capsys, ex.check_glossary, ["weight"], terms)[0]
    plurals = {"学习率": "learning rates", "权重": "weights", "偏置": "biases", "轮次": "epochs"}
    assert run(capsys, ex.check_glossary, plurals, list(plurals))[0]
    assert not run(capsys, ex.check_glossary, {"偏置": "bia"}, ["偏置"])[0]


def test_glossary_terms_are_those_of_notebook_05():
    import json
    from pathlib import Path

    notebook = Path(__file__).parents[1] / "notebooks" / "05_summary.ipynb"
    text = "".join("".join(c["source"]) for c in json.loads(notebook.read_text())["cells"])
    rows = [line.lower() for line in text.splitlines() if line.startswith("|")]
    for term, english in GLOSSARY.items():
        assert any(term in row and english[0] in row for row in rows), term


def test_the_packages_own_function_is_not_an_answer(capsys):
    """06 Ex1 imports max_stable_lr in its first cell: giving it back is not solving the
    exercise, and neither is a function of one's own that calls it."""
    from linreg_helpers.analysis import max_stable_lr

    ok, out = run(capsys, ex.check_max_stable_lr, max_stable_lr)
    assert not ok and "the package's own max_stable_lr" in out
    ok, out = run(capsys, ex.check_max_stable_lr, lambda x: max_stable_lr(x))
    assert not ok and "my_max_stable_lr calls max_stable_lr" in out


def test_function(capsys):
    cases = [(1.0, 2.0), (3.0, -1.0)]
    assert run(capsys, ex.check_function, lambda a, b: a + b, lambda a, b: a + b, cases, "add")[0]
    ok, out = run(capsys, ex.check_function, lambda a, b: a - b, lambda a, b: a + b, cases, "add")
    assert not ok and "add(1.0, 2.0) gave -1.0000" in out
    assert "3.0000" not in out  # the reference's value is not given away
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
    # a function of one argument is shown called as f([[1.0]]), not as the tuple's f([[1.0]],)
    ok, out = run(capsys, ex.check_function, lambda x: 0.0, lambda x: 1.0, [([[1.0]],)], "f")
    assert not ok and "f([[1.0]]) gave 0.0000" in out, out


@pytest.mark.parametrize("value", [3, np.int64(3), np.array(3), torch.tensor(3), torch.tensor([3])])
def test_whole_numbers_of_every_kind_are_accepted(capsys, value):
    assert as_whole_number(value) == 3
    assert run(capsys, ex.check_int_answer, value, 3, "q", "h")[0]


@pytest.mark.parametrize("value", [None, True, 3.0, "3", [3], np.array([3, 4]), torch.tensor(3.0)])
def test_other_values_are_not_whole_numbers(value):
    assert as_whole_number(value) is None


@pytest.mark.parametrize("value", [0.15, np.float32(0.15), np.float64(0.15), np.array(0.15),
                                   torch.tensor(0.15), torch.tensor([0.15])])
def test_numbers_of_every_kind_are_accepted(capsys, value):
    assert as_number(value) == pytest.approx(0.15)
    assert run(capsys, ex.check_equivalent_lr, value)[0]
    assert run(capsys, ex.check_function, lambda: value, lambda: 0.15, [()], "f")[0]


@pytest.mark.parametrize("value", [None, False, "0.15", [0.15], np.array([1.0, 2.0]),
                                   torch.tensor([1.0, 2.0]), 1j])
def test_other_values_are_not_numbers(value):
    assert as_number(value) is None


def test_parameter_count_is_computed_and_leaves_the_random_state_alone(capsys):
    state = torch.random.get_rng_state()
    assert run(capsys, ex.check_parameter_count, 8, 3, 2)[0]
    assert run(capsys, ex.check_parameter_count, 20, 4, 4)[0]
    assert "shape (out, in)" in run(capsys, ex.check_parameter_count, 6, 3, 2)[1]
    assert torch.equal(state, torch.random.get_rng_state())


def test_grad_w(capsys):
    right = lambda w, b: sum(2 * (w * x + b - y) * x for x, y in [(1, 2), (2, 4), (3, 6)])  # noqa: E731
    assert run(capsys, ex.check_grad_w, right)[0]
    wrong = lambda w, b: sum(2 * (w * x + b - y) for x, y in [(1, 2), (2, 4), (3, 6)])  # noqa: E731
    assert not run(capsys, ex.check_grad_w, wrong)[0]

    def by_autograd(w, b):  # right numbers, but not by the formula the exercise asks for
        w = torch.tensor(float(w), requires_grad=True)
        ((w * torch.tensor([1.0, 2, 3]) + b - torch.tensor([2.0, 4, 6])) ** 2).sum().backward()
        return w.grad.item()

    ok, out = run(capsys, ex.check_grad_w, by_autograd)
    assert not ok and "grad_w calls Tensor.backward" in out


def test_epochs_to_prediction_agrees_with_an_independent_numpy_loop(capsys):
    w, b = train(epochs=1).weight[0], train(epochs=1).bias[0]  # after one step
    x, y = np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 6.0])
    n = 1
    while abs(4 * w + b - 8) >= 0.01:  # the SGD recurrence of the summed loss, lr 0.05
        error = w * x + b - y
        w, b = w - 0.05 * 2 * (error * x).sum(), b - 0.05 * 2 * error.sum()
        n += 1
    assert run(capsys, ex.check_epochs_to_prediction, n)[0]
    assert "w·4 + b" in run(capsys, ex.check_epochs_to_prediction, n - 1)[1]


def test_max_stable_lr_and_centred_condition_number(capsys):
    assert run(capsys, ex.check_max_stable_lr, stable)[0]
    assert not run(capsys, ex.check_max_stable_lr, lambda x: 2 * stable(x))[0]
    assert run(capsys, ex.check_centred_condition_number, centred)[0]
    assert not run(capsys, ex.check_centred_condition_number, lambda x: 1.5)[0]


def test_flat_epochs(capsys):
    factor = 1 - 0.05 * np.linalg.eigvalsh(np.array([[28.0, 12.0], [12.0, 6.0]]))[0]
    n = int(np.ceil(np.log(0.01) / np.log(factor)))
    assert factor ** n < 0.01 <= factor ** (n - 1)
    assert run(capsys, ex.check_flat_epochs, n)[0]
    assert not run(capsys, ex.check_flat_epochs, n + 1)[0]


@pytest.mark.parametrize(("name", "lr", "epochs"), [("Adam", 0.3, 200), ("LBFGS", 1.0, 5),
                                                    ("Rprop", 0.01, 150)])
def test_optimizer_swap_accepts_converged_runs(capsys, name, lr, epochs):
    model, optimizer = trained(name, lr, epochs)
    assert run(capsys, ex.check_optimizer_swap, model, optimizer, epochs)[0]


def test_optimizer_swap_rejects(capsys):
    model, optimizer = trained("Adam", 0.3, 200)
    assert "not within" in run(capsys, ex.check_optimizer_swap, *trained("Adam", 0.05, 200),
                               200)[1]
    assert "still SGD" in run(capsys, ex.check_optimizer_swap, *trained("SGD", 0.05, 400),
                              400)[1]
    assert "took 200 steps" in run(capsys, ex.check_optimizer_swap, model, optimizer, 100)[1]
    assert "from 1 to 500" in run(capsys, ex.check_optimizer_swap, model, optimizer, 600)[1]
    other = LinearModel()
    assert "does not hold" in run(capsys, ex.check_optimizer_swap, other, optimizer, 200)[1]
    assert "torch.optim" in run(capsys, ex.check_optimizer_swap, model, "Adam", 200)[1]


def test_reduction_sensitive_matches_single_runs(capsys):
    changed = []
    for name in ("SGD", "ASGD", "Adam", "Rprop", "LBFGS", "Adagrad", "Adamax", "RMSprop"):
        total = train(optimizer=name, reduction="sum").weight[-1]
        mean = train(optimizer=name, reduction="mean").weight[-1]
        if abs(total - mean) > 1e-3:
            changed.append(name)
    assert sorted(changed) == ["ASGD", "SGD"]
    assert run(capsys, ex.check_reduction_sensitive, ["sgd", "ASGD"])[0]
    short, long = (run(capsys, ex.check_reduction_sensitive, names)
                   for names in (["SGD"], ["SGD", "ASGD", "Adam"]))
    assert not short[0] and not long[0] and short[1] == long[1]  # no count to search by
    assert "reduction='sum'" in short[1] and "0.001" in short[1]
    assert "unknown optimizer" in run(capsys, ex.check_reduction_sensitive, ["Newton"])[1]
    assert "give a list" in run(capsys, ex.check_reduction_sensitive, "SGD")[1]


def test_steered_run_accepts_the_dashboards_steps_and_names_each_mistake(capsys):
    from linreg_helpers.widgets import TrainingDashboard

    dash = TrainingDashboard()
    try:
        dash.step(20)
        dash.lr.value = 0.02
        dash.step(31)
        assert run(capsys, ex.check_steered_run, dash.history)[0]
        wrong_epoch = TrainingDashboard()
        wrong_epoch.step(10)
        wrong_epoch.lr.value = 0.02
        wrong_epoch.step(41)
        ok, out = run(capsys, ex.check_steered_run, wrong_epoch.history)
        assert not ok and "after 20 epochs" in out
        wrong_epoch.close()
    finally:
        dash.close()
    for wrong, fragment in ((train(), "lr 0.05 throughout"), (train(lr=0.02), "no restart"),
                            (train(epochs=30), "30 epochs"), ([1.0], "the History itself")):
        ok, out = run(capsys, ex.check_steered_run, wrong)
        assert not ok and fragment in out, out


def test_epochs_to_settle_agrees_with_an_independent_numpy_loop(capsys):
    w, b = train(epochs=1).weight[0], train(epochs=1).bias[0]  # after one step
    x, y = np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 6.0])
    last_far = 0 if abs(w - 2) >= 0.05 else -1
    for epoch in range(1, 1000):  # SGD on the summed loss at lr 0.055, in float64
        error = w * x + b - y
        w, b = w - 0.055 * 2 * (error * x).sum(), b - 0.055 * 2 * error.sum()
        if abs(w - 2) >= 0.05:
            last_far = epoch
    n = last_far + 1  # the cursor's epoch: from it on, w (after that epoch's step) stays within
    assert run(capsys, ex.check_epochs_to_settle, n)[0]
    ok, out = run(capsys, ex.check_epochs_to_settle, n - 1)
    assert not ok and "history.weight" in out and str(n) not in out


def test_a_function_that_calls_what_it_should_compute_is_refused(capsys):
    import torch.nn.functional as F  # noqa: N812 (as learners write it)
    criterion = torch.nn.MSELoss(reduction="sum")  # in scope in notebook 03
    ok, out = run(capsys, ex.check_sum_loss, criterion)
    assert not ok and "my_sum_loss calls MSELoss" in out
    ok, out = run(capsys, ex.check_sum_loss, lambda a, b: F.mse_loss(a, b, reduction="sum"))
    assert not ok and "calls torch.nn.functional.mse_loss" in out
    assert run(capsys, ex.check_sum_loss, lambda a, b: ((a - b) ** 2).sum())[0]
    ok, out = run(capsys, ex.check_manual_linear, lambda x, layer: layer(x))
    assert not ok and "manual_linear calls Linear" in out
    ok, out = run(capsys, ex.check_manual_linear,
                  lambda x, layer: F.linear(x, layer.weight, layer.bias))
    assert not ok and "calls torch.nn.functional.linear" in out
    ok, out = run(capsys, ex.check_function, lambda x: abs(x), abs, [(2.0,)], "my_abs",
                  originals=[abs])
    assert not ok and "my_abs calls abs" in out  # a C function, by identity

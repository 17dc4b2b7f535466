"""linreg_helpers.race: the optimizer race, checked against single train() runs."""

import math

import pytest
import torch

from linreg_helpers.race import (
    RACE_LRS,
    epochs_to_tolerance,
    race,
    race_table,
)
from linreg_helpers.settings import OPTIMIZERS
from linreg_helpers.training import train


def test_race_runs_all_eight_optimizers_like_train():
    histories = race(epochs=60)
    assert list(histories) == list(RACE_LRS) and sorted(RACE_LRS) == sorted(OPTIMIZERS)
    for name, history in histories.items():
        single = train(optimizer=name, lr=RACE_LRS[name], epochs=60)
        assert history.loss == single.loss, name
        assert history.weight == single.weight and history.bias == single.bias, name


def test_racers_share_one_starting_point():
    histories = race({name: 0.01 for name in OPTIMIZERS}, epochs=2, seed=3)
    first_losses = {history.loss[0] for history in histories.values()}
    assert len(first_losses) == 1
    torch.manual_seed(3)
    layer = torch.nn.Linear(1, 1)
    w, b = layer.weight.item(), layer.bias.item()
    expected = sum((w * x + b - 2 * x) ** 2 for x in (1.0, 2.0, 3.0))
    assert first_losses.pop() == pytest.approx(expected, rel=1e-6)


def test_every_tuned_optimizer_reaches_the_tolerance_and_lbfgs_is_fastest():
    histories = race(epochs=100)
    reached = {name: epochs_to_tolerance(h.loss, 1e-3) for name, h in histories.items()}
    assert all(value is not None for value in reached.values()), reached
    assert reached["LBFGS"] == min(reached.values()) <= 2


def test_surprises_described_in_notebook_07():
    same = race({name: 0.05 for name in OPTIMIZERS}, epochs=200)
    # ASGD's averaging starts at step t0 = 1e6: in a short run it follows SGD
    for a, b in zip(same["ASGD"].loss[:100], same["SGD"].loss[:100]):
        assert a == pytest.approx(b, rel=1e-2, abs=1e-6)
    # Adam moves each parameter by about lr per step at first
    adam = train(optimizer="Adam", lr=0.05, epochs=3)
    assert abs(adam.weight[1] - adam.weight[0]) == pytest.approx(0.05, rel=0.05)
    assert epochs_to_tolerance(same["Adam"].loss, 1e-3) is None
    # Adagrad's steps shrink: far from the minimum after 200 epochs at lr 0.05
    assert same["Adagrad"].loss[-1] > 1.0


def test_reduction_and_data_are_passed_on():
    x, y = [[0.0], [1.0], [2.0], [3.0]], [[1.0], [3.0], [5.0], [7.0]]
    histories = race({"SGD": 0.1, "Rprop": 0.01}, x, y, epochs=20, reduction="mean", seed=2)
    for name, lr in (("SGD", 0.1), ("Rprop", 0.01)):
        single = train(x, y, optimizer=name, lr=lr, epochs=20, reduction="mean", seed=2)
        assert histories[name].loss == single.loss


def test_callers_random_state_is_untouched():
    torch.manual_seed(11)
    expected = torch.rand(2)
    torch.manual_seed(11)
    race({"SGD": 0.05}, epochs=2)
    assert torch.equal(torch.rand(2), expected)


@pytest.mark.parametrize(
    ("lrs", "fragment"),
    [({}, "non-empty dict"), ([0.05], "non-empty dict"), ({"adam": 0.1}, "did you mean 'Adam'"),
     ({"SGD": 0.0}, "must be > 0"), ({"SGD": "0.05"}, "positive number")],
)
def test_bad_lrs_are_refused_with_advice(lrs, fragment):
    with pytest.raises(ValueError, match=fragment):
        race(lrs)


def test_epochs_to_tolerance():
    assert epochs_to_tolerance([5.0, 2.0, 0.5, 0.1], 1.0) == 2
    assert epochs_to_tolerance([5.0, 2.0], 1.0) is None
    assert epochs_to_tolerance([1.0, 0.5], 1.0) == 1  # strictly below
    assert epochs_to_tolerance([math.nan, math.inf, 0.5], 1.0) == 2
    assert epochs_to_tolerance([], 1.0) is None


def test_race_table_sorts_fastest_first_and_marks_misses():
    histories = race({"SGD": 0.05, "LBFGS": 1.0, "Adagrad": 0.05, "ASGD": 0.2}, epochs=30)
    table = race_table(histories, {"SGD": 0.05, "LBFGS": 1.0, "Adagrad": 0.05, "ASGD": 0.2}, 1e-3)
    lines = table.splitlines()
    assert lines[0].split()[:2] == ["optimizer", "lr"]
    assert [line.split()[0] for line in lines[1:]] == ["LBFGS", "SGD", "Adagrad", "ASGD"]
    assert "not reached" in lines[2] and "not reached" in lines[3]
    assert "diverged (" in lines[4]

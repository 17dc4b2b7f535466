"""linreg_helpers.stepping: runs in steps equal train(); steering equals a hand-written loop."""

import pytest
import torch

from linreg_helpers.data import lesson_data
from linreg_helpers.model import seeded_model
from linreg_helpers.settings import OPTIMIZERS
from linreg_helpers.stepping import Change, SteppedRun
from linreg_helpers.training import History, train


def hand_loop(epochs, changes, *, lr=0.05, reduction="sum", optimizer="SGD", momentum=0.0):
    """The lesson's loop written out, making ``changes[epoch]`` (a dict) before that epoch."""
    x, y = lesson_data()
    model = seeded_model(0)
    criterion = torch.nn.MSELoss(reduction=reduction)

    def new(name, lr, momentum):
        options = {"momentum": momentum} if name == "SGD" and momentum > 0 else {}
        return getattr(torch.optim, name)(model.parameters(), lr=lr, **options)

    opt = new(optimizer, lr, momentum)
    history = History()
    for epoch in range(epochs):
        change = changes.get(epoch, {})
        if "optimizer" in change:
            optimizer = change["optimizer"]
            opt = new(optimizer, change.get("lr", lr), change.get("momentum", 0.0))
        if "lr" in change:
            lr = opt.param_groups[0]["lr"] = change["lr"]
        if "momentum" in change:
            opt.param_groups[0]["momentum"] = change["momentum"]
        if "reduction" in change:
            criterion = torch.nn.MSELoss(reduction=change["reduction"])
        loss = criterion(model(x), y)
        history.loss.append(loss.item())
        opt.zero_grad()
        loss.backward()
        opt.step()
        history.weight.append(model.linear.weight.item())
        history.bias.append(model.linear.bias.item())
    return history


def run_default(name):
    return {"lr": 0.05, "reduction": "sum", "optimizer": "SGD"}[name]


def same_numbers(a: History, b: History) -> None:
    assert (a.loss, a.weight, a.bias) == (b.loss, b.weight, b.bias)  # bit for bit


@pytest.mark.parametrize("name", [o for o in OPTIMIZERS])
@pytest.mark.parametrize("splits", [(51,), (1,) * 51, (10, 1, 30, 10), (3, 0, 47, 5)])
def test_any_split_of_steps_is_one_train_run(name, splits):
    run = SteppedRun(optimizer=name)
    done = [run.step(k) for k in splits]
    assert sum(done) == 51 and run.finished and run.epoch == 51
    assert run.history == train(optimizer=name)  # every field, the divergence marks too


def test_a_split_run_with_momentum_and_mean_is_train():
    run = SteppedRun(reduction="mean", momentum=0.9, epochs=80)
    while run.step(7):
        pass
    assert run.history == train(reduction="mean", momentum=0.9, epochs=80)


@pytest.mark.parametrize(("start_kwargs", "at", "change", "hand"), [
    ({}, 10, {"lr": 0.02}, {"lr": 0.02}),
    ({"momentum": 0.5}, 7, {"lr": 0.03, "momentum": 0.8}, {"lr": 0.03, "momentum": 0.8}),
    ({}, 5, {"momentum": 0.9}, {"momentum": 0.9}),  # SGD without momentum gains a buffer
    ({}, 12, {"reduction": "mean", "lr": 0.1}, {"reduction": "mean", "lr": 0.1}),
    ({"optimizer": "Adam", "lr": 0.1}, 20, {"lr": 0.01}, {"lr": 0.01}),  # Adam keeps moments
    ({"optimizer": "Adam", "lr": 0.1}, 20, {"reduction": "mean"}, {"reduction": "mean"}),
    ({"momentum": 0.9}, 15, {"optimizer": "Adam", "lr": 0.2, "momentum": 0.0},
     {"optimizer": "Adam", "lr": 0.2}),
    ({"optimizer": "RMSprop", "lr": 0.01}, 9, {"optimizer": "SGD", "momentum": 0.5},
     {"optimizer": "SGD", "momentum": 0.5}),
])
def test_steering_mid_run_is_the_hand_written_loop(start_kwargs, at, change, hand):
    run = SteppedRun(epochs=60, **start_kwargs)
    run.step(at)
    settings = {"lr": run.lr, "epochs": 60, "reduction": run.reduction,
                "optimizer": run.optimizer, "momentum": run.momentum, **change}
    made = run.steer(**settings)
    assert {c.setting for c in made} == {k for k, v in change.items()
                                         if v != start_kwargs.get(k, 0.0 if k == "momentum"
                                                                  else run_default(k))}
    assert all(c.epoch == at for c in made)
    run.step(60)
    same_numbers(run.history, hand_loop(60, {at: hand}, **start_kwargs))


def test_two_changes_at_two_epochs_are_recorded_and_applied():
    run = SteppedRun(epochs=40)
    run.step(5)
    run.steer(lr=0.06, epochs=40, reduction="sum", optimizer="SGD")
    run.step(10)
    run.steer(lr=0.06, epochs=40, reduction="sum", optimizer="SGD", momentum=0.5)
    run.step(100)
    assert run.changes == [Change(5, "lr", 0.05, 0.06), Change(15, "momentum", 0.0, 0.5)]
    same_numbers(run.history, hand_loop(40, {5: {"lr": 0.06}, 15: {"momentum": 0.5}}))


def test_epochs_is_where_the_run_ends_and_raising_it_goes_on():
    run = SteppedRun(epochs=10)
    assert run.step(25) == 10 and run.finished
    assert run.step() == 0
    run.steer(lr=0.05, epochs=30, reduction="sum", optimizer="SGD")
    assert not run.finished and run.step(100) == 20
    assert run.history == train(epochs=30)
    assert run.changes == [Change(10, "epochs", 10, 30)]


def test_an_explosion_stops_the_run_as_train_does():
    run = SteppedRun(lr=0.2, epochs=200)
    while run.step(3):
        pass
    expected = train(lr=0.2, epochs=200)
    assert expected.exploded and run.exploded and not run.finished
    assert run.history == expected and run.step(5) == 0


def test_steering_past_the_bound_mid_run_explodes_later():
    run = SteppedRun(epochs=300)
    run.step(20)
    run.steer(lr=0.07, epochs=300, reduction="sum", optimizer="SGD")
    run.step(300)
    assert run.exploded and run.history.diverged_at > 20
    hand = hand_loop(run.history.diverged_at, {20: {"lr": 0.07}})
    assert hand.loss == run.history.loss[:-1]


def test_a_start_and_a_seed_as_train():
    run = SteppedRun(start=(4.0, -2.0), seed=3)
    run.step(51)
    assert run.history == train(start=(4.0, -2.0), seed=3)
    assert run.params == (run.history.weight[-1], run.history.bias[-1])


@pytest.mark.parametrize("k", [-1, 1.5, "2", None])
def test_bad_k_says_what_to_do(k):
    with pytest.raises(ValueError, match="whole number such as 1 or 10"):
        SteppedRun().step(k)


def test_bad_settings_are_refused_with_the_settings_messages():
    with pytest.raises(ValueError, match="lr"):
        SteppedRun(lr=-1)
    run = SteppedRun()
    with pytest.raises(ValueError, match="reduction"):
        run.steer(lr=0.05, epochs=51, reduction="none", optimizer="SGD")
    assert run.changes == []

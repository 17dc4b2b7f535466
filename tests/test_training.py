"""linreg_helpers.training.train: checked against the SGD recurrence computed by hand."""

import math

import numpy as np
import pytest
import torch

from linreg_helpers import LinearModel
from linreg_helpers.settings import OPTIMIZERS
from linreg_helpers.training import History, train


def initial_params(seed=0):
    torch.manual_seed(seed)
    model = LinearModel()
    return model.linear.weight.item(), model.linear.bias.item()


def sgd_by_hand(x, y, w, b, *, lr, epochs, reduction, momentum=0.0, weight_decay=0.0):
    """Plain-Python/NumPy gradient descent on the squared error, recorded like the lesson."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    scale = 1.0 if reduction == "sum" else 1.0 / len(x)
    losses, ws, bs = [], [], []
    vw = vb = None
    for _ in range(epochs):
        err = w * x + b - y
        losses.append(scale * float(np.sum(err**2)))
        gw = scale * float(np.sum(2 * err * x)) + weight_decay * w
        gb = scale * float(np.sum(2 * err)) + weight_decay * b
        if momentum:
            vw = gw if vw is None else momentum * vw + gw
            vb = gb if vb is None else momentum * vb + gb
            gw, gb = vw, vb
        w, b = w - lr * gw, b - lr * gb
        ws.append(w)
        bs.append(b)
    return losses, ws, bs


LESSON_X, LESSON_Y = [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]


@pytest.mark.parametrize(("reduction", "lr"), [("sum", 0.05), ("mean", 0.15), ("sum", 0.01)])
def test_sgd_matches_the_recurrence_by_hand(reduction, lr):
    w0, b0 = initial_params()
    losses, ws, bs = sgd_by_hand(LESSON_X, LESSON_Y, w0, b0, lr=lr, epochs=51, reduction=reduction)
    history = train(lr=lr, reduction=reduction)
    assert len(history) == 51 and not history.diverged
    np.testing.assert_allclose(history.loss, losses, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(history.weight, ws, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(history.bias, bs, rtol=1e-5, atol=1e-6)


def test_lesson_defaults_and_recording_order():
    history = train()
    w0, b0 = initial_params()
    # loss[0] belongs to the initial parameters (before the first step) ...
    first = sum((w0 * x + b0 - y) ** 2 for x, y in zip(LESSON_X, LESSON_Y))
    assert history.loss[0] == pytest.approx(first, rel=1e-5)
    # ... while weight[0] / bias[0] are already after it.
    assert history.weight[0] != pytest.approx(w0)
    last = sum((history.weight[-2] * x + history.bias[-2] - y) ** 2
               for x, y in zip(LESSON_X, LESSON_Y))
    assert history.loss[-1] == pytest.approx(last, rel=1e-4)
    assert history.epochs == list(range(51))
    assert history.predict(4.0) == pytest.approx(history.weight[-1] * 4 + history.bias[-1])
    assert all(isinstance(v, float) for v in history.loss + history.weight + history.bias)


def test_custom_data_and_momentum_and_weight_decay():
    x = [[0.5], [1.5], [2.0], [4.0]]
    y = [[1.0], [2.0], [3.5], [6.0]]
    w0, b0 = initial_params(seed=3)
    flat_x, flat_y = [r[0] for r in x], [r[0] for r in y]
    losses, ws, bs = sgd_by_hand(flat_x, flat_y, w0, b0, lr=0.01, epochs=30, reduction="sum",
                                 momentum=0.9, weight_decay=0.1)
    history = train(x, y, lr=0.01, epochs=30, seed=3, momentum=0.9, weight_decay=0.1)
    np.testing.assert_allclose(history.loss, losses, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(history.weight, ws, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(history.bias, bs, rtol=1e-4, atol=1e-5)


def reference_run(name, lr, epochs=20):
    """The lesson's loop written out with torch.optim directly."""
    torch.manual_seed(0)
    model = LinearModel()
    x, y = torch.tensor([[1.0], [2.0], [3.0]]), torch.tensor([[2.0], [4.0], [6.0]])
    criterion = torch.nn.MSELoss(reduction="sum")
    opt = getattr(torch.optim, name)(model.parameters(), lr=lr)
    losses, ws = [], []
    for _ in range(epochs):
        loss = criterion(model(x), y)
        losses.append(loss.item())
        if name == "LBFGS":
            def closure():
                opt.zero_grad()
                value = criterion(model(x), y)
                value.backward()
                return value
            opt.step(closure)
        else:
            opt.zero_grad()
            loss.backward()
            opt.step()
        ws.append(model.linear.weight.item())
    return losses, ws


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_every_optimizer_matches_a_plain_torch_loop(name):
    lr = 0.05 if name != "LBFGS" else 0.5
    history = train(optimizer=name, lr=lr, epochs=20)
    losses, ws = reference_run(name, lr)
    np.testing.assert_allclose(history.loss, losses, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(history.weight, ws, rtol=1e-5, atol=1e-6)
    assert history.loss[-1] < history.loss[0]
    assert not history.diverged


def test_lbfgs_solves_the_lesson_in_a_few_epochs():
    history = train(optimizer="LBFGS", lr=1.0, epochs=5)
    assert history.weight[-1] == pytest.approx(2.0, abs=1e-3)
    assert history.bias[-1] == pytest.approx(0.0, abs=1e-3)


def test_seed_fixes_the_start_and_leaves_the_global_rng_alone():
    torch.manual_seed(42)
    expected = torch.rand(1)
    torch.manual_seed(42)
    a = train(seed=5, epochs=3)
    assert torch.equal(torch.rand(1), expected)
    assert train(seed=5, epochs=3).loss == a.loss
    assert train(seed=6, epochs=3).loss != a.loss


def test_divergence_just_above_the_stable_lr_is_detected():
    history = train(lr=0.062)
    assert history.diverged and len(history) == 51
    assert history.diverged_at is not None
    assert all(v > history.loss[0] for v in history.loss[history.diverged_at:])
    assert not train(lr=0.059).diverged


def test_growth_over_two_epochs_counts_as_divergence():
    history = train(lr=0.5, epochs=2)
    assert history.diverged and history.diverged_at == 1
    assert not train(lr=0.5, epochs=1).diverged  # one loss value says nothing yet


def test_explosion_stops_training_early():
    history = train(lr=0.5)
    assert history.diverged
    assert history.diverged_at == len(history) - 1 < 50
    assert history.loss[-1] > 1e6 * history.loss[0] or not math.isfinite(history.loss[-1])
    assert len(history.weight) == len(history.bias) == len(history.loss)


def test_explosion_on_the_last_epoch_is_an_explosion():
    full = train(lr=0.5)
    last = full.diverged_at
    history = train(lr=0.5, epochs=last + 1)  # it blows up exactly on its final epoch
    assert history.exploded and history.diverged and history.diverged_at == last
    assert len(history) == last + 1
    growing = train(lr=0.062)  # grows slowly, never explodes
    assert growing.diverged and not growing.exploded
    assert not train().exploded


def test_mean_reduction_tolerates_a_larger_lr():
    assert not train(lr=0.17, reduction="mean", epochs=300).diverged
    assert train(lr=0.19, reduction="mean", epochs=300).diverged


def test_history_defaults():
    h = History()
    assert len(h) == 0 and h.epochs == [] and not h.diverged and h.diverged_at is None
    assert not h.exploded


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"lr": 0}, "must be > 0"),
        ({"lr": -0.1}, "must be > 0"),
        ({"lr": float("nan")}, "positive number"),
        ({"lr": "0.05"}, "positive number"),
        ({"lr": True}, "positive number"),
        ({"epochs": 0}, "whole number ≥ 1"),
        ({"epochs": 2.5}, "whole number ≥ 1"),
        ({"reduction": "none"}, "backward\\(\\) needs a scalar"),
        ({"reduction": "avg"}, "choose one of sum, mean"),
        ({"optimizer": "sgd"}, "did you mean 'SGD'"),
        ({"optimizer": "Momentum"}, "choose one of Adagrad, Adam"),
        ({"momentum_typo": 0.9}, "SGD does not accept these options"),
        ({"x": [[1.0], [2.0]]}, "give both x and y"),
        ({"x": [1.0, 2.0], "y": [2.0, 4.0]}, "x must be a column matrix"),
        ({"x": [[1.0], [2.0]], "y": [[1.0]]}, "same number of rows"),
        ({"x": [[1.0], [float("nan")]], "y": [[1.0], [2.0]]}, "NaN"),
        ({"x": [], "y": []}, "got shape \\(0,\\)"),
    ],
)
def test_bad_settings_raise_value_errors_that_say_what_to_do(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        train(**kwargs)


def test_start_sets_the_initial_parameters():
    w0, b0 = 0.5, -1.0
    losses, ws, bs = sgd_by_hand(LESSON_X, LESSON_Y, w0, b0, lr=0.05, epochs=20, reduction="sum")
    history = train(lr=0.05, epochs=20, start=(w0, b0))
    np.testing.assert_allclose(history.loss, losses, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(history.weight, ws, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(("start", "fragment"), [
    (1.0, "must be a pair"), ((1.0,), "must be a pair"),
    ((float("nan"), 0.0), "w0 must be a finite"), ((0.0, "1"), "b0 must be a finite")])
def test_bad_start_is_explained(start, fragment):
    with pytest.raises(ValueError, match=fragment):
        train(start=start)

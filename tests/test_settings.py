"""linreg_helpers.settings and the one seeded start: every helper checks settings alike."""

import math

import numpy as np
import pytest
import torch

from linreg_helpers.analysis import loss_at, loss_grid
from linreg_helpers.model import LinearModel, initial_params, seeded_model
from linreg_helpers.race import race
from linreg_helpers.settings import (
    LESSON,
    as_number,
    as_whole_number,
    validate_epochs,
    validate_lr,
    validate_optimizer,
    validate_reduction,
    validate_settings,
)
from linreg_helpers.sweep import lr_sweep
from linreg_helpers.training import train


def test_lesson_settings():
    assert (LESSON.lr, LESSON.epochs, LESSON.reduction, LESSON.optimizer) == (
        0.05, 51, "sum", "SGD")
    assert train() == train(lr=0.05, epochs=51, reduction="sum", optimizer="SGD")


@pytest.mark.parametrize("lr", [np.float32(0.05), np.float64(0.05), torch.tensor(0.05),
                                torch.tensor([0.05]), np.array(0.05)])
def test_numpy_and_torch_numbers_are_accepted_everywhere(lr):
    reference = train(lr=0.05)
    history = train(lr=lr, epochs=np.int64(51))
    assert history.loss == pytest.approx(reference.loss, rel=1e-6)
    assert validate_lr(lr) == pytest.approx(0.05) and isinstance(validate_lr(lr), float)
    assert validate_epochs(torch.tensor(51)) == 51
    assert lr_sweep([0.05], epochs=np.int64(5)).epochs == 5
    assert race({"SGD": lr}, epochs=np.int32(3))["SGD"].loss == train(lr=lr, epochs=3).loss


@pytest.mark.parametrize(("call", "fragment"), [
    (lambda: validate_lr(True), "positive number"),
    (lambda: validate_lr(np.float32("nan")), "positive number"),
    (lambda: validate_lr(torch.tensor(float("inf"))), "positive number"),
    (lambda: validate_lr(torch.tensor([0.1, 0.2])), "positive number"),
    (lambda: validate_lr(-0.1), "must be > 0"),
    (lambda: validate_epochs(np.bool_(True)), "whole number"),
    (lambda: validate_epochs(2.0), "whole number"),
    (lambda: validate_epochs(np.int64(0)), "whole number"),
    (lambda: validate_reduction("none"), "backward\\(\\) needs a scalar"),
    (lambda: validate_optimizer("adam"), "did you mean 'Adam'"),
    (lambda: train(lr=torch.tensor(True)), "positive number"),
    (lambda: train(start=(np.float32("nan"), 0.0)), "w0 must be"),
])
def test_bad_values_are_refused_with_the_same_messages(call, fragment):
    with pytest.raises(ValueError, match=fragment):
        call()


def test_validate_settings_returns_plain_values():
    settings = validate_settings(np.float32(0.5), np.int64(3), "mean", "Adam")
    assert type(settings.lr) is float and type(settings.epochs) is int
    assert (settings.reduction, settings.optimizer) == ("mean", "Adam")


def test_number_coercion():
    assert as_number(np.float32(0.5)) == 0.5 and as_number(torch.tensor([[2.0]])) == 2.0
    assert as_number(True) is None and as_number("1") is None and as_number([1.0]) is None
    assert as_whole_number(np.int64(3)) == 3 and as_whole_number(3.0) is None


def test_seeded_start_is_manual_seed_then_linear_model():
    torch.manual_seed(3)
    model = LinearModel()
    assert torch.equal(seeded_model(3).linear.weight, model.linear.weight)
    assert initial_params(3) == (model.linear.weight.item(), model.linear.bias.item())


def test_seeded_start_touches_only_the_cpu_generator(monkeypatch):
    """torch.manual_seed would reseed every CUDA generator too: the helpers never call it."""
    def forbidden(seed):
        raise AssertionError("torch.manual_seed reseeds CUDA generators too")

    monkeypatch.setattr(torch, "manual_seed", forbidden)
    torch.random.default_generator.manual_seed(5)
    expected = torch.rand(4)
    torch.random.default_generator.manual_seed(5)
    train(epochs=2)
    race({"SGD": 0.05, "Adam": 0.3}, epochs=2)
    lr_sweep([0.01], epochs=2)
    initial_params(1)
    assert torch.equal(torch.rand(4), expected)  # the caller's CPU random state is unchanged


def test_loss_at_matches_mse_loss_and_a_loop():
    x = torch.tensor([[1.0], [2.0], [3.0]])
    y = torch.tensor([[2.0], [4.0], [6.0]])
    for reduction in ("sum", "mean"):
        w, b = 1.5, -0.25
        model = LinearModel()
        with torch.no_grad():
            model.linear.weight.fill_(w)
            model.linear.bias.fill_(b)
        expected = torch.nn.MSELoss(reduction=reduction)(model(x), y).item()
        got = loss_at(np.array(w), np.array(b), x[:, 0].double().numpy(),
                      y[:, 0].double().numpy(), reduction)
        assert float(got) == pytest.approx(expected, rel=1e-6)
    ws, bs = np.array([0.0, 2.0, 3.0]), np.array([1.0, 0.0, -1.0])
    by_hand = [math.fsum((w * xi + b - yi) ** 2 for xi, yi in ((1, 2), (2, 4), (3, 6)))
               for w, b in zip(ws, bs)]
    np.testing.assert_allclose(loss_at(ws, bs, np.array([1.0, 2, 3]), np.array([2.0, 4, 6])),
                               by_hand)
    grid = loss_grid(ws, bs)
    assert grid.shape == (3, 3) and grid[1, 1] == 0.0  # (w, b) = (2, 0) fits exactly


def test_loss_at_is_differentiable_on_tensors():
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.zeros(2, requires_grad=True)
    xs, ys = torch.tensor([1.0, 2.0, 3.0]), torch.tensor([2.0, 4.0, 6.0])
    loss_at(w, b, xs, ys).sum().backward()
    assert w.grad.tolist() == pytest.approx([2 * (-1 * 1 - 2 * 2 - 3 * 3), 0.0])

"""linreg_helpers.sweep.lr_sweep: checked against single train() runs, one per learning rate."""

import math

import numpy as np
import pytest
import torch

from linreg_helpers import LinearModel
from linreg_helpers.analysis import max_stable_lr
from linreg_helpers.data import noisy_data
from linreg_helpers.model import initial_params
from linreg_helpers.sweep import lr_sweep
from linreg_helpers.training import train


def lr_grid(reduction):
    """Stable, just-below/just-above the bound, slowly and violently divergent, inf-producing."""
    bound = max_stable_lr(reduction=reduction)
    near = bound * np.array([0.5, 0.9, 0.97, 0.99, 1.01, 1.03, 1.1, 1.5, 2.0, 5.0])
    return np.concatenate([np.geomspace(1e-4, 1e3, 22), near, [1e20, 1e30]])


def assert_agrees_with_train(result, lrs, **kwargs):
    for k, lr in enumerate(lrs):
        history = train(lr=float(lr), **kwargs)
        where = f"lr = {lr:g}"
        assert bool(result.diverged[k]) == history.diverged, where
        expected_at = -1 if history.diverged_at is None else history.diverged_at
        assert result.diverged_at[k] == expected_at, where
        assert result.epochs_run[k] == len(history), where
        assert bool(result.exploded[k]) == history.exploded, where
        if math.isfinite(history.loss[-1]):
            expected = pytest.approx(history.loss[-1], rel=1e-4, abs=1e-6)
            assert result.final_loss[k] == expected, where
        else:
            assert not math.isfinite(result.final_loss[k]), where
        np.testing.assert_allclose(result.loss[k, : len(history)], history.loss,
                                   rtol=1e-4, atol=1e-6, err_msg=where)
        assert np.isnan(result.loss[k, len(history):]).all(), where
        assert result.weight[k] == pytest.approx(history.weight[-1], rel=1e-4, abs=1e-5), where
        assert result.bias[k] == pytest.approx(history.bias[-1], rel=1e-4, abs=1e-5), where


@pytest.mark.parametrize("reduction", ["sum", "mean"])
@pytest.mark.parametrize("epochs", [51, 6, 5, 4, 3, 2, 1])
def test_sweep_agrees_with_single_train_runs(reduction, epochs):
    lrs = lr_grid(reduction)
    result = lr_sweep(lrs, reduction=reduction, epochs=epochs)
    assert result.final_loss.shape == result.diverged.shape == (lrs.size,)
    assert result.loss.shape == (lrs.size, epochs)
    assert_agrees_with_train(result, lrs, reduction=reduction, epochs=epochs)


@pytest.mark.parametrize("reduction", ["sum", "mean"])
@pytest.mark.parametrize("epochs", [1, 2, 3, 4, 5, 6, 51])
def test_one_divergence_rule_for_sweep_and_train(reduction, epochs):
    """diverged, diverged_at and exploded agree for lrs from 0.01 to 1 (log-spaced)."""
    lrs = np.geomspace(0.01, 1.0, 25)
    result = lr_sweep(lrs, reduction=reduction, epochs=epochs)
    for k, lr in enumerate(lrs):
        history = train(lr=float(lr), reduction=reduction, epochs=epochs)
        expected_at = -1 if history.diverged_at is None else history.diverged_at
        got = (bool(result.diverged[k]), int(result.diverged_at[k]), bool(result.exploded[k]))
        assert got == (history.diverged, expected_at, history.exploded), f"lr = {lr:g}"


def test_two_epoch_growth_is_divergence_in_the_sweep_too():
    lrs = np.geomspace(0.01, 1.0, 25)
    result = lr_sweep(lrs, epochs=2)
    assert result.diverged[lrs > 0.068].all() and not result.exploded.any()


def test_grid_covers_every_kind_of_run():
    result = lr_sweep(lr_grid("sum"))
    assert (~result.diverged).any() and result.diverged.any()
    assert (result.diverged & (result.epochs_run == 51)).any()  # slow growth, no explosion
    assert (result.epochs_run < 51).any()  # explosions stop early
    assert (~np.isfinite(result.final_loss)).any()  # lr = 1e30 overflows float32


def test_sweep_on_other_data_and_seed():
    x, y = noisy_data(12, w=-1.0, b=2.0, noise=0.3, seed=4)
    lrs = [0.001, 0.003, 0.01, 0.02, 0.05]
    result = lr_sweep(lrs, x=x, y=y, seed=7, epochs=40)
    assert_agrees_with_train(result, lrs, x=x, y=y, seed=7, epochs=40)


def test_all_models_start_where_train_starts():
    torch.manual_seed(0)
    model = LinearModel()
    assert initial_params(0) == (model.linear.weight.item(), model.linear.bias.item())
    result = lr_sweep([1e-9, 1e-9], epochs=1)
    assert result.weight == pytest.approx([model.linear.weight.item()] * 2, abs=1e-7)


def test_callers_random_state_is_untouched():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    lr_sweep([0.01, 0.05], seed=5)
    assert torch.equal(torch.rand(3), expected)


def test_accepts_lists_arrays_and_tensors_alike():
    lrs = [0.01, 0.05, 0.1]
    reference = lr_sweep(lrs).final_loss
    np.testing.assert_array_equal(lr_sweep(np.array(lrs)).final_loss, reference)
    np.testing.assert_array_equal(lr_sweep(torch.tensor(lrs)).final_loss, reference)
    np.testing.assert_array_equal(lr_sweep((0.01, 0.05, 0.1)).lrs, lrs)


def test_largest_stable_lr():
    lrs = np.linspace(0.01, 0.1, 10)
    result = lr_sweep(lrs)
    assert result.largest_stable_lr == pytest.approx(0.06)  # just below the bound 0.0601
    assert math.isnan(lr_sweep([1.0, 2.0]).largest_stable_lr)
    assert len(result) == 10


@pytest.mark.parametrize(
    ("lrs", "fragment"),
    [
        ([], "empty"),
        (0.05, "single number"),
        ([0.05, 0.0], r"lrs\[1\] is 0.0"),
        ([0.05, -0.1], r"lrs\[1\] is -0.1"),
        ([float("nan")], "finite number > 0"),
        ([float("inf")], "finite number > 0"),
        ([[0.01, 0.05]], "flat list"),
        (["0.05"], "real numbers"),
        ([True, False], "real numbers"),
        ([0.01, None], "real numbers"),
    ],
)
def test_bad_learning_rates_are_refused_with_advice(lrs, fragment):
    with pytest.raises(ValueError, match=fragment):
        lr_sweep(lrs)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [({"epochs": 0}, "epochs must be"), ({"epochs": 2.5}, "epochs must be"),
     ({"epochs": True}, "epochs must be"), ({"reduction": "none"}, "unknown reduction"),
     ({"x": [[1.0]]}, "give both x and y"), ({"x": [1.0, 2.0], "y": [2.0, 4.0]}, "column")],
)
def test_bad_settings_are_refused_like_train(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        lr_sweep([0.05], **kwargs)

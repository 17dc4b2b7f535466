"""linreg_helpers.analysis: least squares and the stability bound, against NumPy."""

import numpy as np
import pytest

from linreg_helpers.analysis import closed_form, condition_number, loss_hessian, max_stable_lr
from linreg_helpers.data import noisy_data
from linreg_helpers.training import train


def test_closed_form_on_the_lesson_is_w2_b0():
    w, b = closed_form()
    assert w == pytest.approx(2.0, abs=1e-9) and b == pytest.approx(0.0, abs=1e-9)


def test_closed_form_matches_numpy_lstsq_on_noisy_data():
    x, y = noisy_data(50, w=-1.5, b=4.0, noise=1.0, seed=3)
    a = np.column_stack([x[:, 0].double().numpy(), np.ones(50)])
    (w_ref, b_ref), *_ = np.linalg.lstsq(a, y[:, 0].double().numpy(), rcond=None)
    w, b = closed_form(x, y)
    assert w == pytest.approx(w_ref, rel=1e-9) and b == pytest.approx(b_ref, rel=1e-9)


def test_closed_form_is_validated():
    with pytest.raises(ValueError, match="give both x and y"):
        closed_form([[1.0]])
    with pytest.raises(ValueError, match="column matrix"):
        closed_form([1.0, 2.0], [2.0, 4.0])


def test_hessian_of_the_lesson():
    np.testing.assert_allclose(loss_hessian(), [[28.0, 12.0], [12.0, 6.0]])
    np.testing.assert_allclose(loss_hessian(reduction="mean"), np.array([[28, 12], [12, 6]]) / 3)


def test_max_stable_lr_is_2_over_the_largest_eigenvalue():
    eig_max = max(np.linalg.eigvals(np.array([[28.0, 12.0], [12.0, 6.0]])).real)
    assert max_stable_lr() == pytest.approx(2 / eig_max)
    assert round(max_stable_lr(), 4) == 0.0601
    assert round(max_stable_lr(reduction="mean"), 4) == 0.1803
    assert max_stable_lr(reduction="mean") == pytest.approx(3 * max_stable_lr())
    assert max_stable_lr(momentum=0.5) == pytest.approx(1.5 * max_stable_lr())
    assert max_stable_lr(weight_decay=1.0) == pytest.approx(2 / (eig_max + 1.0))


@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_sgd_converges_just_below_and_diverges_just_above_the_bound(reduction):
    bound = max_stable_lr(reduction=reduction)
    below = train(lr=0.97 * bound, reduction=reduction, epochs=400)
    above = train(lr=1.03 * bound, reduction=reduction, epochs=400)
    assert not below.diverged and below.loss[-1] < 1e-2 * below.loss[0]
    assert above.diverged


def test_momentum_bound_holds_in_training():
    bound = max_stable_lr(momentum=0.5)
    assert not train(lr=0.95 * bound, momentum=0.5, epochs=600).diverged
    assert train(lr=1.05 * bound, momentum=0.5, epochs=600).diverged


def test_condition_number_of_the_lesson():
    eig = np.linalg.eigvalsh(np.array([[28.0, 12.0], [12.0, 6.0]]))
    assert condition_number() == pytest.approx(eig[1] / eig[0])
    assert round(condition_number()) == 46
    assert condition_number([[1.0], [1.0]]) == float("inf")


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [({"reduction": "none"}, "unknown reduction"), ({"momentum": 1.0}, "momentum must be"),
     ({"weight_decay": -1.0}, "cannot be negative")],
)
def test_max_stable_lr_rejects_bad_arguments(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        max_stable_lr(**kwargs)


# --- valley_axes and contraction_factors (issue 5) ---------------------------------------

import torch  # noqa: E402

from linreg_helpers import LinearModel  # noqa: E402
from linreg_helpers.analysis import contraction_factors, valley_axes  # noqa: E402


@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_valley_axes_are_the_hessians_eigenpairs(reduction):
    x, y = noisy_data(9, seed=5)
    values, vectors = valley_axes(x, reduction)

    def loss(params):
        pred = params[0] * x.double()[:, 0] + params[1]
        return torch.nn.functional.mse_loss(pred, y.double()[:, 0], reduction=reduction)

    hessian = torch.autograd.functional.hessian(loss, torch.zeros(2, dtype=torch.float64))
    np.testing.assert_allclose(np.sort(np.linalg.eigvals(hessian.numpy()).real), values)
    np.testing.assert_allclose(hessian.numpy() @ vectors, vectors * values, atol=1e-9)
    np.testing.assert_allclose(vectors.T @ vectors, np.eye(2), atol=1e-12)
    assert all(v[np.argmax(np.abs(v))] > 0 for v in vectors.T)


def test_the_lessons_flat_direction_is_mostly_the_bias():
    values, vectors = valley_axes()
    assert values[-1] / values[0] == pytest.approx(condition_number())
    assert abs(vectors[1, 0]) > 0.9 and abs(vectors[0, -1]) > 0.9  # flat ≈ b, steep ≈ w


def test_one_sgd_step_shrinks_each_axis_by_its_contraction_factor():
    history = train(lr=0.05, epochs=2)
    torch.manual_seed(0)
    layer = LinearModel().linear
    start = np.array([layer.weight.item(), layer.bias.item()]) - np.array(closed_form())
    after = np.array([history.weight[0], history.bias[0]]) - np.array(closed_form())
    _, vectors = valley_axes()
    np.testing.assert_allclose(vectors.T @ after, contraction_factors(0.05) * (vectors.T @ start),
                               rtol=1e-5)
    assert contraction_factors(max_stable_lr())[-1] == pytest.approx(-1.0)
    assert contraction_factors(0.05, reduction="mean") == pytest.approx(
        contraction_factors(0.05 / 3))


@pytest.mark.parametrize("lr", [0.0, -0.1, float("nan"), "0.05", True])
def test_contraction_factors_reject_bad_lr(lr):
    with pytest.raises(ValueError, match=r"lr .*(positive number|must be > 0)"):
        contraction_factors(lr)

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

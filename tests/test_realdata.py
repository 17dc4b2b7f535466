"""The diabetes helpers against independent computations: NumPy, scikit-learn."""

import numpy as np
import pytest
import torch
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression
from sklearn.metrics import r2_score as sklearn_r2

from linreg_helpers.realdata import (
    Standardizer,
    diabetes,
    lstsq,
    r2_score,
    split,
    synthetic,
    validation_rows,
)


def test_diabetes_is_sklearns_table_in_original_units():
    x, y, names = diabetes()
    table = load_diabetes(scaled=False)
    assert x.shape == (442, 10) and y.shape == (442, 1)
    assert x.dtype == y.dtype == torch.float32
    assert names == ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]
    np.testing.assert_allclose(x.numpy(), table.data, rtol=1e-6)
    np.testing.assert_allclose(y.numpy()[:, 0], table.target, rtol=1e-6)


def test_split_is_a_seeded_partition():
    x, y, _ = diabetes()
    x_tr, y_tr, x_val, y_val = split(x, y, 0.2, seed=3)
    assert (len(x_tr), len(x_val)) == (354, 88) and len(y_tr) == 354 and len(y_val) == 88
    rows = {tuple(r) for r in torch.cat([x_tr, x_val]).tolist()}
    assert rows == {tuple(r) for r in x.tolist()}  # every row once (the rows are distinct)
    again = split(x, y, 0.2, seed=3)
    assert all(torch.equal(a, b) for a, b in zip((x_tr, y_tr, x_val, y_val), again))
    assert not torch.equal(split(x, y, 0.2, seed=4)[0], x_tr)
    # x and y stay paired: the row of x at position i in the split has its own y
    index = {tuple(r): i for i, r in enumerate(x.tolist())}
    assert all(y[index[tuple(r)]].item() == t.item() for r, t in zip(x_val.tolist(), y_val))


@pytest.mark.parametrize("fraction", [-0.1, 1.0, 1.5, "0.2", True])
def test_validation_rows_refuses_bad_fractions(fraction):
    with pytest.raises(ValueError, match="val_fraction"):
        validation_rows(442, fraction)


def test_validation_rows_rounds_and_keeps_training_rows():
    assert validation_rows(442, 0.2) == 88 and validation_rows(10, 0.0) == 0
    with pytest.raises(ValueError, match="no training rows"):
        validation_rows(1, 0.9)


def test_standardizer_uses_training_statistics_only():
    x, y, _ = diabetes()
    x_tr, _, x_val, _ = split(x, y, 0.2, seed=0)
    scaler = Standardizer.fit(x_tr)
    z_tr, z_val = scaler.transform(x_tr), scaler.transform(x_val)
    np.testing.assert_allclose(z_tr.mean(0).numpy(), 0, atol=1e-5)
    np.testing.assert_allclose(z_tr.std(0, correction=0).numpy(), 1, atol=1e-5)
    expected = (x_val.numpy() - x_tr.numpy().mean(0)) / x_tr.numpy().std(0)
    np.testing.assert_allclose(z_val.numpy(), expected, rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match="feature 1 is constant"):
        Standardizer.fit(torch.tensor([[1.0, 2.0], [3.0, 2.0]]))


def test_to_original_gives_the_same_predictions():
    x, _, _ = diabetes()
    scaler = Standardizer.fit(x)
    weight = torch.randn(1, 10, generator=torch.Generator().manual_seed(0), dtype=torch.float32)
    bias = 150.0
    coef, intercept = scaler.to_original(weight, bias)
    standardized = scaler.transform(x).double() @ weight.double().T + bias
    original = x.double() @ coef.reshape(-1, 1) + intercept
    np.testing.assert_allclose(original.numpy(), standardized.numpy(), rtol=1e-5)


def test_lstsq_matches_numpy_and_sklearn_on_diabetes():
    x, y, _ = diabetes()
    coef, intercept = lstsq(x, y)
    design = np.c_[x.double().numpy(), np.ones(len(x))]
    reference = np.linalg.lstsq(design, y.double().numpy()[:, 0], rcond=None)[0]
    np.testing.assert_allclose(coef.numpy(), reference[:-1], rtol=1e-6)
    assert intercept == pytest.approx(reference[-1], rel=1e-6)
    sk = LinearRegression().fit(load_diabetes(scaled=False).data, load_diabetes().target)
    np.testing.assert_allclose(coef.numpy(), sk.coef_, rtol=1e-4, atol=1e-6)
    assert intercept == pytest.approx(sk.intercept_, rel=1e-4)


def test_r2_score_matches_sklearn():
    gen = torch.Generator().manual_seed(0)
    y_true, y_pred = torch.randn(50, 1, generator=gen), torch.randn(50, 1, generator=gen)
    assert r2_score(y_true, y_pred) == pytest.approx(sklearn_r2(y_true[:, 0], y_pred[:, 0]))
    assert r2_score(y_true, y_true) == 1.0
    assert r2_score(y_true, torch.full_like(y_true, y_true.mean().item())) == pytest.approx(0)
    with pytest.raises(ValueError, match="same number"):
        r2_score(y_true, y_pred[:3])


def test_synthetic_data_follow_their_own_formula():
    x, y, w, b = synthetic(5000, 4, noise=0.1, seed=2)
    assert x.shape == (5000, 4) and y.shape == (5000, 1)
    coef, intercept = lstsq(x, y)
    np.testing.assert_allclose(coef.numpy(), w.numpy(), atol=0.01)
    assert intercept == pytest.approx(b, abs=0.02)
    assert torch.equal(synthetic(10, 2, seed=1)[0], synthetic(10, 2, seed=1)[0])
    with pytest.raises(ValueError, match="rows"):
        synthetic(0, 2)
    with pytest.raises(ValueError, match="noise"):
        synthetic(10, 2, noise=-1)

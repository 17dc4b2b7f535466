"""linreg_helpers.data: the lesson's data, conversion to (N, 1) float32, validation."""

import numpy as np
import pytest
import torch

from linreg_helpers.data import as_column, lesson_data, noisy_data, validate_xy


def test_lesson_data_is_the_lessons_three_points():
    x, y = lesson_data()
    assert x.shape == y.shape == (3, 1)
    assert x.dtype == y.dtype == torch.float32
    assert x[:, 0].tolist() == [1.0, 2.0, 3.0]
    assert y[:, 0].tolist() == [2.0, 4.0, 6.0]


@pytest.mark.parametrize(
    "values",
    [[[1], [2], [3]], np.array([[1.0], [2.0], [3.0]]), torch.tensor([[1], [2], [3]]),
     np.array([[1], [2], [3]], dtype=np.int32), ((1.0,), (2.0,), (3.0,))],
)
def test_as_column_converts_to_float32_column(values):
    col = as_column(values)
    assert col.dtype == torch.float32 and col.shape == (3, 1)
    assert col[:, 0].tolist() == [1.0, 2.0, 3.0]


def test_as_column_detaches_tensors_that_require_grad():
    t = torch.ones(2, 1, requires_grad=True)
    assert not as_column(t).requires_grad


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ([1.0, 2.0, 3.0], "reshape(-1, 1)"),
        (torch.tensor([1.0, 2.0]), "got shape (2,)"),
        ([[1.0, 2.0], [3.0, 4.0]], "got shape (2, 2)"),
        (np.zeros((2, 1, 1)), "got shape (2, 1, 1)"),
        (np.zeros((0, 1)), "empty"),
        ([[1.0], [float("nan")]], "NaN or infinite values (first at row 1)"),
        ([[float("inf")], [1.0]], "first at row 0"),
        ([["a"], ["b"]], "numbers only"),
        ([[1.0], [2.0, 3.0]], "could not read"),
        (torch.tensor([[1 + 1j]]), "real numbers"),
        (5.0, "got shape ()"),
    ],
)
def test_as_column_rejects_bad_input_with_advice(values, fragment):
    with pytest.raises(ValueError) as info:
        as_column(values, "x")
    assert fragment in str(info.value)
    assert str(info.value).startswith("x ")


def test_as_column_names_the_argument_in_errors():
    with pytest.raises(ValueError, match=r"^y must be a column matrix.*use y\.reshape"):
        as_column([1.0, 2.0], "y")


def test_check_xy_accepts_matching_pairs():
    x, y = validate_xy([[1], [2]], np.array([[3.0], [4.0]]))
    assert x.shape == y.shape == (2, 1)


def test_check_xy_refuses_different_numbers_of_rows():
    with pytest.raises(ValueError, match="same number of rows.*3 rows in x and 2 in y"):
        validate_xy([[1.0], [2.0], [3.0]], [[1.0], [2.0]])


def test_check_xy_refuses_1d_y_instead_of_broadcasting():
    with pytest.raises(ValueError, match=r"^y must be a column matrix"):
        validate_xy([[1.0], [2.0]], [1.0, 2.0])


def test_noisy_data_shape_determinism_and_law():
    x1, y1 = noisy_data(200, w=3.0, b=-1.0, noise=0.1, seed=7)
    x2, y2 = noisy_data(200, w=3.0, b=-1.0, noise=0.1, seed=7)
    assert x1.shape == y1.shape == (200, 1) and x1.dtype == torch.float32
    assert torch.equal(x1, x2) and torch.equal(y1, y2)
    assert not torch.equal(x1, noisy_data(200, seed=8)[0])
    assert float(x1.min()) >= 0.0 and float(x1.max()) < 5.0
    slope, intercept = np.polyfit(x1[:, 0].numpy(), y1[:, 0].numpy(), 1)
    assert slope == pytest.approx(3.0, abs=0.05) and intercept == pytest.approx(-1.0, abs=0.1)
    residual = y1 - (3.0 * x1 - 1.0)
    assert float(residual.std()) == pytest.approx(0.1, rel=0.25)


def test_noisy_data_without_noise_is_exact():
    x, y = noisy_data(5, w=2.0, b=1.0, noise=0.0)
    assert torch.allclose(y, 2.0 * x + 1.0)


def test_noisy_data_leaves_global_rng_alone():
    torch.manual_seed(123)
    expected = torch.rand(1)
    torch.manual_seed(123)
    noisy_data(10)
    assert torch.equal(torch.rand(1), expected)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"n": 0}, "positive whole number"),
        ({"n": 2.5}, "positive whole number"),
        ({"noise": -1.0}, "cannot be negative"),
        ({"w": float("nan")}, "w must be a finite number"),
        ({"low": 2.0, "high": 1.0}, "high must be greater than low"),
    ],
)
def test_noisy_data_rejects_bad_arguments(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        noisy_data(**kwargs)

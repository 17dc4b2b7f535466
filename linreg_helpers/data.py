"""Data for the lesson: the three-point data set, noisy synthetic data, and validation.

Every tensor that enters the model is a column matrix of shape (N, 1), float32:
rows are samples, and a mini-batch is all rows at once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Optional, Union

import numpy as np
import torch

ArrayLike = Union[torch.Tensor, np.ndarray, Sequence]

LESSON_X = [[1.0], [2.0], [3.0]]
LESSON_Y = [[2.0], [4.0], [6.0]]


def lesson_data() -> tuple[torch.Tensor, torch.Tensor]:
    """Return the lesson's ``x_data``, ``y_data``: (3, 1) float32 tensors with y = 2x."""
    return torch.tensor(LESSON_X), torch.tensor(LESSON_Y)


def as_column(values: ArrayLike, name: str = "x") -> torch.Tensor:
    """Convert a list, NumPy array or tensor to a (N, 1) float32 tensor, or raise ValueError.

    A 1-D input is refused rather than reshaped: the lesson's point is that x and y must be
    matrices, and a silent reshape would hide the (N,) vs (N, 1) trap.
    """
    if isinstance(values, torch.Tensor):
        tensor = values.detach()
    else:
        try:
            array = np.asarray(values)
        except (ValueError, TypeError) as exc:
            raise ValueError(
                f"{name} must be a list of rows of numbers, like [[1.0], [2.0], [3.0]]; "
                f"could not read it as an array ({exc})"
            ) from None
        if array.dtype == object or not (
            np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_
        ):
            raise ValueError(
                f"{name} must contain numbers only; got values of type {array.dtype} — "
                f"convert them with float(...) first"
            )
        tensor = torch.as_tensor(array)
    if tensor.is_complex() or not (tensor.is_floating_point() or _is_integer(tensor)):
        raise ValueError(f"{name} must contain real numbers; got dtype {tensor.dtype}")
    shape = tuple(tensor.shape)
    if tensor.ndim == 1:
        raise ValueError(
            f"{name} must be a column matrix of shape (N, 1); got shape {shape} — "
            f"use {name}.reshape(-1, 1), or write the data as [[1.0], [2.0], ...]"
        )
    if tensor.ndim != 2 or shape[1] != 1:
        raise ValueError(
            f"{name} must be a column matrix of shape (N, 1) (one feature per row); "
            f"got shape {shape}"
        )
    if shape[0] == 0:
        raise ValueError(f"{name} is empty: give at least one sample (one row)")
    tensor = tensor.to(torch.float32)
    if not torch.isfinite(tensor).all():
        bad = (~torch.isfinite(tensor)).nonzero()[0, 0].item()
        raise ValueError(
            f"{name} contains NaN or infinite values (first at row {bad}); "
            f"remove or fix those rows"
        )
    return tensor


def check_xy(x: ArrayLike, y: ArrayLike) -> tuple[torch.Tensor, torch.Tensor]:
    """Validate a data set: both (N, 1), same N, finite numbers. Returns float32 tensors."""
    x_col = as_column(x, "x")
    y_col = as_column(y, "y")
    if x_col.shape[0] != y_col.shape[0]:
        raise ValueError(
            f"x and y must have the same number of rows (samples); "
            f"got {x_col.shape[0]} rows in x and {y_col.shape[0]} in y"
        )
    return x_col, y_col


def xy_or_lesson(
    x: Optional[ArrayLike] = None, y: Optional[ArrayLike] = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """The validated data set (x, y), or the lesson's when both are None."""
    if (x is None) != (y is None):
        raise ValueError("give both x and y, or neither (to use the lesson's data)")
    return lesson_data() if x is None else check_xy(x, y)


def noisy_data(
    n: int = 20,
    *,
    w: float = 2.0,
    b: float = 0.0,
    noise: float = 0.5,
    low: float = 0.0,
    high: float = 5.0,
    seed: int = 0,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Synthetic data y = w·x + b + Gaussian noise, x uniform in [low, high), as (n, 1) tensors.

    Uses its own random generator, so the global torch seed is left untouched.
    """
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"n must be a positive whole number of samples; got {n!r}")
    for label, value in (("w", w), ("b", b), ("noise", noise), ("low", low), ("high", high)):
        if not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(f"{label} must be a finite number; got {value!r}")
    if noise < 0:
        raise ValueError(f"noise is a standard deviation and cannot be negative; got {noise}")
    if not high > low:
        raise ValueError(f"high must be greater than low; got low={low}, high={high}")
    generator = torch.Generator().manual_seed(seed)
    x = low + (high - low) * torch.rand(n, 1, generator=generator)
    y = w * x + b + noise * torch.randn(n, 1, generator=generator)
    return x, y


def _is_integer(tensor: torch.Tensor) -> bool:
    return not tensor.is_floating_point() and not tensor.is_complex()

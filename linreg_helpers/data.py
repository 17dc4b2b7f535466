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

from linreg_helpers.i18n import text

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
            raise ValueError(text("error.data.column.unreadable", name=name, error=exc)) from None
        if array.dtype == object or not (
            np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_
        ):
            raise ValueError(text("error.data.column.not_numbers", name=name, dtype=array.dtype))
        tensor = torch.as_tensor(array)
    if tensor.is_complex() or not (tensor.is_floating_point() or _is_integer(tensor)):
        raise ValueError(text("error.data.column.not_real", name=name, dtype=tensor.dtype))
    shape = tuple(tensor.shape)
    if tensor.ndim == 1:
        raise ValueError(text("error.data.column.flat", name=name, shape=shape))
    if tensor.ndim != 2 or shape[1] != 1:
        raise ValueError(text("error.data.column.shape", name=name, shape=shape))
    if shape[0] == 0:
        raise ValueError(text("error.data.column.empty", name=name))
    tensor = tensor.to(torch.float32)
    if not torch.isfinite(tensor).all():
        bad = (~torch.isfinite(tensor)).nonzero()[0, 0].item()
        raise ValueError(text("error.data.column.not_finite", name=name, row=bad))
    return tensor


def validate_xy(x: ArrayLike, y: ArrayLike) -> tuple[torch.Tensor, torch.Tensor]:
    """Validate a data set: both (N, 1), same N, finite numbers. Returns float32 tensors."""
    x_col = as_column(x, "x")
    y_col = as_column(y, "y")
    if x_col.shape[0] != y_col.shape[0]:
        raise ValueError(text("error.data.xy.rows", x_rows=x_col.shape[0], y_rows=y_col.shape[0]))
    return x_col, y_col


def xy_or_lesson(
    x: Optional[ArrayLike] = None, y: Optional[ArrayLike] = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """The validated data set (x, y), or the lesson's when both are None."""
    if (x is None) != (y is None):
        raise ValueError(text("error.data.xy.one_missing"))
    return lesson_data() if x is None else validate_xy(x, y)


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
        raise ValueError(text("error.data.noisy.n", n=n))
    for label, value in (("w", w), ("b", b), ("noise", noise), ("low", low), ("high", high)):
        if not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(text("error.data.noisy.not_finite", label=label, value=value))
    if noise < 0:
        raise ValueError(text("error.data.noisy.noise", noise=noise))
    if not high > low:
        raise ValueError(text("error.data.noisy.range", low=low, high=high))
    generator = torch.Generator().manual_seed(seed)
    x = low + (high - low) * torch.rand(n, 1, generator=generator)
    y = w * x + b + noise * torch.randn(n, 1, generator=generator)
    return x, y


def _is_integer(tensor: torch.Tensor) -> bool:
    return not tensor.is_floating_point() and not tensor.is_complex()

"""Exact answers to compare training against: least squares and the stability bound.

For the model ŷ = w·x + b the loss is quadratic in (w, b). With X = [x, 1] (a column of
ones appended), the Hessian of the summed loss is 2·XᵀX and that of the mean loss 2·XᵀX/N.
Plain gradient descent converges only when lr < 2/λmax of that Hessian.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

import numpy as np
import torch

from linreg_helpers.data import ArrayLike, as_column, lesson_data, xy_or_lesson
from linreg_helpers.i18n import text
from linreg_helpers.settings import LESSON, validate_lr, validate_reduction

if TYPE_CHECKING:  # only for the annotation: training imports nothing from here
    from linreg_helpers.training import History


def _design(x: Optional[ArrayLike]) -> np.ndarray:
    """A = [x, 1] in float64 (default x: the lesson's)."""
    x_t = lesson_data()[0] if x is None else as_column(x, "x")
    x_np = x_t.double().numpy()[:, 0]
    return np.stack([x_np, np.ones_like(x_np)], axis=1)


def closed_form(
    x: Optional[ArrayLike] = None, y: Optional[ArrayLike] = None
) -> tuple[float, float]:
    """The least-squares (w, b) for data x, y (defaults: the lesson's data → (2.0, 0.0)).

    Computed with ``torch.linalg.lstsq`` in float64.
    """
    x_t, y_t = xy_or_lesson(x, y)
    a, target = _design(x_t), y_t.double()
    solution = torch.linalg.lstsq(torch.from_numpy(a), target).solution
    return float(solution[0, 0]), float(solution[1, 0])


def loss_at(w, b, xs, ys, reduction: str = "sum"):
    """``MSELoss(reduction)`` of ŷ = w·x + b, for many (w, b) at once: the series' one loss formula.

    ``xs`` and ``ys`` are the samples as 1-D arrays (N,); ``w`` and ``b`` broadcast against
    each other, and the result has their broadcast shape. NumPy arrays or torch tensors (then
    differentiable), as long as all four are of the same kind.
    """
    validate_reduction(reduction)
    residual = w[..., None] * xs + b[..., None] - ys
    total = (residual * residual).sum(-1)
    return total / xs.shape[-1] if reduction == "mean" else total


def loss_hessian(x: Optional[ArrayLike] = None, reduction: str = "sum") -> np.ndarray:
    """The 2×2 Hessian of ``MSELoss(reduction)`` with respect to (w, b) (independent of y)."""
    validate_reduction(reduction)
    a = _design(x)
    hessian = 2.0 * a.T @ a
    return hessian / a.shape[0] if reduction == "mean" else hessian


def condition_number(x: Optional[ArrayLike] = None) -> float:
    """λmax/λmin of the loss Hessian: how elongated the loss valley is (≈ 46 for the lesson)."""
    eigenvalues = np.linalg.eigvalsh(loss_hessian(x))
    if eigenvalues[0] <= 0:
        return float("inf")
    return float(eigenvalues[-1] / eigenvalues[0])


def max_stable_lr(
    x: Optional[ArrayLike] = None,
    reduction: str = "sum",
    *,
    momentum: float = 0.0,
    weight_decay: float = 0.0,
) -> float:
    """The largest learning rate for which SGD converges on this data: 2(1+momentum)/λmax.

    λmax is the largest eigenvalue of the loss Hessian (plus ``weight_decay``, which adds
    weight_decay·I to it). On the lesson's data: 0.0601 for 'sum', 0.1803 for 'mean'.
    Adaptive optimizers (Adam, RMSprop, ...) are not bound by this formula.
    """
    validate_reduction(reduction)
    if not 0.0 <= momentum < 1.0:
        raise ValueError(text("error.analysis.momentum", momentum=momentum))
    if weight_decay < 0:
        raise ValueError(text("error.analysis.weight_decay", weight_decay=weight_decay))
    lam_max = float(np.linalg.eigvalsh(loss_hessian(x, reduction))[-1]) + weight_decay
    return 2.0 * (1.0 + momentum) / lam_max


def valley_axes(
    x: Optional[ArrayLike] = None, reduction: str = "sum"
) -> tuple[np.ndarray, np.ndarray]:
    """The loss valley's axes: eigenvalues (ascending) and unit eigenvectors of the Hessian.

    ``eigenvectors[:, 0]`` is the flat direction (smallest curvature), ``eigenvectors[:, -1]``
    the steep one; each vector is (Δw, Δb), signed so that its larger component is positive.
    """
    eigenvalues, eigenvectors = np.linalg.eigh(loss_hessian(x, reduction))
    for j in range(eigenvectors.shape[1]):
        column = eigenvectors[:, j]
        if column[np.argmax(np.abs(column))] < 0:
            eigenvectors[:, j] = -column
    return eigenvalues, eigenvectors


def contraction_factors(
    lr: float, x: Optional[ArrayLike] = None, reduction: str = "sum"
) -> np.ndarray:
    """How much one plain SGD step multiplies the distance to the minimum along each valley axis.

    The loss is quadratic, so a step maps θ − θ* to (I − lr·H)(θ − θ*): along the eigenvector
    with eigenvalue λ the distance is multiplied by 1 − lr·λ (same order as :func:`valley_axes`).
    |factor| < 1 shrinks, a negative factor zigzags, |factor| > 1 diverges.
    """
    lr = validate_lr(lr)
    eigenvalues, _ = valley_axes(x, reduction)
    return 1.0 - lr * eigenvalues


#: Contour levels of the summed loss (divided by N for the mean): they trace the same curves.
SUM_LEVELS = (0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0)


def loss_grid(
    w_values: ArrayLike,
    b_values: ArrayLike,
    x: Optional[ArrayLike] = None,
    y: Optional[ArrayLike] = None,
    reduction: str = LESSON.reduction,
) -> np.ndarray:
    """The loss at every (w, b): an array of shape (len(b_values), len(w_values)), float64.

    Row i, column j is the loss of ŷ = w_values[j]·x + b_values[i], the layout that
    ``plt.contour(w_values, b_values, grid)`` expects.
    """
    validate_reduction(reduction)
    x_t, y_t = xy_or_lesson(x, y)
    ws, bs = (np.asarray(v, dtype=np.float64) for v in (w_values, b_values))
    if ws.ndim != 1 or bs.ndim != 1:
        raise ValueError(text("error.analysis.grid", w_shape=ws.shape, b_shape=bs.shape))
    xs, ys = x_t.double().numpy()[:, 0], y_t.double().numpy()[:, 0]
    return loss_at(ws[None, :], bs[:, None], xs, ys, reduction)  # (len(b), len(w))


def trajectory(history: History, w0: float, b0: float) -> tuple[np.ndarray, np.ndarray]:
    """The (w, b) visited: the start, then the parameters after each epoch (len(history) + 1)."""
    return np.array([w0, *history.weight]), np.array([b0, *history.bias])

"""A real table: scikit-learn's diabetes data, a seeded split, standardisation, exact answers.

``load_diabetes`` ships inside the scikit-learn wheel (442 patients × 10 features, no download).
Everything here returns float32 tensors with rows as samples — x of shape (N, D), y of shape
(N, 1) — and computes its reference answers (least squares, R²) in float64.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from linreg_helpers.i18n import text

Split = tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]


def diabetes() -> tuple[torch.Tensor, torch.Tensor, list[str]]:
    """The diabetes table in its original units: x (442, 10), y (442, 1), the feature names.

    y is a measure of disease progression one year after the baseline features were taken.
    """
    from sklearn.datasets import load_diabetes  # imported here: only this function needs it

    table = load_diabetes(scaled=False)
    x = torch.tensor(table.data, dtype=torch.float32)
    y = torch.tensor(table.target, dtype=torch.float32).reshape(-1, 1)
    return x, y, list(table.feature_names)


def synthetic(rows: int = 1000, features: int = 3, *, noise: float = 0.1,
              seed: int = 0) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, float]:
    """Seeded data y = x·w + b + noise: returns x (rows, features), y (rows, 1), w and b.

    The features have different scales and offsets (feature j ~ N(j, (j + 1)²)), so that
    standardising them matters; w ~ N(0, 1), b = 0.5. Uses its own generator.
    """
    for name, value in (("rows", rows), ("features", features)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(text("error.realdata.whole", name=name, value=value))
    if not isinstance(noise, (int, float)) or not math.isfinite(noise) or noise < 0:
        raise ValueError(text("error.realdata.noise", noise=noise))
    generator = torch.Generator().manual_seed(seed)
    scale = torch.arange(1, features + 1, dtype=torch.float32)
    x = torch.randn(rows, features, generator=generator) * scale + (scale - 1)
    w = torch.randn(features, generator=generator)
    b = 0.5
    y = x @ w.reshape(-1, 1) + b + noise * torch.randn(rows, 1, generator=generator)
    return x, y, w, b


def validation_rows(rows: int, val_fraction: float) -> int:
    """How many of ``rows`` go to the validation split: round(rows × val_fraction)."""
    if isinstance(val_fraction, bool) or not isinstance(val_fraction, (int, float)) or not (
            0 <= val_fraction < 1):
        raise ValueError(text("error.realdata.val_fraction", val_fraction=val_fraction))
    n_val = round(rows * val_fraction)
    if rows - n_val < 1:
        raise ValueError(text("error.realdata.no_training_rows", val_fraction=val_fraction,
                              rows=rows))
    return n_val


def split(x: torch.Tensor, y: torch.Tensor, val_fraction: float = 0.2, *, seed: int = 0) -> Split:
    """A seeded random split into (x_train, y_train, x_val, y_val).

    The rows are shuffled with ``torch.randperm(N, generator=torch.Generator().manual_seed(seed))``;
    the last ``round(N × val_fraction)`` of that order are the validation rows.
    """
    n_val = validation_rows(x.shape[0], val_fraction)
    order = torch.randperm(x.shape[0], generator=torch.Generator().manual_seed(seed))
    train_idx, val_idx = order[: x.shape[0] - n_val], order[x.shape[0] - n_val:]
    return x[train_idx], y[train_idx], x[val_idx], y[val_idx]


@dataclass
class Standardizer:
    """z = (x − mean) / std per feature, with statistics taken from the training rows only."""

    mean: torch.Tensor
    std: torch.Tensor

    @classmethod
    def fit(cls, x_train: torch.Tensor) -> Standardizer:
        """Column means and (population) standard deviations of the training rows."""
        std = x_train.std(dim=0, correction=0)
        if (std == 0).any():
            column = int((std == 0).nonzero()[0, 0])
            raise ValueError(text("error.realdata.constant_feature", column=column))
        return cls(x_train.mean(dim=0), std)

    def transform(self, x: torch.Tensor) -> torch.Tensor:
        """Standardise any rows (training, validation, new ones) with the training statistics."""
        return (x - self.mean.to(x.device)) / self.std.to(x.device)

    def to_original(self, weight: torch.Tensor, bias: float) -> tuple[torch.Tensor, float]:
        """Coefficients and intercept of the same model in the original units of x.

        ŷ = z·w + b with z = (x − μ)/σ is ŷ = x·(w/σ) + (b − Σ w·μ/σ).
        """
        weight = weight.detach().reshape(-1).cpu().double()
        coef = weight / self.std.double()
        return coef, float(bias) - float((coef * self.mean.double()).sum())


def lstsq(x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, float]:
    """The least-squares coefficients (D,) and intercept, in float64, by ``torch.linalg.lstsq``."""
    design = torch.cat([x.double(), torch.ones(x.shape[0], 1, dtype=torch.float64)], dim=1)
    solution = torch.linalg.lstsq(design, y.double().reshape(-1, 1)).solution[:, 0]
    return solution[:-1], float(solution[-1])


def r2_score(y_true: torch.Tensor, y_pred: torch.Tensor) -> float:
    """R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)²: 1 is perfect, 0 is no better than predicting the mean."""
    y_true, y_pred = y_true.detach().double().reshape(-1), y_pred.detach().double().reshape(-1)
    if y_true.shape != y_pred.shape:
        raise ValueError(text("error.realdata.r2_lengths", true=y_true.numel(),
                              pred=y_pred.numel()))
    residual = ((y_true - y_pred) ** 2).sum()
    total = ((y_true - y_true.mean()) ** 2).sum()
    return float(1.0 - residual / total)

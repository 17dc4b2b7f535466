"""The one divergence rule of the series, used by ``train``, ``lr_sweep``, the race and the widgets.

Two ways a run diverges:

* it **explodes**: a recorded loss is non-finite, or over ``EXPLOSION_FACTOR`` × max(first loss,
  1). Training stops at that epoch (no step is taken for it).
* it **keeps growing**: it never exploded, but its last loss is above its first and above the
  one before. Just above the stable learning rate the loss grows slowly and need not explode
  within the epochs run; it is still diverging. The onset is the epoch from which the loss
  stayed above its first value.

The functions work on NumPy arrays, so one learning rate (``train``) and many at once
(``lr_sweep``) go through the same lines.
"""

from __future__ import annotations

import math

import numpy as np

#: A run explodes when its loss exceeds this multiple of max(first loss, 1).
EXPLOSION_FACTOR = 1e6


def explosion_limit(first_loss: float | np.ndarray) -> float | np.ndarray:
    """The loss above which a run counts as exploded, given its first recorded loss.

    A non-finite first loss gives a limit of 0, so the run explodes at once.
    """
    if isinstance(first_loss, float):  # one run, once per epoch: spare it NumPy's overhead
        return EXPLOSION_FACTOR * max(first_loss, 1.0) if math.isfinite(first_loss) else 0.0
    first = np.asarray(first_loss, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(first), EXPLOSION_FACTOR * np.maximum(first, 1.0), 0.0)


def is_exploded(loss: float | np.ndarray, limit: float | np.ndarray) -> bool | np.ndarray:
    """True where ``loss`` is non-finite or above ``limit`` (elementwise)."""
    if isinstance(loss, float):
        return not math.isfinite(loss) or loss > limit
    loss = np.asarray(loss, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return ~np.isfinite(loss) | (loss > limit)


def growth_onset(losses: np.ndarray) -> np.ndarray:
    """For each row of finite losses (K, E): the onset of steady growth, or -1 if none.

    A row is growing when E ≥ 2 and its last loss is above both its first and the one before;
    the onset is then one past the last epoch whose loss was not above the first.
    """
    losses = np.atleast_2d(np.asarray(losses, dtype=np.float64))
    k, epochs = losses.shape
    if epochs < 2:
        return np.full(k, -1)
    growing = (losses[:, -1] > losses[:, 0]) & (losses[:, -1] > losses[:, -2])
    last_not_above = np.where(losses <= losses[:, :1], np.arange(epochs), -1).max(axis=1)
    return np.where(growing, last_not_above + 1, -1)

"""linreg_helpers.divergence: the one rule, on single values and on batches of runs."""

import math

import numpy as np

from linreg_helpers.divergence import (
    EXPLOSION_FACTOR,
    explosion_limit,
    growth_onset,
    is_exploded,
)


def test_limit_scales_with_the_first_loss_but_not_below_one():
    assert explosion_limit(5.0) == 5.0 * EXPLOSION_FACTOR
    assert explosion_limit(0.001) == EXPLOSION_FACTOR
    assert explosion_limit(math.nan) == 0.0 and explosion_limit(math.inf) == 0.0
    np.testing.assert_array_equal(explosion_limit(np.array([[5.0], [0.001], [np.nan]])),
                                  [[5.0 * EXPLOSION_FACTOR], [EXPLOSION_FACTOR], [0.0]])


def test_exploded_means_non_finite_or_over_the_limit():
    limit = explosion_limit(2.0)
    assert not is_exploded(2.0 * EXPLOSION_FACTOR, limit)
    assert is_exploded(2.0 * EXPLOSION_FACTOR * 1.001, limit)
    assert is_exploded(math.nan, limit) and is_exploded(math.inf, limit)
    batch = is_exploded(np.array([1.0, 3e6, np.inf, np.nan]), limit)
    np.testing.assert_array_equal(batch, [False, True, True, True])


def test_growth_onset_scalar_and_batched_agree():
    rows = [
        [4.0, 3.0, 2.0, 1.0],  # converging
        [4.0, 5.0],  # two epochs, growing: onset 1
        [4.0, 3.0, 5.0, 6.0],  # dipped, then grew above the start at epoch 2
        [4.0, 5.0, 6.0, 5.5],  # above the start but shrinking at the end: not growing
        [4.0, 4.0, 4.0],  # flat
    ]
    expected = [-1, 1, 2, -1, -1]
    for row, onset in zip(rows, expected):
        assert growth_onset(np.array(row))[0] == onset
    padded = np.array([r + [r[-1]] * (4 - len(r)) for r in rows[:1] + rows[2:4]])
    np.testing.assert_array_equal(growth_onset(padded), [-1, 2, -1])
    assert (growth_onset(np.ones((3, 1))) == -1).all()  # one epoch says nothing yet

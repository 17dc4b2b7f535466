"""The checkers of notebooks 08 and 09 accept right answers, reject wrong ones, never raise."""

import numpy as np
import pytest
import torch
from torch.utils.data import DistributedSampler

from linreg_helpers.exercises.beyond import (
    check_ddp_sum_lr,
    check_r2,
    check_shard,
    check_standardized,
)
from linreg_helpers.realdata import Standardizer, r2_score

ODD = [..., None, 3, "text", [1, 2], lambda *args: 1 / 0]


def _r2(y, p):
    return 1 - ((y - p) ** 2).sum() / ((y - y.mean()) ** 2).sum()


def _first_answer_every_time():
    """A my_r2 that returns the right R² of the first call, whatever it is called with later."""
    first = []

    def my_r2(y, p):
        if not first:
            first.append(_r2(y, p))
        return first[0]
    return my_r2


def test_check_r2(capsys):
    assert check_r2(_r2)
    assert not check_r2(lambda y, p: ((y - p) ** 2).sum() / ((y - y.mean()) ** 2).sum())
    assert "unexplained" in capsys.readouterr().out
    assert not check_r2(lambda y, p: 1 - ((y - p) ** 2).sum() / ((y - p.mean()) ** 2).sum())
    assert not check_r2(lambda y, p: None)
    assert not check_r2(_first_answer_every_time())
    capsys.readouterr()
    assert not check_r2(r2_score)  # 08 imports it in its first cell: not an answer
    assert "the package's own r2_score" in capsys.readouterr().out
    for odd in ODD:
        assert not check_r2(odd)


def test_my_r2_that_calls_r2_score_is_refused(capsys):
    from linreg_helpers.realdata import r2_score
    assert not check_r2(lambda y, p: r2_score(y, p))
    assert "my_r2 calls r2_score" in capsys.readouterr().out


def test_check_standardized(capsys):
    for correction in (0, 1):
        right = lambda a, t, v, c=correction: (a - t.mean(0)) / t.std(0, correction=c)  # noqa: E731
        assert check_standardized(right)
        assert "training statistics" in capsys.readouterr().out
        own = lambda a, t, v, c=correction: (a - a.mean(0)) / a.std(0, correction=c)  # noqa: E731
        assert not check_standardized(own)
        assert "statistics of every row" in capsys.readouterr().out
    assert not check_standardized(lambda a, t, v: (a - v.mean(0)) / v.std(0))
    assert "validation rows' statistics" in capsys.readouterr().out
    assert not check_standardized(lambda a, t, v: (a - t.mean(1).mean()) / t.std())
    assert "each column needs its own mean" in capsys.readouterr().out
    assert not check_standardized(lambda a, t, v: (v - t.mean(0)) / t.std(0))  # not the table
    assert "like x_all" in capsys.readouterr().out
    assert check_standardized(lambda a, t, v: ((a - t.mean(0)) / t.std(0)).numpy())  # NumPy too
    capsys.readouterr()
    # one fixed tensor cannot pass: the check calls the function on tables of its own
    x_train, x_val = torch.randn(30, 4), torch.randn(10, 4)
    fixed = (torch.cat([x_train, x_val]) - x_train.mean(0)) / x_train.std(0)
    assert not check_standardized(lambda a, t, v: fixed)
    capsys.readouterr()
    # Standardizer is what the exercise asks to do without
    assert not check_standardized(lambda a, t, v: Standardizer.fit(t).transform(a))
    assert "my_standardize calls Standardizer.fit" in capsys.readouterr().out
    for odd in ODD:
        assert not check_standardized(odd)


def _shard(indices, rank, world_size):
    total = -(-len(indices) // world_size) * world_size
    padded = (indices * world_size)[:total]  # repeated from the start, more than once if need be
    return padded[rank::world_size]


def _shard_padding_once(indices, rank, world_size):  # wrong when the padding outgrows the list
    total = -(-len(indices) // world_size) * world_size
    return (indices + indices[: total - len(indices)])[rank::world_size]


def test_check_shard(capsys):
    assert check_shard(_shard)
    assert not check_shard(lambda idx, rank, ws: idx[rank::ws])  # no padding
    out = capsys.readouterr().out
    assert "pad first" in out
    # 8 over 2 passes; 10 over 4 fails first at rank 2, which DistributedSampler pads
    assert "gave [102, 106]," in out and "[102, 106, 100]" not in out  # no answer shown
    chunk = len  # contiguous chunks instead of dealing out
    assert not check_shard(lambda idx, r, ws: idx[r * chunk(idx) // ws:(r + 1) * chunk(idx) // ws])
    assert check_shard(lambda idx, r, ws: torch.tensor(_shard(idx, r, ws)))
    assert check_shard(lambda idx, r, ws: np.array(_shard(idx, r, ws)))  # NumPy, too
    sampler = lambda idx, r, ws: [idx[k] for k in DistributedSampler(  # noqa: E731
        idx, num_replicas=ws, rank=r, shuffle=False)]
    assert not check_shard(sampler)  # the answer it is compared with is no answer
    assert "my_shard calls DistributedSampler.__iter__" in capsys.readouterr().out
    capsys.readouterr()
    assert not check_shard(_shard_padding_once)  # 2 indices over 5 ranks: padded 3, not 2
    assert "my_shard(2 indices, rank=4, world_size=5) gave []" in capsys.readouterr().out
    for odd in ODD:
        assert not check_shard(odd)


@pytest.mark.parametrize("odd", ODD[:5])
def test_check_ddp_sum_lr(odd):
    assert check_ddp_sum_lr(0.04, lr=0.02, world_size=2)
    assert check_ddp_sum_lr(torch.tensor(0.08), lr=0.02, world_size=4)
    assert not check_ddp_sum_lr(0.01, lr=0.02, world_size=2)
    assert not check_ddp_sum_lr(0.02, lr=0.02, world_size=2)
    assert not check_ddp_sum_lr(odd, lr=0.02, world_size=2)

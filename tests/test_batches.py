"""Index-slice batching gives exactly the batches of a DataLoader with the same order."""

import pytest
import torch
from torch.utils.data import BatchSampler, DataLoader, TensorDataset

from linreg_helpers.batches import ShuffledBatches, index_batches


def _data(rows=103, features=3):
    gen = torch.Generator().manual_seed(0)
    return torch.randn(rows, features, generator=gen), torch.randn(rows, 1, generator=gen)


def _equal(a, b):
    a, b = list(a), list(b)
    return len(a) == len(b) and all(
        torch.equal(xa, xb) and torch.equal(ya, yb) for (xa, ya), (xb, yb) in zip(a, b))


@pytest.mark.parametrize("batch_size", [1, 10, 103, 200])
def test_index_batches_equal_a_dataloaders_batches(batch_size):
    x, y = _data()
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(5))
    dataset = TensorDataset(x, y)
    loader = DataLoader(dataset, batch_size=batch_size, sampler=order.tolist())
    assert _equal(index_batches(x, y, order, batch_size), loader)
    batch_sampler = DataLoader(dataset, sampler=BatchSampler(order.tolist(), batch_size, False),
                               batch_size=None)
    assert _equal(index_batches(x, y, order, batch_size), batch_sampler)


def test_index_batches_reproduce_a_seeded_shuffling_dataloader_given_its_order():
    x, y = _data()
    loader = DataLoader(TensorDataset(x, y), batch_size=16, shuffle=True,
                        generator=torch.Generator().manual_seed(0))
    first = list(loader)
    order = torch.cat([torch.nonzero((x == xb[i]).all(1))[0] for xb, _ in first
                       for i in range(len(xb))])
    assert _equal(index_batches(x, y, order, 16), first)
    # ... but a plain randperm from the same seed is another order: the loader draws a seed first
    plain = torch.randperm(len(x), generator=torch.Generator().manual_seed(0))
    assert not torch.equal(order, plain)


def test_shuffled_batches_draw_one_permutation_per_epoch():
    x, y = _data()
    batches = ShuffledBatches(x, y, 10, seed=7)
    assert len(batches) == 11
    gen = torch.Generator().manual_seed(7)
    for _ in range(3):
        expected = torch.randperm(len(x), generator=gen)
        epoch = list(batches)
        assert [len(bx) for bx, _ in epoch] == [10] * 10 + [3]
        assert _equal(epoch, index_batches(x, y, expected, 10))
    in_order = ShuffledBatches(x, y, 50, shuffle=False)
    assert _equal(in_order, index_batches(x, y, torch.arange(len(x)), 50))


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "32"])
def test_bad_batch_sizes_are_refused(bad):
    x, y = _data()
    with pytest.raises(ValueError, match="batch_size must be a positive whole number"):
        ShuffledBatches(x, y, bad)


def test_rows_must_match():
    x, y = _data()
    with pytest.raises(ValueError, match="same, non-zero number of rows"):
        ShuffledBatches(x, y[:5], 4)
    with pytest.raises(ValueError, match="2-D tensor"):
        ShuffledBatches(x[:, 0], y, 4)

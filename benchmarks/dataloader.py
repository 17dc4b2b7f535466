"""Feeding mini-batches from memory: DataLoader over a TensorDataset vs index slices.

1,000,000 rows × 10 float32 features, batches of 1024, one explicit permutation shared by every
way of batching (a seeded ``DataLoader(shuffle=True)`` draws its permutation differently):

- ``DataLoader``     — ``DataLoader(TensorDataset(x, y), 1024, sampler=order)``: one
  ``dataset[i]`` per row, then ``collate`` stacks the rows;
- ``BatchSampler``   — ``DataLoader(dataset, sampler=BatchSampler(order, 1024), batch_size=None)``:
  one ``dataset[list_of_rows]`` per batch;
- ``index slices``   — :func:`linreg_helpers.batches.index_batches`: ``x[idx], y[idx]``.

It checks that all three give the same batches and that one epoch of training on each gives
bit-for-bit the same weights, then prints the median time of the loader alone and of a whole
training epoch (``train_batches``), as ratios to the DataLoader measured in this run, and the
time of the closed-form answer (``torch.linalg.lstsq``, float64) on the same data.

Run from the repository root:  .venv/bin/python benchmarks/dataloader.py [--rows N] [--repeats R]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable

import torch
from lr_sweep import median_seconds  # benchmarks/ is on the path when run as a script
from torch.utils.data import BatchSampler, DataLoader, TensorDataset

from linreg_helpers.batches import index_batches
from linreg_helpers.realdata import Standardizer, lstsq, synthetic
from linreg_helpers.training import train_batches


def ways(x: torch.Tensor, y: torch.Tensor, order: torch.Tensor,
         batch_size: int) -> dict[str, Callable[[], Iterable]]:
    """Each way of batching, as a function returning one epoch's iterable of (x, y) batches."""
    dataset, rows = TensorDataset(x, y), order.tolist()
    return {
        "DataLoader": lambda: DataLoader(dataset, batch_size=batch_size, sampler=rows),
        "BatchSampler": lambda: DataLoader(
            dataset, sampler=BatchSampler(rows, batch_size, drop_last=False), batch_size=None),
        "index slices": lambda: index_batches(x, y, order, batch_size),
    }


def same_batches(a: Iterable, b: Iterable) -> bool:
    """True when both iterables yield equal (x, y) batches in the same order."""
    pairs = list(zip(a, b, strict=True))
    return all(torch.equal(xa, xb) and torch.equal(ya, yb) for (xa, ya), (xb, yb) in pairs)


def one_epoch(batches: Iterable, features: int) -> torch.Tensor:
    """Train a seeded nn.Linear for one epoch on ``batches``; return its weights and bias."""
    torch.manual_seed(0)
    model = torch.nn.Linear(features, 1)
    train_batches(model, batches, torch.optim.SGD(model.parameters(), lr=0.01), epochs=1)
    weights = torch.cat([model.weight.detach().reshape(-1), model.bias.detach()])
    assert torch.isfinite(weights).all(), "training diverged: the comparison would be void"
    return weights


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--features", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=1024)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(1)  # one core each way, so other load on the machine matters less
    x, y, _, _ = synthetic(args.rows, args.features, seed=0)
    x = Standardizer.fit(x).transform(x)  # standardised, so that lr 0.01 is stable
    order = torch.randperm(args.rows, generator=torch.Generator().manual_seed(1))
    candidates = ways(x, y, order, args.batch_size)
    base = "DataLoader"

    print(f"{args.rows:,} rows × {args.features} float32 features, batches of "
          f"{args.batch_size}, median of {args.repeats} runs after a warm-up, 1 thread")
    weights = {name: one_epoch(make(), args.features) for name, make in candidates.items()}
    for name, make in candidates.items():
        if name != base:
            print(f"  {name}: same batches as {base}: {same_batches(candidates[base](), make())}; "
                  f"same weights after one epoch: {torch.equal(weights[name], weights[base])}")

    print(f"  {'':14s} {'loader alone':>14s} {'ratio':>7s} {'training epoch':>16s} {'ratio':>7s}")
    times = {name: (median_seconds(lambda m=make: sum(1 for _ in m()), args.repeats),
                    median_seconds(lambda m=make: one_epoch(m(), args.features), args.repeats))
             for name, make in candidates.items()}
    for name, (load, epoch) in times.items():
        print(f"  {name:14s} {load:12.3f} s {times[base][0] / load:6.1f}× "
              f"{epoch:14.3f} s {times[base][1] / epoch:6.1f}×")
    solve = median_seconds(lambda: lstsq(x, y), args.repeats)
    print(f"  torch.linalg.lstsq (float64, the exact answer): {solve:.3f} s "
          f"({times[base][1] / solve:.0f}× faster than a DataLoader epoch, "
          f"{times['index slices'][1] / solve:.1f}× faster than an index-slice epoch)")


if __name__ == "__main__":
    main()

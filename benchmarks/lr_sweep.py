"""Benchmark: the batched lr_sweep against a loop over train(), 100 learning rates × 51 epochs.

Run from the repository root:  .venv/bin/python benchmarks/lr_sweep.py [--repeats-loop 3]
Prints the median time of each (several repeats), their ratio, and whether the targets hold:
lr_sweep ≤ 10 ms median and ≥ 50× faster than the loop. Both compute the same run, checked.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np

from linreg_helpers.analysis import max_stable_lr
from linreg_helpers.sweep import lr_sweep
from linreg_helpers.training import train

TARGET_MS, TARGET_RATIO = 10.0, 50.0


def median_seconds(fn: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``repeats`` calls, after one warm-up call."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lrs", type=int, default=100, help="number of learning rates")
    parser.add_argument("--epochs", type=int, default=51)
    parser.add_argument("--repeats-sweep", type=int, default=30)
    parser.add_argument("--repeats-loop", type=int, default=3)
    args = parser.parse_args()
    # from well inside the stable range to well past the bound: both kinds of run
    lrs = np.geomspace(1e-3, 3 * max_stable_lr(), args.lrs)

    def sweep():
        return lr_sweep(lrs, epochs=args.epochs)

    def loop():
        return [train(lr=float(lr), epochs=args.epochs) for lr in lrs]

    batched, single = sweep(), loop()
    agree = all(
        bool(batched.diverged[k]) == h.diverged
        and np.isclose(batched.final_loss[k], h.loss[-1], rtol=1e-4, atol=1e-6)
        for k, h in enumerate(single)
    )
    t_sweep = median_seconds(sweep, args.repeats_sweep)
    t_loop = median_seconds(loop, args.repeats_loop)
    ratio = t_loop / t_sweep
    print(f"{args.lrs} learning rates × {args.epochs} epochs "
          f"({int(batched.diverged.sum())} diverge); same results: {agree}")
    print(f"lr_sweep (batched):    median {1e3 * t_sweep:8.2f} ms  ({args.repeats_sweep} repeats)")
    print(f"loop over train():     median {1e3 * t_loop:8.2f} ms  ({args.repeats_loop} repeats)")
    print(f"speed-up: {ratio:.0f}×")
    print(f"targets: lr_sweep ≤ {TARGET_MS:g} ms: {1e3 * t_sweep <= TARGET_MS}; "
          f"≥ {TARGET_RATIO:g}× faster: {ratio >= TARGET_RATIO}")


if __name__ == "__main__":
    main()

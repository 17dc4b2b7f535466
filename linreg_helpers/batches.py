"""Mini-batches from tensors already in memory: index slices instead of a per-sample DataLoader.

A ``DataLoader`` over a ``TensorDataset`` fetches one row at a time (``dataset[i]``) and then
stacks the rows into a batch (its ``collate_fn``). When the whole data set is two tensors in
memory, one fancy-indexing operation per batch, ``x[idx]``, gives the same batch far faster.
:func:`index_batches` does that for one explicit order of the rows; :class:`ShuffledBatches`
draws a fresh order every epoch, like ``DataLoader(..., shuffle=True)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Optional

import torch

from linreg_helpers.i18n import text

Batch = tuple[torch.Tensor, torch.Tensor]


def validate_batch_size(batch_size: int) -> int:
    """``batch_size`` as a positive whole number, or ValueError saying what to give."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(text("error.batches.batch_size", batch_size=batch_size))
    return batch_size


def validate_rows(x: torch.Tensor, y: torch.Tensor) -> int:
    """The number of rows of x and y, or ValueError when they are not tensors of equal length."""
    for name, tensor in (("x", x), ("y", y)):
        if not isinstance(tensor, torch.Tensor) or tensor.ndim != 2:
            raise ValueError(text("error.batches.not_2d", name=name,
                                  got=getattr(tensor, "shape", type(tensor).__name__)))
    if x.shape[0] != y.shape[0] or x.shape[0] == 0:
        raise ValueError(text("error.batches.rows", x_rows=x.shape[0], y_rows=y.shape[0]))
    return x.shape[0]


def index_batches(
    x: torch.Tensor, y: torch.Tensor, order: torch.Tensor, batch_size: int
) -> Iterator[Batch]:
    """The batches ``(x[idx], y[idx])`` for consecutive chunks ``idx`` of ``order``.

    The same batches as ``DataLoader(TensorDataset(x, y), batch_size, sampler=order.tolist())``;
    the last batch is smaller when ``batch_size`` does not divide the number of rows.
    """
    validate_batch_size(batch_size)
    order = order.to(x.device)
    for idx in order.split(batch_size):
        yield x[idx], y[idx]


class ShuffledBatches:
    """Mini-batches of (x, y) in a new random order every epoch, by index slices.

    Iterate over it once per epoch. The order of epoch e is ``torch.randperm(N, generator=g)``,
    the e-th permutation drawn from ``torch.Generator().manual_seed(seed)`` — so a run is
    repeatable and leaves the global random state alone. (A seeded ``DataLoader`` draws its
    permutations differently; :func:`index_batches` reproduces a loader given its order.)
    """

    def __init__(self, x: torch.Tensor, y: torch.Tensor, batch_size: int, *,
                 seed: int = 0, shuffle: bool = True) -> None:
        self.rows = validate_rows(x, y)
        self.x, self.y = x, y
        self.batch_size = validate_batch_size(batch_size)
        self.shuffle = shuffle
        self.generator: Optional[torch.Generator] = (
            torch.Generator().manual_seed(seed) if shuffle else None)

    def __len__(self) -> int:
        """Batches per epoch (iterations per epoch)."""
        return -(-self.rows // self.batch_size)

    def __iter__(self) -> Iterator[Batch]:
        order = (torch.randperm(self.rows, generator=self.generator) if self.shuffle
                 else torch.arange(self.rows))
        return index_batches(self.x, self.y, order, self.batch_size)

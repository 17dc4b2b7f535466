"""Which results the package's own helpers made, so that an exercise can tell a learner's own
computation from a call to the helper it asks them to do without (``train(...).loss`` for a
loop written by hand, ``Standardizer.transform`` for a standardisation done by hand)."""

from __future__ import annotations

from collections import deque
from typing import Any, Optional, TypeVar

#: How many results are remembered, the newest ones (a dashboard makes three per move).
REMEMBERED = 300

_made: deque[tuple[Any, str]] = deque(maxlen=REMEMBERED)

T = TypeVar("T")


def mark(value: T, maker: str) -> T:
    """Remember that ``maker`` (how a learner writes the call, e.g. ``train()``) made ``value``,
    the object itself (not an equal copy); return ``value``."""
    _made.append((value, maker))
    return value


def made_by(value: Any) -> Optional[str]:
    """The maker of ``value`` if it is one of the remembered results itself, else None. A
    learner's own list or tensor is never one of them, however equal it is."""
    return next((maker for made, maker in reversed(_made) if made is value), None)


__all__ = ["REMEMBERED", "made_by", "mark"]

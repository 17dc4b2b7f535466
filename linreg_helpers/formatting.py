"""How the series prints a loss so that only what is meaningful shows, and text tables.

float32 round-off differs between CPUs, so a loss at round-off level (below ``ROUND_OFF``) is
printed as such, and other losses with three significant digits — enough for the lesson's
point (converged, or exploded to ``8.28e+06``) and not the noise in a diverging run's 7th digit.
:func:`fit` pads a table cell by its width on screen, where a Chinese character takes two columns.
"""

from __future__ import annotations

import math
import unicodedata

#: Losses below this are float32 round-off on the series' data: printed as "< 1e-08".
ROUND_OFF = 1e-8


def loss_text(loss: float) -> str:
    """``loss`` as ``4.26e-04``, ``8.28e+06``, ``< 1e-08``, ``inf`` or ``nan``."""
    if not math.isfinite(loss):
        return str(loss)
    if abs(loss) < ROUND_OFF:
        return f"< {ROUND_OFF:.0e}"
    return f"{loss:.2e}"


def display_width(text: str) -> int:
    """How many columns ``text`` takes in a monospaced font (wide East Asian characters: 2)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad_to_width(text: str, width: int, align: str = "<") -> str:
    """``text`` padded with spaces to ``width`` columns, on the right ("<") or left (">")."""
    padding = " " * max(0, width - display_width(text))
    return text + padding if align == "<" else padding + text


def decimals(value: float, digits: int = 4, *, sign: bool = False) -> str:
    """``value`` with ``digits`` decimals, never ``-0.0000`` (a tiny negative prints as 0);
    ``sign=True``: always a sign, ``+0.0000`` for zero."""
    text = f"{value:.{digits}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return f"+{text}" if sign and not text.startswith("-") else text

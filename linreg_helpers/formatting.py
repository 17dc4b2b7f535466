"""How the series prints a loss so that only what is meaningful shows.

float32 round-off differs between CPUs, so a loss at round-off level (below ``ROUND_OFF``) is
printed as such, and other losses with three significant digits — enough for the lesson's
point (converged, or exploded to ``8.28e+06``) and not the noise in a diverging run's 7th digit.
"""

from __future__ import annotations

import math

#: Losses below this are float32 round-off on the series' data: printed as "< 1e-08".
ROUND_OFF = 1e-8


def loss_text(loss: float) -> str:
    """``loss`` as ``4.26e-04``, ``8.28e+06``, ``< 1e-08``, ``inf`` or ``nan``."""
    if not math.isfinite(loss):
        return str(loss)
    if abs(loss) < ROUND_OFF:
        return f"< {ROUND_OFF:.0e}"
    return f"{loss:.2e}"

"""A pytest plugin that extends nbval: stored floats may differ from a fresh run by round-off.

float32 results legitimately differ in their last bits between CPUs (the order of a
vectorised sum; ``ATEN_CPU_CAPABILITY=default`` shows it on one machine), and a value printed
with 4 decimals can sit on a rounding boundary (``1.1499`` vs ``1.1500``). So before nbval
compares a cell's outputs, :func:`reconcile` replaces each float of the fresh output with the
stored one when the two are close; nbval then compares as strictly as ever. Everything that
is not a float — words, integers, shapes such as ``(3, 1)``, ``True``/``False``, the number of
lines — must still match exactly, and a float that is not close is left as it was, so nbval's
own report shows the difference.

A float is a token ``[-+]?\\d+\\.\\d+([eE][-+]?\\d+)?``; two are close when
``|a - b| <= max(1e-3 * max(|a|, |b|), 2 units of the last printed digit, 1e-8)``
(so ``-0.0000`` equals ``0.0000``). Loaded by the repository's root ``conftest.py``, so every
notebook check — ``pytest notebooks --nbval``, ``make nbval``, ``make test`` — uses it.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from decimal import Decimal

FLOAT = re.compile(r"[-+]?\d+\.\d+(?:[eE][-+]?\d+)?")
RELATIVE, LAST_DIGITS, ABSOLUTE = 1e-3, 2, 1e-8


def last_digit_unit(token: str) -> float:
    """The value of one unit in the last printed digit: ``1.1499`` → 1e-4, ``4.62e-10`` → 1e-12."""
    return float(Decimal(1).scaleb(Decimal(token).as_tuple().exponent))


def floats_close(a: str, b: str) -> bool:
    """True when the printed floats ``a`` and ``b`` differ by no more than round-off."""
    x, y = float(a), float(b)
    unit = max(last_digit_unit(a), last_digit_unit(b))
    return abs(x - y) <= max(RELATIVE * max(abs(x), abs(y)), LAST_DIGITS * unit, ABSOLUTE)


def reconcile(stored: str, fresh: str) -> str:
    """``fresh`` with each float replaced by ``stored``'s where they are close.

    If the text between the floats differs (or their number), ``fresh`` is returned as it is.
    """
    stored_parts, fresh_parts = FLOAT.split(stored), FLOAT.split(fresh)
    if len(stored_parts) != len(fresh_parts) or stored_parts != fresh_parts:
        return fresh
    stored_floats, fresh_floats = FLOAT.findall(stored), FLOAT.findall(fresh)
    pieces = [fresh_parts[0]]
    for s, f, text in zip(stored_floats, fresh_floats, fresh_parts[1:]):
        pieces += [s if floats_close(s, f) else f, text]
    return "".join(pieces)


def _texts(outputs: list) -> dict[str, list[tuple[dict, str]]]:
    """Where each output's text lives, grouped the way nbval pairs them (by stream or MIME type)."""
    places: dict[str, list[tuple[dict, str]]] = {}
    for output in outputs:
        if output.get("output_type") == "stream":
            places.setdefault("stream:" + output["name"], []).append((output, "text"))
        for mime, value in output.get("data", {}).items():
            if isinstance(value, str):
                places.setdefault(mime, []).append((output["data"], mime))
    return places


def reconcile_outputs(fresh: list, stored: list) -> list:
    """A copy of a cell's ``fresh`` outputs with round-off differences to ``stored`` removed."""
    fresh = copy.deepcopy(fresh)
    stored_places = _texts(stored)
    for key, fresh_places in _texts(fresh).items():
        for (f_holder, f_key), (s_holder, s_key) in zip(fresh_places, stored_places.get(key, [])):
            f_holder[f_key] = reconcile(s_holder[s_key], f_holder[f_key])
    return fresh


def _tolerant(compare: Callable) -> Callable:
    def compare_outputs(self, test, ref, skip_compare=None):
        return compare(self, reconcile_outputs(test, ref), ref, skip_compare)

    compare_outputs.__doc__ = "nbval's comparison, after :func:`reconcile_outputs`."
    compare_outputs.tolerant = True
    return compare_outputs


def pytest_configure(config) -> None:
    """Wrap nbval's output comparison (once) when nbval is in use."""
    try:
        from nbval.plugin import IPyNbCell
    except ImportError:  # nbval not installed: nothing to extend
        return
    if not getattr(IPyNbCell.compare_outputs, "tolerant", False):
        IPyNbCell.compare_outputs = _tolerant(IPyNbCell.compare_outputs)

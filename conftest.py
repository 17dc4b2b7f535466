"""Root pytest configuration: loaded by every run from this folder (tests and notebooks).

It puts ``tools/`` on ``sys.path`` (tests import its modules plainly: ``import translations``)
and loads ``tools/nbval_floats.py``, the extension of nbval that lets stored floats differ
from a fresh run by round-off (float32 differs in its last bits between CPUs).

Every notebook check's cells are marked ``notebook``; a notebook that launches processes of
its own (torchrun, through ``linreg_helpers.ddp``) is marked ``serial`` too: ``make test``
runs those tests after the browser tests, never beside them. On several
cores (pytest-xdist, as ``make test`` runs with ``--dist loadfile --no-loadscope-reorder``)
the files with long tests (browser, network, slow) come first, so that no long test starts
last while the other core has nothing left to do.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "tools"))

pytest_plugins = ["nbval_floats"]

#: Code in a notebook that launches processes of its own.
LAUNCHES = ("from linreg_helpers.ddp import", "torch.distributed.run")


@functools.cache
def launches_processes(notebook: Path) -> bool:
    """Whether a code cell of ``notebook`` launches processes (torchrun) of its own."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return any(cell["cell_type"] == "code" and any(code in "".join(cell["source"])
                                                    for code in LAUNCHES)
               for cell in cells)


#: The order of files on several cores: those with any test so marked first (the stress test
#: before all: it alone takes about as long as half of the rest; then notebook 09, which
#: `make check` runs beside the unit tests).
LONG_FIRST = (("stress",), ("serial",), ("browser", "network"), ("slow",))


def file_rank(items: list[pytest.Item]) -> dict[Path, int]:
    """Each file's place in LONG_FIRST (0 first; after them, len(LONG_FIRST))."""
    rank: dict[Path, int] = {}
    for item in items:
        marks = {mark.name for mark in item.iter_markers()}
        place = next((i for i, names in enumerate(LONG_FIRST) if marks & set(names)),
                     len(LONG_FIRST))
        rank[item.path] = min(place, rank.get(item.path, place))
    return rank


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.notebook)
            if launches_processes(item.path):
                item.add_marker(pytest.mark.serial)
    if hasattr(config, "workerinput"):  # a pytest-xdist worker: every worker sorts alike
        rank = file_rank(items)
        items.sort(key=lambda item: rank[item.path])  # stable: a file's order is kept

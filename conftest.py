"""Root pytest configuration: loaded by every run from this folder (tests and notebooks).

It puts ``tools/`` on ``sys.path`` (tests import its modules plainly: ``import translations``)
and loads ``tools/nbval_floats.py``, the extension of nbval that lets stored floats differ
from a fresh run by round-off (float32 differs in its last bits between CPUs).

A notebook that launches processes of its own (torchrun, through ``linreg_helpers.ddp``)
is marked ``serial``: ``make test`` runs those tests alone, not beside others.
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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.suffix == ".ipynb" and launches_processes(item.path):
            item.add_marker(pytest.mark.serial)

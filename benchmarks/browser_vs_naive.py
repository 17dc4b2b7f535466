"""Keypress -> redrawn in a real JupyterLab and Chromium: the dashboard against a naive
``interact()`` notebook (a new figure per change, inline backend), presses interleaved.

Prints the medians (ms) and their ratio, measured in the same run. It is the browser test
marked ``benchmark`` in tests/test_browser.py (the fixtures that start JupyterLab and
Chromium live there), so ``make test`` leaves it out: a timing is no verdict.
Run: ``.venv/bin/python benchmarks/browser_vs_naive.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST = "tests/test_browser.py::test_dashboard_redraws_faster_than_a_naive_interact"


def main() -> int:
    """Run the benchmark-marked browser test, its printed figures shown; its exit status."""
    env = {**os.environ, "MPLBACKEND": "Agg",
           "MPLCONFIGDIR": str(ROOT / ".venv" / "mplconfig")}
    command = [sys.executable, "-m", "pytest", TEST, "-q", "-s", "-p", "no:randomly"]
    return subprocess.run(command, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main())

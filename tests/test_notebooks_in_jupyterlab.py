"""The notebooks with figures but no widgets run clean in JupyterLab in a real Chromium.

For each (browser_support.FIGURE_NOTEBOOKS) a fresh page opens it, runs all cells and checks
that the kernel finishes, no cell raised and every figure is drawn. The notebooks with
widgets, both editions, are run once by test_layout.py, which checks the same and their
layout; FIGURE_NOTEBOOKS says why the others are not run in the browser. This file is apart
from the others so that pytest-xdist (--dist loadfile) can run them beside each other.
"""

from __future__ import annotations

import pytest
from browser_support import (
    FIGURE_NOTEBOOKS,
    check_all_ran_clean,
    check_figures_drawn,
    open_notebook,
    run_all,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]


@pytest.mark.parametrize("name", FIGURE_NOTEBOOKS)
def test_notebook_runs_clean_in_jupyterlab(name, lab, page):
    """Run All: every cell runs, none raises, every figure is drawn."""
    open_notebook(page, lab, name)
    run_all(page)
    check_all_ran_clean(page, name)
    check_figures_drawn(page, name)

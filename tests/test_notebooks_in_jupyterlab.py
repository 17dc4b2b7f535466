"""Every notebook, the Chinese edition's too, runs clean in JupyterLab in a real Chromium.

For each notebook a fresh page (browser_support.py's fixtures) opens it, runs all cells and
checks that the kernel finishes, no cell raised, every widget rendered and every figure is
drawn. 04_training's Run All is test_browser.py's dashboard page (one run serves both); this
file is apart from test_browser.py so that pytest-xdist (--dist loadfile) can run the two
beside each other.
"""

from __future__ import annotations

import pytest
from browser_support import (
    DASHBOARD_NOTEBOOK,
    NOTEBOOKS,
    check_all_ran_clean,
    check_figures_drawn,
    open_notebook,
    run_all,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]


@pytest.mark.parametrize("name", [n for n in NOTEBOOKS if n != DASHBOARD_NOTEBOOK])
def test_notebook_runs_clean_in_jupyterlab(name, lab, page):
    """Run All: every cell runs, none raises, every widget renders, every figure is drawn."""
    open_notebook(page, lab, name)
    run_all(page)
    check_all_ran_clean(page, name)
    check_figures_drawn(page, name)

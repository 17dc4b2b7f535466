"""The blank-figure stress test (issue 15): fresh kernel + Run All of 04 and 06 again and again
with one core busy (LINREG_STRESS_RUNS times per notebook, 25 by default); every figure must be
drawn within 5 s of the kernel going idle and within 3 s of being scrolled into view.

It is the longest test (about 10 minutes on 2 cores), so on several cores it starts first
(marker ``stress``, ranked first by the root conftest.py) and runs beside the other tests. The
busy core is a spinner at the lowest priority: it takes only the CPU time the tests beside it
leave, so this test always has one core's worth of other work beside it, and the tests beside
it lose nothing to the spinner. (It used to run alone beside a spinner at normal priority: the
same load, doing nothing useful.)
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from browser_support import (
    DASHBOARD_NOTEBOOK,
    DRAWN_AFTER_IDLE_S,
    EXPLORER_NOTEBOOK,
    FIGURES,
    JS_FIGURE_STATS,
    JS_SCROLL_TO,
    open_notebook,
    own_copy,
    restart_and_run_all,
    run_all,
    seconds_until_drawn,
)

pytestmark = pytest.mark.browser

STRESS_NOTEBOOKS = (DASHBOARD_NOTEBOOK, EXPLORER_NOTEBOOK)
# Fresh kernel + Run All per notebook: LINREG_STRESS_RUNS, 25 by default (the least the issue
# asks for; more for a longer hunt, e.g. LINREG_STRESS_RUNS=100).
STRESS_RUNS = int(os.environ.get("LINREG_STRESS_RUNS", "25"))
DRAWN_AFTER_SCROLL_S = 3.0

JS_SCROLL_TOP = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    panel.node.querySelector('.jp-WindowedPanel-outer').scrollTop = 0;
}"""

# The n-th figure is inside the notebook's visible area.
JS_FIGURE_IN_VIEW = """(n) => {
    const figure = document.querySelectorAll('""" + FIGURES + """')[n];
    const scroller = figure && figure.closest('.jp-WindowedPanel-outer');
    if (!figure || !scroller) return false;
    const box = figure.getBoundingClientRect(), view = scroller.getBoundingClientRect();
    return box.height > 0 && box.top >= view.top - 1 && box.top < view.bottom;
}"""


@pytest.fixture
def busy_core():
    """One CPU core kept busy for the test's duration (stopped by its PID), at the lowest
    priority: beside other tests (pytest-xdist) it takes only the CPU time they leave, so
    this test always has one core's worth of other work beside it and starves nobody."""
    spinner = subprocess.Popen([sys.executable, "-c",
                                "import os\nos.nice(19)\nwhile True: pass"])
    try:
        yield spinner.pid
    finally:
        spinner.kill()
        spinner.wait(timeout=10)


@pytest.mark.slow
@pytest.mark.stress
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("name", STRESS_NOTEBOOKS)
def test_run_all_again_and_again_draws_every_figure(name, lab, page, busy_core, capsys):
    """Fresh kernel + Run All, STRESS_RUNS times with one core busy: every figure is drawn
    within 5 s of the kernel going idle and within 3 s of being scrolled into view."""
    name = own_copy(lab, name, "stress")
    open_notebook(page, lab, name)
    blank, slow_scroll, after_idle, after_scroll = [], [], [], []
    started = time.monotonic()
    for run in range(STRESS_RUNS):
        # As a learner runs it: from the top of the notebook (the figures out of view).
        page.evaluate(JS_SCROLL_TOP)
        restart_and_run_all(page) if run else run_all(page)
        seconds = seconds_until_drawn(page, DRAWN_AFTER_IDLE_S)
        if seconds is None:
            blank.append((run, [(i, s["kind"], s["loaded"], round(s["opaque"], 3),
                                 round(s["ink"], 3))
                                for i, s in enumerate(page.evaluate(JS_FIGURE_STATS))]))
            continue
        after_idle.append(seconds)
        figures = len(page.evaluate(JS_FIGURE_STATS))
        for index in range(figures):
            page.evaluate(JS_SCROLL_TO, [FIGURES, index])
            start = time.monotonic()
            try:
                page.wait_for_function(JS_FIGURE_IN_VIEW, arg=index, timeout=5000, polling=50)
                seconds = seconds_until_drawn(page, DRAWN_AFTER_SCROLL_S, which=index)
            except Exception:
                seconds = None
            if seconds is None:
                slow_scroll.append((run, index))
            else:
                after_scroll.append(time.monotonic() - start)
    with capsys.disabled():
        print(f"\n[stress] {name}: {STRESS_RUNS} x (fresh kernel + Run All), one core busy, "
              f"{time.monotonic() - started:.0f} s: {len(blank)} runs with a figure not drawn "
              f"within {DRAWN_AFTER_IDLE_S:.0f} s of idle, {len(slow_scroll)} figures not drawn "
              f"within {DRAWN_AFTER_SCROLL_S:.0f} s of scrolling into view; slowest: "
              f"{max(after_idle, default=0):.2f} s after idle, "
              f"{max(after_scroll, default=0):.2f} s after scrolling")
    assert not blank, (f"{name}: figures not drawn (run, [(figure, element, loaded, opaque, "
                       f"inked)]): {blank}")
    assert not slow_scroll, f"{name}: figures slow after scrolling (run, figure): {slow_scroll}"

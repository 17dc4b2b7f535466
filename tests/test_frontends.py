"""The live widgets (04's dashboard, 06's explorer) in every front end that can be tested here.

Each in a real Chromium (browser_support.py's fixtures; one Jupyter server per session):

- JupyterLab with its ``commsOverSubshells`` setting "disabled" (test_browser.py drives the
  default, "perCommTarget"): Run All, a slider moved, the picture redrawn; then Play advances
  the epoch and the picture, Pause holds both, Step trains one epoch more;
- Notebook 7 (served by the same server, /notebooks/...): the same;
- Voilà (``voila notebooks/04_training.ipynb``, as ``make voila`` runs it): the dashboard as an
  app, its lr slider redraws the picture, and it plays, pauses and steps;
- a saved page (tools/saved_page.py, as ``make page`` writes it: nbconvert's HTML with the
  widget state, the widget renderer vendored from npm): the dashboard's last picture with no
  kernel, every request to the network refused;
- a front end that shows no widgets shows the stored image/png beside each live widget's view.

VS Code and hosted notebooks (Colab and the like) cannot be tested here.
"""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import socket
import subprocess
import sys

import pytest
from browser_support import (
    DASHBOARD_NOTEBOOK,
    EXPLORER_NOTEBOOK,
    JS_COMMS_OVER_SUBSHELLS,
    JS_WATCH_FIGURE,
    PAGE_READY_MS,
    REDRAW_MS,
    ROOT,
    SUBSHELLS_PLUGIN,
    VIEWPORT,
    check_all_ran_clean,
    check_figures_drawn,
    figure_stats,
    free_port,
    is_drawn,
    jupyter_env,
    lab_setting,
    open_notebook,
    own_copy,
    run_all,
    screenshot_on_failure,
    settled_box,
    stop_process,
    unavailable,
    wait_until_up,
)

from linreg_helpers.widgets.player import READOUT_CLASS

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

LIVE_NOTEBOOKS = (DASHBOARD_NOTEBOOK, EXPLORER_NOTEBOOK)
#: The root box of each live widget (linreg_helpers.widgets: the dashboard's and explorer's).
LIVE_ROOT = ".linreg-dashboard, .linreg-explorer"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def _move_a_slider(page, name: str) -> None:
    """The first slider of the notebook's live widget, clicked at three quarters of its
    track (as a learner moves it with the mouse): the figure loads a new, drawn picture."""
    root = page.locator(LIVE_ROOT).first
    root.scroll_into_view_if_needed()
    page.evaluate(JS_WATCH_FIGURE, root.element_handle())
    track = root.locator(".widget-slider .noUi-target").first
    readout = root.locator(".widget-slider .widget-readout").first
    box = settled_box(page, track)
    before, value = page.evaluate("() => window.__linreg.version"), readout.inner_text()
    page.mouse.click(box["x"] + 0.75 * box["width"], box["y"] + box["height"] / 2)
    try:
        page.wait_for_function("(v) => window.__linreg.version > v", arg=before,
                               timeout=REDRAW_MS, polling=20)
    except Exception as exc:
        raise AssertionError(f"{name}: the slider went from {value} to "
                             f"{readout.inner_text()}, and no new picture loaded") from exc
    assert readout.inner_text() != value, f"{name}: the click did not move the slider"
    page.wait_for_timeout(300)
    stats = figure_stats(page, LIVE_ROOT)
    assert stats and all(is_drawn(s) for s in stats), f"{name}: after the move: {stats}"


#: True once the live widget's epoch readout says at least ``arg[1]``.
JS_EPOCH_AT_LEAST = """([readout, least]) => {
    const found = /epoch (\\d+)/.exec(readout.innerText);
    return found !== null && Number(found[1]) >= least;
}"""
#: True once neither the picture nor the epoch readout has changed for ``arg[1]`` ms (works in
#: every front end: JupyterLab's kernel status is not there in Voilà).
JS_QUIET = """([readout, quiet]) => {
    const w = window.__linreg, now = performance.now();
    if (w.readoutText !== readout.innerText) {
        w.readoutText = readout.innerText; w.readoutAt = now;
    }
    return now - Math.max(w.changedAt, w.readoutAt) > quiet;
}"""


def _play_pause_step(page, name: str) -> None:
    """Play: the epoch readout and the picture advance (the ticks come from the browser's
    ``Play`` widget); Pause: nothing changes for a second; Step: exactly one epoch more."""
    root = page.locator(LIVE_ROOT).first
    readout = root.locator(f".{READOUT_CLASS}").first
    handle = readout.element_handle()

    def epoch() -> int:
        found = re.search(r"epoch (\d+)", readout.inner_text())
        assert found, f"{name}: the play readout reads {readout.inner_text()!r}"
        return int(found.group(1))

    def wait_for_epoch(least: int, what: str) -> int:
        try:
            page.wait_for_function(JS_EPOCH_AT_LEAST, arg=[handle, least], timeout=REDRAW_MS,
                                   polling=50)
        except Exception as exc:
            raise AssertionError(f"{name}: after {what} the readout stays at "
                                 f"{readout.inner_text()!r}") from exc
        return epoch()

    def quiet() -> None:
        page.wait_for_function(JS_QUIET, arg=[handle, 500], timeout=REDRAW_MS, polling=50)

    def button(label: str):  # by its tooltip: a narrow widget shows some buttons as icons only
        return root.locator(f"button[title='{label}']").first

    # The slider moved above (lr, in both widgets) may make the run explode: Home sets it to
    # its lowest value, where a run plays on.
    version = page.evaluate("() => window.__linreg.version")
    root.locator(".widget-slider .noUi-handle").first.focus()
    page.keyboard.press("Home")
    page.wait_for_function("(v) => window.__linreg.version > v", arg=version,
                           timeout=REDRAW_MS, polling=20)
    quiet()
    version = page.evaluate("() => window.__linreg.version")
    button("Play").click()
    wait_for_epoch(epoch() + 3, "Play")
    assert page.evaluate("() => window.__linreg.version") > version, (
        f"{name}: the picture did not change while playing")
    button("Pause").click()
    quiet()
    held, version = epoch(), page.evaluate("() => window.__linreg.version")
    page.wait_for_timeout(1000)
    assert (epoch(), page.evaluate("() => window.__linreg.version")) == (held, version), (
        f"{name}: something changed after Pause")
    button("Step").click()
    assert wait_for_epoch(held + 1, "Step") == held + 1
    quiet()
    assert epoch() == held + 1, f"{name}: Step trained more than one epoch"
    assert page.evaluate("() => window.__linreg.version") > version, (
        f"{name}: Step did not redraw the picture")


def _run_and_move(page, name: str) -> None:
    run_all(page)
    check_all_ran_clean(page, name)
    check_figures_drawn(page, name)
    _move_a_slider(page, name)
    _play_pause_step(page, name)


@pytest.mark.parametrize("name", LIVE_NOTEBOOKS)
def test_jupyterlab_without_comms_over_subshells(name, lab, page):
    """commsOverSubshells "disabled": every widget message goes to the main shell."""
    copy = own_copy(lab, name, "nosubshells")
    with lab_setting(lab, SUBSHELLS_PLUGIN, {"commsOverSubshells": "disabled"}):
        open_notebook(page, lab, copy)
    assert page.evaluate(JS_COMMS_OVER_SUBSHELLS) == "disabled"
    _run_and_move(page, copy)


@pytest.mark.parametrize("name", LIVE_NOTEBOOKS)
def test_notebook7_runs_all_and_redraws(name, lab, page):
    copy = own_copy(lab, name, "nb7")
    open_notebook(page, lab, copy, url=lab.notebook7_url(copy))
    assert "/notebooks/" in page.url, f"not Notebook 7's page: {page.url}"
    _run_and_move(page, copy)


# --------------------------------------------------------------------------------------------
# Voilà
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def voila(chromium, tmp_path_factory):
    """``voila <a copy of 04>`` on 127.0.0.1 and a free port (as ``make voila`` runs it)."""
    base = tmp_path_factory.mktemp("voila")
    notebook = base / DASHBOARD_NOTEBOOK
    shutil.copyfile(ROOT / "notebooks" / DASHBOARD_NOTEBOOK, notebook)
    port = free_port()
    voila = shutil.which("voila", path=str(sys.prefix + "/bin")) or "voila"
    log = base / "voila.log"
    with open(log, "wb") as log_file:
        process = subprocess.Popen(
            [voila, str(notebook), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1"],
            cwd=base, env=jupyter_env(base), stdout=log_file, stderr=subprocess.STDOUT,
            start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:  # a TCP connection, not a page: each page view starts a kernel
        wait_until_up(process, lambda: socket.create_connection(("127.0.0.1", port), 2).close(),
                      log, "Voilà")
        yield url
    finally:
        stop_process(process)


def test_voila_shows_the_dashboard_as_an_app(voila, browser, request):
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        with screenshot_on_failure(page, request):
            page.goto(voila, timeout=PAGE_READY_MS)
            root = page.locator(".linreg-dashboard").first
            root.wait_for(timeout=PAGE_READY_MS)
            page.locator(".linreg-status").first.wait_for(timeout=REDRAW_MS)
            check_figures_drawn(page, "Voilà: 04", scope=".linreg-dashboard")
            assert page.locator(".jp-InputArea-editor").count() == 0, "Voilà shows code"
            _move_a_slider(page, "Voilà: 04")
            _play_pause_step(page, "Voilà: 04")
    finally:
        context.close()


# --------------------------------------------------------------------------------------------
# A saved page, no kernel, no network
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def saved_page(tmp_path_factory):
    """04 (as stored: executed, with its widget state) written by tools/saved_page.py."""
    import saved_page

    if not (saved_page.HTML_MANAGER / "embed-amd.js").is_file():
        npm = shutil.which("npm")
        if npm is None:
            unavailable("npm is missing (apt-get install -y npm): it installs the saved "
                        "page's widget renderer in tools/page")
        subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
                       cwd=saved_page.NODE_MODULES.parent, check=True, timeout=600)
    folder = tmp_path_factory.mktemp("page")
    return saved_page.write_page(ROOT / "notebooks" / DASHBOARD_NOTEBOOK,
                                 folder / "04_training.html")


def test_saved_page_shows_the_last_picture_offline(saved_page, browser, request):
    context = browser.new_context(viewport=VIEWPORT)
    refused = []

    def only_files(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", only_files)
    try:
        page = context.new_page()
        with screenshot_on_failure(page, request):
            page.goto(saved_page.as_uri(), timeout=PAGE_READY_MS)
            page.locator(".linreg-dashboard img.linreg-figure").first.wait_for(
                timeout=PAGE_READY_MS)
            stats = check_figures_drawn(page, "the saved page", scope=".linreg-dashboard")
            assert len(stats) == 1, f"the saved dashboard shows {len(stats)} figures: {stats}"
            status = page.locator(".linreg-dashboard .linreg-status").first.inner_text()
            assert "lr = 0.05" in status, f"not the lesson run's status: {status!r}"
            assert page.locator(".linreg-dashboard .widget-slider").count() >= 3
    finally:
        context.close()
    print(f"\nrequests refused (network cut): {sorted(set(refused))}")


# --------------------------------------------------------------------------------------------
# A front end without widgets: the stored picture
# --------------------------------------------------------------------------------------------
def _live_views(notebook: dict) -> list[dict]:
    """The outputs of ``notebook`` whose widget view is a live widget's root box."""
    state = notebook["metadata"].get("widgets", {}).get(
        "application/vnd.jupyter.widget-state+json", {}).get("state", {})
    live = {model_id for model_id, model in state.items()
            if {"linreg-dashboard", "linreg-explorer"}
            & set(model.get("state", {}).get("_dom_classes", []))}
    return [output for cell in notebook["cells"] for output in cell.get("outputs", [])
            if output.get("data", {}).get(WIDGET_MIME, {}).get("model_id") in live]


@pytest.mark.parametrize("name", [*LIVE_NOTEBOOKS, *(f"zh/{n}" for n in LIVE_NOTEBOOKS)])
def test_stored_output_has_the_picture_beside_the_widget(name):
    """Where widgets do not show (GitHub, nbviewer, a plain viewer), the output's image/png
    (beside the widget view) shows the live widget's last picture, drawn."""
    from PIL import Image

    notebook = json.loads((ROOT / "notebooks" / name).read_text(encoding="utf-8"))
    views = _live_views(notebook)
    assert views, f"{name}: no stored output of a live widget (is its widget state saved?)"
    for output in views:
        assert "image/png" in output["data"], (
            f"{name}: a live widget's output has no image/png beside its view: "
            f"{sorted(output['data'])}")
        png = Image.open(io.BytesIO(base64.b64decode(output["data"]["image/png"])))
        colours = png.convert("RGB").getcolors(maxcolors=1 << 20)
        assert colours is None or len(colours) > 16, f"{name}: the stored picture is blank"


"""Real-browser tests: every notebook in JupyterLab, driven through Chromium by Playwright.

A real JupyterLab server (on 127.0.0.1, a free port, a random token) serves a temporary copy
of notebooks/ (so the stored notebooks are never saved over). For each notebook a fresh page
opens it, runs all cells and checks that the kernel finishes, no cell raised, every widget
rendered and every ipympl figure is drawn. On 04_training the live dashboard is then used the
way a learner uses it — keyboard and mouse on the lr slider, the epochs readout, the reduction
buttons, the optimizer menu, a divergent lr, the "lesson defaults" button — and each change
must redraw the figure and update the status line. The keypress→redraw latency and the time
from releasing a drag to the last redraw are measured and printed (benchmark figures, not
assertions; targets 80 ms and 150 ms).

Needs Chromium: Debian's /usr/bin/chromium (``apt-get install -y chromium``), or the path in
LINREG_CHROMIUM. Without it the tests skip — unless LINREG_REQUIRE_BROWSER=1 (set by
.ci/run), where they fail. Screenshots of failures go to tests/screenshots/ (git-ignored).
LINREG_DASHBOARD_PNG=docs/dashboard.png re-takes the README's picture of the dashboard.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Every notebook, the Chinese edition's too, as paths relative to notebooks/ ("zh/04_...").
NOTEBOOKS = sorted(str(path.relative_to(ROOT / "notebooks"))
                   for pattern in ("*.ipynb", "zh/*.ipynb")
                   for path in (ROOT / "notebooks").glob(pattern))
SCREENSHOTS = ROOT / "tests" / "screenshots"
DASHBOARD_NOTEBOOK = "04_training.ipynb"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 1000}
KEYPRESSES = 10  # latency sample size
TARGET_KEY_MS, TARGET_DRAG_MS = 80, 150

# Bounded waits (ms): generous for a loaded 2-core CI machine, but never endless.
SERVER_START_S = 90
PAGE_READY_MS = 90_000
RUN_ALL_MS = 300_000
REDRAW_MS = 20_000

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]


# --------------------------------------------------------------------------------------------
# Chromium, the server, the browser
# --------------------------------------------------------------------------------------------
def _unavailable(reason: str) -> None:
    """Skip — or fail where CI demands real browser tests (LINREG_REQUIRE_BROWSER=1)."""
    if os.environ.get("LINREG_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (LINREG_REQUIRE_BROWSER=1: browser tests must run)")
    pytest.skip(reason)


def _find_chromium() -> str | None:
    candidates = [os.environ.get("LINREG_CHROMIUM"), "/usr/bin/chromium",
                  shutil.which("chromium"), shutil.which("chromium-browser")]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


@pytest.fixture(scope="module")
def chromium() -> str:
    path = _find_chromium()
    if path is None:
        _unavailable("no Chromium found: install it with `sudo apt-get install -y chromium` "
                     "(Debian/Ubuntu), or set LINREG_CHROMIUM=/path/to/chromium")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("Playwright is missing: .venv/bin/pip install -r requirements-dev.txt")
    return path


def _free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Lab:
    url: str
    token: str
    root: Path
    log: Path

    def page_url(self, notebook: str) -> str:
        # ?reset: a clean workspace, so only this notebook opens (none restored from before).
        return f"{self.url}/lab/tree/{notebook}?reset&token={self.token}"

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(f"{self.url}/api/{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def _stop(process: subprocess.Popen) -> None:
    """Stop the server by its PID (its process group), then any kernel it left running."""
    import psutil

    try:
        children = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)  # the server shuts its kernels down
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    # Kernels run in sessions of their own: stop any that outlived the server, by PID.
    for child in children:
        try:
            child.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(children, timeout=5)
    for child in alive:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass


@pytest.fixture(scope="module")
def lab(chromium, tmp_path_factory):
    """A JupyterLab server on a temporary copy of notebooks/, stopped whatever happens."""
    base = tmp_path_factory.mktemp("lab")
    root = base / "notebooks"
    shutil.copytree(ROOT / "notebooks", root,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    settings = base / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    # No "get Jupyter news?" toast over the page, no update check over the network.
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    env = {key: value for key, value in os.environ.items()
           if key not in ("MPLBACKEND", "JUPYTER_PATH")}  # as a learner has it: no Agg
    env.update(
        JUPYTERLAB_SETTINGS_DIR=str(base / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(base / "workspaces"),
        JUPYTER_CONFIG_DIR=str(base / "config"),
        JUPYTER_DATA_DIR=str(base / "data"),
        JUPYTER_RUNTIME_DIR=str(base / "runtime"),
        IPYTHONDIR=str(base / "ipython"),
        PYTHONUNBUFFERED="1",
    )
    port, token = _free_port(), secrets.token_hex(16)
    jupyter = Path(sys.executable).with_name("jupyter")
    command = [str(jupyter), "lab"] if jupyter.exists() else [sys.executable, "-m", "jupyterlab"]
    command += [
        "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}", "--ServerApp.allow_root=True",
        "--ServerApp.terminals_enabled=False", "--LabApp.expose_app_in_browser=True",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    log = base / "server.log"
    with open(log, "wb") as log_file:
        process = subprocess.Popen(command, cwd=root, env=env, stdout=log_file,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    server = Lab(f"http://127.0.0.1:{port}", token, root, log)
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if process.poll() is not None:
                pytest.fail(f"JupyterLab exited with {process.returncode}:\n{server.log_tail()}")
            try:
                server.api("status")
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not answer in {SERVER_START_S} s:\n"
                                f"{server.log_tail()}")
                time.sleep(0.2)
        yield server
    finally:
        _stop(process)


@pytest.fixture(scope="module")
def browser(chromium):
    # Module scope on purpose: while Playwright's sync API is started it keeps its event loop
    # marked as running, which other test modules (asyncio code) must not see.
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS,
                                             timeout=60_000)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


def _save_screenshot(page, name: str) -> Path | None:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / (re.sub(r"[^\w.-]+", "_", name) + ".png")
    try:
        page.screenshot(path=str(path), full_page=False)
    except Exception as exc:  # a crashed page cannot be photographed; say so, go on
        print(f"screenshot {path} failed: {exc}", file=sys.stderr)
        return None
    return path


def _failed_since(request, failed_before: int) -> bool:
    # pytest counts a failed call phase before it tears the test's fixtures down.
    return request.session.testsfailed > failed_before


@pytest.fixture
def page(browser, request):
    """A fresh browser page; if the test fails it is saved to tests/screenshots/<test>.png."""
    context = browser.new_context(viewport=VIEWPORT)
    failed_before = request.session.testsfailed
    try:
        page = context.new_page()
        yield page
        if _failed_since(request, failed_before):
            path = _save_screenshot(page, request.node.name)
            if path:
                print(f"screenshot of the failure: {path}", file=sys.stderr)
        _shutdown_kernel(page)
    finally:
        context.close()


# --------------------------------------------------------------------------------------------
# Helpers that run in the page
# --------------------------------------------------------------------------------------------
# wait_for_function needs a synchronous predicate (a returned Promise would count as "true").
JS_NOTEBOOK_SHOWN = """(name) => {
    const app = window.jupyterapp;
    const panel = app && app.shell.currentWidget;
    return !!panel && !!panel.context && panel.context.path === name
        && !!panel.sessionContext && app.commands.hasCommand('notebook:run-all-cells');
}"""

JS_NOTEBOOK_LOADED = """async () => {
    const app = window.jupyterapp, panel = app.shell.currentWidget;
    await app.restored;
    await panel.context.ready;
    await panel.sessionContext.ready;
}"""

JS_RUN_ALL = """async (timeoutMs) => {
    const app = window.jupyterapp;
    const run = app.commands.execute('notebook:run-all-cells');
    const timeout = new Promise(resolve => setTimeout(() => resolve('timeout'), timeoutMs));
    return await Promise.race([run, timeout]);
}"""

JS_KERNEL_IDLE = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
    return !!kernel && kernel.status === 'idle'
        && !document.body.innerText.includes('Loading widget');
}"""

# Per code cell: execution count, outputs (model), and the rendered widget outputs (DOM).
JS_REPORT = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const WIDGET = 'application/vnd.jupyter.widget-view+json';
    return panel.content.widgets.map((cell, index) => {
        if (cell.model.type !== 'code') return null;
        const outputs = cell.model.outputs.toJSON();
        const children = Array.from(cell.outputArea.node.children);
        const widgets = [];
        outputs.forEach((output, i) => {
            if (!(output.data && output.data[WIDGET])) return;
            const node = children[i] && children[i].querySelector('.jp-OutputArea-output');
            widgets.push({
                rendered: !!node && !!node.querySelector(':scope > .jupyter-widgets, '
                                                         + ':scope > .jupyter-matplotlib'),
                text: node ? node.innerText.slice(0, 200) : '(no output node)',
            });
        });
        return {
            index, source: cell.model.sharedModel.getSource().slice(0, 80),
            empty: cell.model.sharedModel.getSource().trim() === '',
            count: cell.model.executionCount,
            errors: outputs.filter(o => o.output_type === 'error')
                           .map(o => o.ename + ': ' + o.evalue),
            tracebacks: outputs.filter(o => o.output_type === 'stream' && o.name === 'stderr'
                                            && o.text.includes('Traceback'))
                               .map(o => o.text.slice(-300)),
            widgets,
        };
    }).filter(cell => cell !== null);
}"""

# Pixel statistics of every ipympl figure (its bottom canvas; the top one is for rubber bands).
JS_CANVAS_STATS = """() => Array.from(document.querySelectorAll('.jupyter-matplotlib-canvas-div'))
    .map(div => {
        const canvas = div.querySelector('canvas');
        if (!canvas || !canvas.width || !canvas.height) return {width: 0, opaque: 0, ink: 0};
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let opaque = 0, ink = 0;
        for (let i = 0; i < data.length; i += 4) {
            if (data[i + 3] === 255) opaque++;
            if (data[i + 3] > 0 && (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200)) ink++;
        }
        const n = data.length / 4;
        return {width: canvas.width, height: canvas.height, opaque: opaque / n, ink: ink / n};
    })"""

# A drawn figure: an opaque (white) background with some ink on it — not a blank or
# transparent canvas, and not curves alone without their axes, ticks and labels.
CANVAS_DRAWN = "s => s.width > 0 && s.opaque > 0.9 && s.ink > 0.01"

# Installed once on the dashboard page: notes when the figure's pixels change (checked each
# time ipympl draws into the visible canvas, plus a slow poll as a safety net), and the times
# of key presses, pointer releases, kernel status changes and status-line changes — all on
# the page's clock, so that the latencies include no Python <-> browser round trip.
JS_WATCH = """(dashboard) => {
    if (window.__linreg) return;
    const canvas = dashboard.querySelector('.jupyter-matplotlib-canvas-div canvas');
    const status = dashboard.querySelector('.linreg-status');
    const ctx = canvas.getContext('2d');
    const fingerprint = () => {
        const words = new Uint32Array(ctx.getImageData(0, 0, canvas.width, canvas.height)
                                         .data.buffer);
        let h = 2166136261;
        for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 16777619);
        return h >>> 0;
    };
    const w = window.__linreg = {
        fp: fingerprint(), version: 0, changedAt: performance.now(), keydowns: [],
        pointerups: [], kernel: [], statusAt: performance.now(),
    };
    const check = () => {
        const fp = fingerprint();
        if (fp !== w.fp) { w.fp = fp; w.version++; w.changedAt = performance.now(); }
    };
    const drawImage = ctx.drawImage;
    ctx.drawImage = function (...args) { drawImage.apply(this, args); check(); };
    setInterval(check, 250);
    document.addEventListener('keydown', () => w.keydowns.push(performance.now()), true);
    document.addEventListener('pointerup', () => w.pointerups.push(performance.now()), true);
    const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
    kernel.statusChanged.connect((_, s) => w.kernel.push([performance.now(), s]));
    new MutationObserver(() => { w.statusAt = performance.now(); })
        .observe(status, {subtree: true, childList: true, characterData: true});
}"""

# Settled: kernel idle, and neither the figure nor the status changed for `quiet` ms.
JS_SETTLED = """(quiet) => {
    const w = window.__linreg, now = performance.now();
    const panel = window.jupyterapp.shell.currentWidget;
    const kernel = panel.sessionContext.session.kernel;
    const lastKernel = w.kernel.length ? w.kernel[w.kernel.length - 1][0] : 0;
    return kernel.status === 'idle'
        && now - Math.max(w.changedAt, w.statusAt, lastKernel) > quiet;
}"""


# Scroll the n-th element matching a selector to near the top of the notebook's view (for a
# failure's screenshot). Cells shown for the first time change size as they render, which
# moves the target again: repeat until it stays put (a few rounds at most).
JS_SCROLL_TO = """async ([selector, n]) => {
    const target = document.querySelectorAll(selector)[n];
    const scroller = target && target.closest('.jp-WindowedPanel-outer');
    for (let round = 0, still = 0; scroller && round < 20 && still < 2; round++) {
        const off = target.getBoundingClientRect().top - scroller.getBoundingClientRect().top - 120;
        if (Math.abs(off) < 20) { still++; } else { still = 0; scroller.scrollTop += off; }
        await new Promise(resolve => setTimeout(resolve, 150));
    }
}"""


def _open_notebook(page, lab: Lab, name: str) -> None:
    page.goto(lab.page_url(name), timeout=PAGE_READY_MS)
    page.wait_for_function(JS_NOTEBOOK_SHOWN, arg=name, timeout=PAGE_READY_MS, polling=100)
    page.evaluate(JS_NOTEBOOK_LOADED)
    page.wait_for_function(JS_KERNEL_IDLE, timeout=PAGE_READY_MS, polling=100)


def _run_all(page) -> None:
    result = page.evaluate(JS_RUN_ALL, RUN_ALL_MS)
    assert result != "timeout", f"Run All did not finish within {RUN_ALL_MS / 1000:.0f} s"
    page.wait_for_function(JS_KERNEL_IDLE, timeout=RUN_ALL_MS, polling=100)


def _shutdown_kernel(page) -> None:
    try:
        page.evaluate("""async () => {
            const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
            if (panel && panel.sessionContext) await panel.sessionContext.shutdown();
        }""")
    except Exception as exc:  # the server stops every kernel at the end anyway
        print(f"kernel shutdown failed: {exc}", file=sys.stderr)


def _show_cell(page, index: int) -> None:
    """Scroll cell ``index`` into view (for the failure's screenshot)."""
    page.evaluate(JS_SCROLL_TO, [".jp-WindowedPanel-viewport > .jp-Cell", index])


def _check_all_ran_clean(page, name: str) -> None:
    cells = page.evaluate(JS_REPORT)
    assert cells, f"{name}: no code cells found in the page"
    not_run = [c for c in cells if not c["empty"] and c["count"] is None]
    errors = [(c["index"], e) for c in cells for e in c["errors"] + c["tracebacks"]]
    widgets = [(c["index"], w) for c in cells for w in c["widgets"]]
    broken = [(i, w["text"]) for i, w in widgets
              if not w["rendered"] or "Error displaying widget" in w["text"]]
    first_bad = [i for i, _ in errors + broken] + [c["index"] for c in not_run]
    if first_bad:
        _show_cell(page, first_bad[0])
    assert not not_run, f"{name}: cells not executed (an earlier one failed?): " + "; ".join(
        f"#{c['index']} {c['source']!r}" for c in not_run)
    assert not errors, f"{name}: cells raised: {errors}"
    assert not broken, f"{name}: widgets not rendered: {broken}"
    assert page.get_by_text("Error displaying widget").count() == 0, (
        f"{name}: 'Error displaying widget' on the page")


def _check_figures_drawn(page, name: str) -> int:
    """Every ipympl canvas shows a drawn figure; returns how many there are."""
    try:  # frames arrive asynchronously after the kernel went idle
        page.wait_for_function(f"() => ({JS_CANVAS_STATS})().every({CANVAS_DRAWN})",
                               timeout=REDRAW_MS, polling=200)
    except Exception:
        pass  # the assertion below says what is wrong
    stats = page.evaluate(JS_CANVAS_STATS)
    blank = [(i, s) for i, s in enumerate(stats)
             if not (s["width"] > 0 and s["opaque"] > 0.9 and s["ink"] > 0.01)]
    if blank:
        page.evaluate(JS_SCROLL_TO, [".jupyter-matplotlib-canvas-div canvas", 2 * blank[0][0]])
    assert not blank, (
        f"{name}: ipympl figures not (fully) drawn — (index, share of opaque pixels, share of "
        f"inked pixels): {[(i, round(s['opaque'], 3), round(s['ink'], 3)) for i, s in blank]}; "
        "a drawn figure has an opaque background (> 0.9) with axes, ticks and labels on it")
    images = page.evaluate("""() => Array.from(document.querySelectorAll(
        '.jp-RenderedImage img')).filter(img => !(img.complete && img.naturalWidth > 0)).length""")
    assert images == 0, f"{name}: {images} static figure(s) did not load"
    return len(stats)


# --------------------------------------------------------------------------------------------
# Every notebook: Run All in JupyterLab
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_clean_in_jupyterlab(name, lab, page):
    """Run All: every cell runs, none raises, every widget renders, every figure is drawn."""
    _open_notebook(page, lab, name)
    _run_all(page)
    _check_all_ran_clean(page, name)
    _check_figures_drawn(page, name)


# --------------------------------------------------------------------------------------------
# The live dashboard of 04_training
# --------------------------------------------------------------------------------------------
class Dashboard:
    """The page of 04_training after Run All, and handles on the dashboard's controls."""

    def __init__(self, page):
        self.page = page
        status = page.locator(".linreg-status").first
        status.wait_for(timeout=REDRAW_MS)
        # The dashboard: the widget box of its class (linreg_helpers.widgets.dashboard.SCOPE).
        self.root = page.locator(".jp-OutputArea-output > .linreg-dashboard").first
        self.status = status
        self.figure = self.root.locator(".jupyter-matplotlib-canvas-div canvas").first

    def show(self) -> None:
        """Scroll the dashboard to the top of the notebook's view."""
        self.root.evaluate("node => node.scrollIntoView({block: 'start'})")

    def slider(self, description: str):
        return self.root.locator(".widget-slider", has=self.page.locator(
            ".widget-label", has_text=re.compile(rf"^{description}$"))).first

    def readout(self, description: str) -> str:
        return self.slider(description).locator(".widget-readout").inner_text().strip()

    def status_text(self) -> str:
        return self.status.inner_text().strip()

    def version(self) -> int:
        return self.page.evaluate("() => window.__linreg.version")

    def settle(self, quiet_ms: int = 300) -> None:
        self.page.wait_for_function(JS_SETTLED, arg=quiet_ms, timeout=REDRAW_MS, polling=50)

    def wait_for_status(self, pattern: str, what: str) -> str:
        """Wait until the status line matches ``pattern`` and everything settled."""
        try:
            self.page.wait_for_function(
                "([sel, pattern]) => new RegExp(pattern).test("
                "document.querySelector(sel).innerText)",
                arg=[".linreg-status", pattern], timeout=REDRAW_MS, polling=50)
        except Exception as exc:
            raise AssertionError(f"after {what}, the status never matched {pattern!r}; "
                                 f"it reads: {self.status_text()!r}") from exc
        self.settle()
        text = self.status_text()
        # the dashboard shows errors of its callbacks in the status line instead of raising
        assert "Error while updating" not in text, f"after {what}: {text!r}"
        return text

    def type_into_readout(self, description: str, text: str) -> None:
        """Edit a slider's value the way a learner can: click its readout, type, Enter."""
        readout = self.slider(description).locator(".widget-readout")
        readout.click()
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text)
        self.page.keyboard.press("Enter")

    def lesson_defaults(self) -> str:
        self.root.locator("button", has_text="lesson defaults").click()
        return self.wait_for_status(r"\(SGD, lr = 0\.05\d*, sum[;)]", "lesson defaults")


def _check_verdict(text: str, tolerance: float = 0.01) -> None:
    """A status that says "converged" must show w and b at the least-squares answer."""
    if "converged to" not in text or "still converging" in text:
        return
    found = re.search(r"w = (-?[\d.]+), b = (-?[\d.]+).*least squares: w = (-?[\d.]+), "
                      r"b = (-?[\d.]+)", text)
    assert found, f"cannot read w, b and the least-squares answer from {text!r}"
    w, b, w_star, b_star = map(float, found.groups())
    assert abs(w - w_star) <= tolerance and abs(b - b_star) <= tolerance, (
        f"the status says converged, but w = {w}, b = {b} are not within {tolerance} of the "
        f"least-squares w = {w_star}, b = {b_star}: {text!r}")


def _lr_in_status(text: str) -> str:
    match = re.search(r"lr = ([0-9.]+)", text)
    assert match, f"the status names no lr: {text!r}"
    return match.group(1)


@pytest.fixture(scope="module")
def dashboard_page(lab, browser):
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        _open_notebook(page, lab, DASHBOARD_NOTEBOOK)
        _run_all(page)
        dash = Dashboard(page)
        dash.show()
        page.evaluate(JS_WATCH, dash.root.element_handle())
        dash.settle()
        dash.initial_status = dash.status_text()
        yield dash
        _shutdown_kernel(page)
    finally:
        context.close()


@pytest.fixture
def dashboard(dashboard_page, request):
    """The shared dashboard page; saved to tests/screenshots/<test>.png if the test fails."""
    failed_before = request.session.testsfailed
    yield dashboard_page
    if _failed_since(request, failed_before):
        dashboard_page.show()
        path = _save_screenshot(dashboard_page.page, request.node.name)
        if path:
            print(f"screenshot of the failure: {path}", file=sys.stderr)


def test_dashboard_shows_controls_status_and_figure(dashboard):
    """The dashboard renders its controls, a status line for the lesson run and a figure."""
    for description in ("lr", "epochs", "momentum"):
        assert dashboard.slider(description).count() == 1, f"no {description} slider"
    buttons = dashboard.root.locator(".widget-toggle-button").all_inner_texts()
    assert [b.strip() for b in buttons] == ["sum", "mean"]
    options = dashboard.root.locator(".widget-dropdown select option").all_inner_texts()
    assert len(options) == 8 and "SGD" in options and "Adam" in options, options
    assert dashboard.root.locator("button", has_text="lesson defaults").count() == 1
    text = dashboard.initial_status
    assert re.search(r"\(SGD, lr = 0\.05\d*, sum[;)]", text), text
    assert re.search(r"w = -?\d+\.\d{4}, b = -?\d+\.\d{4}", text), text
    assert dashboard.readout("epochs") == "51"
    assert dashboard.figure.is_visible()
    _check_verdict(text)


def test_lr_slider_keyboard_redraws_and_measures_latency(dashboard, capsys):
    """Arrow keys on the lr handle: each press redraws the figure; the status follows."""
    page = dashboard.page
    dashboard.lesson_defaults()
    handle = dashboard.slider("lr").locator(".noUi-handle")
    latencies, status_latencies, seen = [], [], set()
    for i in range(KEYPRESSES):
        handle.focus()
        before = dashboard.version()
        page.keyboard.press("ArrowLeft" if i < KEYPRESSES // 2 else "ArrowRight")
        try:
            page.wait_for_function("(v) => window.__linreg.version > v", arg=before,
                                   timeout=REDRAW_MS, polling=10)
        except Exception as exc:
            raise AssertionError(f"keypress {i + 1}: the figure did not change") from exc
        latencies.append(page.evaluate(
            "() => window.__linreg.changedAt - window.__linreg.keydowns.at(-1)"))
        dashboard.settle(150)
        status_latencies.append(page.evaluate(
            "() => window.__linreg.statusAt - window.__linreg.keydowns.at(-1)"))
        text = dashboard.status_text()
        assert _lr_in_status(text) == dashboard.readout("lr"), (text, dashboard.readout("lr"))
        seen.add(_lr_in_status(text))
    assert len(seen) >= KEYPRESSES // 2, f"the lr took only the values {seen}"
    median = statistics.median(latencies)
    with capsys.disabled():
        print(f"\n[browser benchmark] lr keypress -> redraw: median {median:.0f} ms over "
              f"{len(latencies)} presses (min {min(latencies):.0f}, max {max(latencies):.0f}); "
              f"target <= {TARGET_KEY_MS} ms; keypress -> status line: median "
              f"{statistics.median(status_latencies):.0f} ms")


def test_lr_slider_drag_redraws_and_settles(dashboard, capsys):
    """Dragging the lr handle with the mouse: the final position is trained and drawn."""
    page = dashboard.page
    dashboard.lesson_defaults()
    lr_before, version_before = dashboard.readout("lr"), dashboard.version()
    box = dashboard.slider("lr").locator(".noUi-handle").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 30, y, steps=10)
    page.mouse.move(x - 70, y, steps=15)  # ~0.8 decades: lr ≈ 0.008
    page.mouse.up()
    dashboard.settle(500)
    lr_after = dashboard.readout("lr")
    assert lr_after != lr_before and float(lr_after) < float(lr_before), (lr_before, lr_after)
    assert dashboard.version() > version_before, "the figure did not change during the drag"
    text = dashboard.status_text()
    assert _lr_in_status(text) == lr_after, f"status {text!r} is not for lr = {lr_after}"
    timing = page.evaluate("""() => {
        const w = window.__linreg, up = w.pointerups.at(-1);
        const busy = w.kernel.filter(([t, s]) => t >= up && s === 'busy').map(([t]) => t);
        const idle = w.kernel.filter(([t, s]) => t >= up && s === 'idle').map(([t]) => t);
        return {redraw: w.changedAt - up, status: w.statusAt - up,
                idle: idle.length ? idle.at(-1) - up : 0, busyAfter: busy.length};
    }""")
    settle_ms = max(timing["redraw"], timing["status"], timing["idle"])
    with capsys.disabled():
        print(f"\n[browser benchmark] lr drag release -> settled: {settle_ms:.0f} ms (last "
              f"redraw {timing['redraw']:.0f} ms, last status {timing['status']:.0f} ms, kernel "
              f"last idle {timing['idle']:.0f} ms after {timing['busyAfter']} busy spells); "
              f"target <= {TARGET_DRAG_MS} ms")


def test_epochs_reduction_and_optimizer_update_status_and_figure(dashboard):
    """epochs (typed into its readout), reduction (toggle buttons) and optimizer (menu) each
    re-train and redraw; and a status that says "converged" shows the least-squares answer."""
    dashboard.lesson_defaults()
    steps = [
        ("epochs = 100", lambda: dashboard.type_into_readout("epochs", "100"),
         r"After 100 epochs|Epoch (99|100)\b"),
        ("reduction = mean", lambda: dashboard.root.locator(
            ".widget-toggle-button", has_text="mean").click(), r"\(SGD, lr = [0-9.]+, mean"),
        ("optimizer = Adam", lambda: dashboard.root.locator(
            ".widget-dropdown select").select_option("Adam"), r"\(Adam, lr = [0-9.]+, mean"),
    ]
    texts = []
    for what, action, pattern in steps:
        before = dashboard.version()
        action()
        texts.append(dashboard.wait_for_status(pattern, what))
        assert dashboard.version() > before, f"{what}: the figure did not change"
    assert dashboard.readout("epochs") == "100"
    # momentum applies to SGD only: the dashboard disables its slider for Adam
    momentum = dashboard.slider("momentum")
    assert momentum.locator("[disabled]").count() > 0 or "disabled" in (
        momentum.get_attribute("class") or ""), "the momentum slider stays enabled for Adam"
    for text in texts:
        _check_verdict(text)


def test_divergent_lr_is_explained(dashboard):
    """Plain SGD, summed loss, lr = 0.1 > 0.0601: the status says it diverged and why."""
    dashboard.lesson_defaults()
    before = dashboard.version()
    dashboard.type_into_readout("lr", "0.1")
    text = dashboard.wait_for_status(r"[Dd]iverged", "lr = 0.1")
    assert dashboard.version() > before, "the figure did not change"
    assert re.search(r"lr = 0\.(09|10)\d*", text), text
    assert "lr below 0.0601" in text, f"the status does not name the stable bound: {text!r}"
    assert "lower the lr" in text, text


def test_lesson_defaults_restore_the_lesson_run(dashboard):
    """After other settings, "lesson defaults" gives back the first status line."""
    dashboard.lesson_defaults()
    dashboard.root.locator(".widget-toggle-button", has_text="mean").click()
    dashboard.wait_for_status(r"\(SGD, lr = [0-9.]+, mean", "reduction = mean")
    dashboard.type_into_readout("epochs", "300")
    dashboard.wait_for_status(r"After 300 epochs|Epoch (299|300)\b", "epochs = 300")
    text = dashboard.lesson_defaults()
    target = os.environ.get("LINREG_DASHBOARD_PNG")
    if target:  # the README's picture: the dashboard at the lesson's settings
        path = Path(target) if Path(target).is_absolute() else ROOT / target
        path.parent.mkdir(parents=True, exist_ok=True)
        page = dashboard.page
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        page.mouse.move(1, 1)  # no hover: no focus ring, no figure toolbar
        dashboard.root.evaluate("node => node.scrollIntoView({block: 'center'})")
        page.wait_for_function("""() => Array.from(document.querySelectorAll(
            '.jupyter-matplotlib-toolbar')).every(t => getComputedStyle(t).opacity === '0')""",
                               timeout=REDRAW_MS)
        box = dashboard.root.bounding_box()
        page.screenshot(path=str(path), clip={"x": box["x"] - 2, "y": box["y"] - 1,
                                              "width": box["width"] + 4,
                                              "height": box["height"] + 8})
    assert dashboard.readout("epochs") == "51"
    assert dashboard.root.locator(".widget-dropdown select").input_value() == "SGD"
    assert "(SGD, lr = 0.0500, sum" in text, f"not the lesson's lr = 0.05: {text!r}"
    assert text == dashboard.initial_status, (
        "the dashboard's first run (shown right after Run All) and its 'lesson defaults' run "
        f"differ:\n  first:    {dashboard.initial_status!r}\n  defaults: {text!r}")


# --------------------------------------------------------------------------------------------
# The blank-figure race (issue 15): frames held back and delivered together; Run All repeated
# --------------------------------------------------------------------------------------------
STRESS_NOTEBOOKS = ("04_training.ipynb", "06_loss_landscape.ipynb")
# Runs per notebook: 25 each, 50 Run Alls in all, keeps the test near 15 minutes on a loaded
# 2-core machine (50 each took 822 s + 841 s there, with no blank figure).
STRESS_RUNS = int(os.environ.get("LINREG_STRESS_RUNS", "25"))
DRAWN_AFTER_IDLE_S, DRAWN_AFTER_SCROLL_S = 5.0, 3.0

# Finds the page's widget manager (through a rendered widget output) and hooks ipympl's
# canvas model class, so that every canvas model created afterwards (after a kernel restart)
# can hold its frames back: window.__mpl.hold = true keeps each incoming frame, in order,
# until window.__mpl.release() hands all of them over in one go, as a busy page does when
# several frames arrive before it decodes the first. Each frame's image mode is logged.
JS_HOOK_FRAMES = """async () => {
    if (window.__mpl) return true;
    const seen = new Set();
    let renderer = null;
    const walk = (w) => {
        if (!w || seen.has(w) || renderer) return;
        seen.add(w);
        if (w._manager && w._manager.promise) { renderer = w; return; }
        for (const k of (w.widgets || (w.layout && w.layout.widgets) || [])) walk(k);
        if (w.outputArea) walk(w.outputArea);
    };
    for (const cell of window.jupyterapp.shell.currentWidget.content.widgets) walk(cell);
    if (!renderer) return false;
    const manager = await renderer._manager.promise;
    let proto = null;
    for (const promise of Object.values(manager._models)) {
        const model = await promise;
        if (model.get('_model_name') === 'MPLCanvasModel') proto = Object.getPrototypeOf(model);
    }
    if (!proto) return false;
    const mpl = window.__mpl = {hold: false, held: [], frames: []};
    const original = proto.on_comm_message;
    proto.on_comm_message = function (evt, buffers) {
        if (JSON.parse(evt.data).type === 'binary') {
            mpl.frames.push(this.get('_image_mode'));
            if (mpl.hold) { mpl.held.push([this, evt, buffers]); return; }
        }
        return original.call(this, evt, buffers);
    };
    mpl.release = () => {
        const held = mpl.held.splice(0);
        mpl.hold = false;
        for (const [model, evt, buffers] of held) original.call(model, evt, buffers);
        return held.length;
    };
    return true;
}"""

JS_RESTART_AND_RUN_ALL = """async (timeoutMs) => {
    const app = window.jupyterapp, panel = app.shell.currentWidget;
    await panel.sessionContext.session.kernel.restart();
    await panel.sessionContext.ready;
    const run = app.commands.execute('notebook:run-all-cells');
    const timeout = new Promise(resolve => setTimeout(() => resolve('timeout'), timeoutMs));
    return await Promise.race([run, timeout]);
}"""

JS_SCROLL_TOP = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    panel.node.querySelector('.jp-WindowedPanel-outer').scrollTop = 0;
}"""

# The n-th figure's canvas is inside the notebook's visible area.
JS_CANVAS_IN_VIEW = """(n) => {
    const canvas = document.querySelectorAll('.jupyter-matplotlib-canvas-div canvas')[2 * n];
    const scroller = canvas && canvas.closest('.jp-WindowedPanel-outer');
    if (!canvas || !scroller) return false;
    const box = canvas.getBoundingClientRect(), view = scroller.getBoundingClientRect();
    return box.height > 0 && box.top >= view.top - 1 && box.top < view.bottom;
}"""


def _own_copy(lab: Lab, name: str, tag: str) -> str:
    """A copy of notebook ``name`` for one test: a notebook open in two pages shares one
    kernel, and these tests restart theirs (which would end the dashboard page's)."""
    copy = name.replace(".ipynb", f"-{tag}.ipynb")
    shutil.copyfile(lab.root / name, lab.root / copy)
    return copy


def _restart_and_run_all(page) -> None:
    result = page.evaluate(JS_RESTART_AND_RUN_ALL, RUN_ALL_MS)
    assert result != "timeout", f"Run All did not finish within {RUN_ALL_MS / 1000:.0f} s"
    page.wait_for_function(JS_KERNEL_IDLE, timeout=RUN_ALL_MS, polling=100)


def _seconds_until_drawn(page, limit_s: float, which: int | None = None) -> float | None:
    """Seconds until every figure (or figure ``which``) is drawn; None if not within limit_s."""
    test = (f"(s => s.length > 0 && s.every({CANVAS_DRAWN}))(({JS_CANVAS_STATS})())"
            if which is None else f"({CANVAS_DRAWN})(({JS_CANVAS_STATS})()[{which}] || {{}})")
    start = time.monotonic()
    try:
        page.wait_for_function(f"() => {test}", timeout=limit_s * 1000, polling=50)
    except Exception:
        return None
    return time.monotonic() - start


@pytest.fixture
def busy_core():
    """One CPU core kept busy for the test's duration (stopped by its PID)."""
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield spinner.pid
    finally:
        spinner.kill()
        spinner.wait(timeout=10)


def test_frames_delivered_together_still_show_the_figure(lab, page):
    """The failing ordering, forced: 04's frames are held back during Run All and handed to
    the page together, so only the last one is decoded. It must be a whole picture."""
    name = _own_copy(lab, DASHBOARD_NOTEBOOK, "frames")
    _open_notebook(page, lab, name)
    _run_all(page)
    assert page.evaluate(JS_HOOK_FRAMES), "could not hook ipympl's canvas model"
    page.evaluate("() => { window.__mpl.hold = true; window.__mpl.frames.length = 0; }")
    _restart_and_run_all(page)
    page.wait_for_function("() => window.__mpl.held.length >= 2", timeout=REDRAW_MS)
    time.sleep(1.0)  # let any further frame of this run arrive too
    held = page.evaluate("() => window.__mpl.release()")
    modes = page.evaluate("() => window.__mpl.frames")
    seconds = _seconds_until_drawn(page, DRAWN_AFTER_IDLE_S)
    if seconds is None:
        _check_figures_drawn(page, name)  # fails, saying which figure is blank
    print(f"\n{held} frames held and delivered together (image modes {modes}); "
          f"drawn {seconds:.2f} s after the release")


@pytest.mark.slow
@pytest.mark.parametrize("name", STRESS_NOTEBOOKS)
def test_run_all_again_and_again_draws_every_figure(name, lab, page, busy_core, capsys):
    """Fresh kernel + Run All, STRESS_RUNS times with one core busy: every figure is drawn
    within 5 s of the kernel going idle and within 3 s of being scrolled into view."""
    name = _own_copy(lab, name, "stress")
    _open_notebook(page, lab, name)
    blank, slow_scroll, after_idle, after_scroll = [], [], [], []
    started = time.monotonic()
    for run in range(STRESS_RUNS):
        # As a learner runs it: from the top of the notebook (the figures out of view).
        page.evaluate(JS_SCROLL_TOP)
        _restart_and_run_all(page) if run else _run_all(page)
        seconds = _seconds_until_drawn(page, DRAWN_AFTER_IDLE_S)
        if seconds is None:
            blank.append((run, [(i, round(s["opaque"], 3), round(s["ink"], 3))
                                for i, s in enumerate(page.evaluate(JS_CANVAS_STATS))]))
            continue
        after_idle.append(seconds)
        figures = len(page.evaluate(JS_CANVAS_STATS))
        for index in range(figures):
            page.evaluate(JS_SCROLL_TO, [".jupyter-matplotlib-canvas-div canvas", 2 * index])
            start = time.monotonic()
            try:
                page.wait_for_function(JS_CANVAS_IN_VIEW, arg=index, timeout=5000, polling=50)
                seconds = _seconds_until_drawn(page, DRAWN_AFTER_SCROLL_S, which=index)
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
    assert not blank, f"{name}: figures not drawn (run, [(figure, opaque, inked)]): {blank}"
    assert not slow_scroll, f"{name}: figures slow after scrolling (run, figure): {slow_scroll}"


# --------------------------------------------------------------------------------------------
# The dashboard against the naive way: interact() drawing a new figure per change
# --------------------------------------------------------------------------------------------
NAIVE_SOURCE = '''%matplotlib inline
import matplotlib.pyplot as plt
import torch
from ipywidgets import FloatLogSlider, interact

x = torch.tensor([[1.0], [2.0], [3.0]])
y = torch.tensor([[2.0], [4.0], [6.0]])

def run(lr=0.05):
    torch.manual_seed(0)
    model = torch.nn.Linear(1, 1)
    criterion = torch.nn.MSELoss(reduction="sum")
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses, ws, bs = [], [], []
    for epoch in range(51):
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item()); ws.append(model.weight.item()); bs.append(model.bias.item())
    fig, axes = plt.subplots(3, 1, sharex=True, figsize=(6.4, 5.6))
    for ax, values, label in zip(axes, (losses, ws, bs), ("loss", "weight w", "bias b")):
        ax.plot(values)
        ax.set_ylabel(label)
    axes[-1].set_xlabel("epoch")
    fig.tight_layout()
    plt.show()

interact(run, lr=FloatLogSlider(value=0.05, base=10, min=-3, max=0, step=0.02))
'''

# On the naive page: the time each new figure image has loaded, and of each key press.
JS_WATCH_IMAGES = """() => {
    if (window.__naive) return;
    const w = window.__naive = {keydowns: [], loaded: []};
    document.addEventListener('keydown', () => w.keydowns.push(performance.now()), true);
    const seen = new WeakSet();
    const note = () => document.querySelectorAll('.widget-output img').forEach(img => {
        if (seen.has(img)) return;
        seen.add(img);
        const done = () => w.loaded.push(performance.now());
        if (img.complete && img.naturalWidth) done(); else img.addEventListener('load', done);
    });
    new MutationObserver(note).observe(document.body, {subtree: true, childList: true});
    note();
}"""


def _naive_page(browser, lab):
    import nbformat

    name = "naive_interact.ipynb"
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(NAIVE_SOURCE)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.write(notebook, lab.root / name)
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    _open_notebook(page, lab, name)
    _run_all(page)
    page.locator(".widget-output img").first.wait_for(timeout=REDRAW_MS)
    page.evaluate(JS_WATCH_IMAGES)
    return context, page


def test_dashboard_redraws_faster_than_a_naive_interact(dashboard, lab, browser, capsys):
    """Keypress -> redrawn, the dashboard against a naive interact() notebook (a new figure
    per change, inline backend), interleaved in the same browser; printed, not asserted."""
    context, naive = _naive_page(browser, lab)
    try:
        dashboard.lesson_defaults()
        handles = {"dashboard": dashboard.slider("lr").locator(".noUi-handle"),
                   "naive": naive.locator(".widget-slider .noUi-handle").first}
        counters = {
            "dashboard": ("window.__linreg.version",
                          "window.__linreg.changedAt - window.__linreg.keydowns.at(-1)"),
            "naive": ("window.__naive.loaded.length",
                      "window.__naive.loaded.at(-1) - window.__naive.keydowns.at(-1)")}
        pages = {"dashboard": dashboard.page, "naive": naive}
        times = {"dashboard": [], "naive": []}
        for i in range(KEYPRESSES):
            key = "ArrowLeft" if i < KEYPRESSES // 2 else "ArrowRight"
            for which, page in pages.items():
                count, latency = counters[which]
                handles[which].focus()
                before = page.evaluate(f"() => {count}")
                page.keyboard.press(key)
                page.wait_for_function(f"() => {count} > {before}", timeout=REDRAW_MS,
                                       polling=10)
                if which == "dashboard":
                    dashboard.settle(150)
                else:
                    page.wait_for_function(JS_KERNEL_IDLE, timeout=REDRAW_MS, polling=20)
                times[which].append(page.evaluate(f"() => {latency}"))
        dash_ms, naive_ms = (statistics.median(times[k]) for k in ("dashboard", "naive"))
        with capsys.disabled():
            print(f"\n[browser benchmark] keypress -> redrawn, medians over {KEYPRESSES} "
                  f"interleaved presses: dashboard {dash_ms:.0f} ms, naive interact (new "
                  f"figure per change) {naive_ms:.0f} ms: ratio {dash_ms / naive_ms:.2f} "
                  f"(target <= 0.5)")
        assert len(times["naive"]) == KEYPRESSES  # every naive press drew a new figure
    finally:
        _shutdown_kernel(naive)
        context.close()

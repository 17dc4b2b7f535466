"""What the real-browser tests share: Chromium, one Jupyter server, pages and figure checks.

Not a test module: test_browser.py, test_layout.py, test_frontends.py and test_language_pack.py
import their fixtures from here (by name: ``from browser_support import lab, browser, ...``).

- ``chromium``: Debian's /usr/bin/chromium (``apt-get install -y chromium``), or the path in
  LINREG_CHROMIUM. Without it, or without Playwright, the tests skip — unless
  LINREG_REQUIRE_BROWSER=1 (set by .ci/run), where they fail.
- ``lab``: ONE Jupyter server per test session (per pytest-xdist worker: each worker is a
  session of its own), on 127.0.0.1, a free port and a random token, serving a temporary
  copy of notebooks/ (the stored notebooks are never saved over). It serves every front end
  the tests drive: JupyterLab (/lab), Notebook 7 (/notebooks) and Voilà (/voila/render).
  Tests change its JupyterLab settings only through ``lab_setting`` (restored afterwards).
- ``browser``: Chromium through Playwright, per test module: while Playwright's sync API is
  started it keeps its event loop marked as running, which other modules' asyncio code
  (nbval, nbclient) must not see.
- ``page``: a fresh page per test; a failing test's page goes to tests/screenshots/.

The figures of the live widgets are ``<img class="widget-image linreg-figure">`` (a PNG the
kernel renders, ipywidgets.Image); other figures may be ipympl canvases. ``JS_FIGURE_STATS``
decodes each figure's pixels on a canvas: a drawn figure has loaded, is opaque and has ink.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Every notebook, the Chinese edition's too, as paths relative to notebooks/ ("zh/04_...").
NOTEBOOKS = sorted(str(path.relative_to(ROOT / "notebooks"))
                   for pattern in ("*.ipynb", "zh/*.ipynb")
                   for path in (ROOT / "notebooks").glob(pattern))
SCREENSHOTS = ROOT / "tests" / "screenshots"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def _stored(name: str) -> str:
    return (ROOT / "notebooks" / name).read_text(encoding="utf-8")


#: The notebooks with widgets, both editions: test_layout.py runs each in JupyterLab once and
#: checks both that it ran clean and that its widgets fit.
WIDGET_NOTEBOOKS = [name for name in NOTEBOOKS if WIDGET_MIME in _stored(name)]
#: The other notebooks with figures, English only: test_notebooks_in_jupyterlab.py runs them.
#: Not run in the browser: the text-only notebooks (02, 03, 05, 09: JupyterLab shows text as
#: nbval already checks it, from a kernel of the same kind) and the Chinese twins of the
#: notebooks without widgets (their code is the English code, which make check-translations
#: enforces, and nbval checks their outputs; only the widgets' labels differ in the browser).
FIGURE_NOTEBOOKS = [name for name in NOTEBOOKS if name not in WIDGET_NOTEBOOKS
                    and not name.startswith("zh/") and '"image/png"' in _stored(name)]
DASHBOARD_NOTEBOOK = "04_training.ipynb"
EXPLORER_NOTEBOOK = "06_loss_landscape.ipynb"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 1000}
#: JupyterLab's setting for widget messages on kernel subshells, and its default.
SUBSHELLS_PLUGIN = "@jupyterlab/apputils-extension:kernels-settings"
SUBSHELLS_DEFAULT = "perCommTarget"

# Bounded waits: generous for a loaded 2-core CI machine, but never endless.
SERVER_START_S = 90
PAGE_READY_MS = 90_000
RUN_ALL_MS = 300_000
REDRAW_MS = 20_000
#: How soon a figure must be drawn after the kernel went idle.
DRAWN_AFTER_IDLE_S = 5.0


# --------------------------------------------------------------------------------------------
# Chromium, the server, the browser
# --------------------------------------------------------------------------------------------
def unavailable(reason: str) -> None:
    """Skip — or fail where CI demands real browser tests (LINREG_REQUIRE_BROWSER=1)."""
    if os.environ.get("LINREG_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (LINREG_REQUIRE_BROWSER=1: browser tests must run)")
    pytest.skip(reason)


def _find_chromium() -> str | None:
    candidates = [os.environ.get("LINREG_CHROMIUM"), "/usr/bin/chromium",
                  shutil.which("chromium"), shutil.which("chromium-browser")]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


@pytest.fixture(scope="session")
def chromium() -> str:
    path = _find_chromium()
    if path is None:
        unavailable("no Chromium found: install it with `sudo apt-get install -y chromium` "
                    "(Debian/Ubuntu), or set LINREG_CHROMIUM=/path/to/chromium")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        unavailable("Playwright is missing: .venv/bin/pip install -r requirements-dev.txt")
    return path


def free_port() -> int:
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

    def notebook7_url(self, notebook: str) -> str:
        return f"{self.url}/notebooks/{notebook}?token={self.token}"

    def request(self, path: str, method: str = "GET", body: dict | None = None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.url}/{path}", method=method, data=data,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            reply = response.read()
        return json.loads(reply) if reply else None

    def api(self, path: str, method: str = "GET"):
        return self.request(f"api/{path}", method)

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def stop_process(process: subprocess.Popen) -> None:
    """Stop a server by its PID (its process group), then any kernel it left running."""
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


def jupyter_env(base: Path) -> dict[str, str]:
    """A learner's environment (no Agg backend) with Jupyter's folders under ``base``."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("MPLBACKEND", "JUPYTER_PATH")}
    env.update(
        JUPYTERLAB_SETTINGS_DIR=str(base / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(base / "workspaces"),
        JUPYTER_CONFIG_DIR=str(base / "config"),
        JUPYTER_DATA_DIR=str(base / "data"),
        JUPYTER_RUNTIME_DIR=str(base / "runtime"),
        IPYTHONDIR=str(base / "ipython"),
        PYTHONUNBUFFERED="1",
    )
    return env


def wait_until_up(process: subprocess.Popen, probe, log: Path, what: str) -> None:
    """Poll ``probe()`` until it stops raising OSError; fail if ``process`` exits first."""
    deadline = time.monotonic() + SERVER_START_S
    while True:
        if process.poll() is not None:
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-40:])
            pytest.fail(f"{what} exited with {process.returncode}:\n{tail}")
        try:
            probe()
            return
        except OSError:
            if time.monotonic() > deadline:
                tail = "\n".join(log.read_text(errors="replace").splitlines()[-40:])
                pytest.fail(f"{what} did not answer in {SERVER_START_S} s:\n{tail}")
            time.sleep(0.2)


@pytest.fixture(scope="session")
def lab(chromium, tmp_path_factory):
    """The session's Jupyter server on a temporary copy of notebooks/, stopped whatever
    happens. JupyterLab starts it; Notebook 7's and Voilà's server extensions ride along."""
    base = tmp_path_factory.mktemp("lab")
    root = base / "notebooks"
    shutil.copytree(ROOT / "notebooks", root,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    settings = base / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    # No "get Jupyter news?" toast over the page, no update check over the network.
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    port, token = free_port(), secrets.token_hex(16)
    jupyter = Path(sys.executable).with_name("jupyter")
    command = [str(jupyter), "lab"] if jupyter.exists() else [sys.executable, "-m", "jupyterlab"]
    command += [
        "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}", "--ServerApp.allow_root=True",
        "--ServerApp.terminals_enabled=False", "--LabApp.expose_app_in_browser=True",
        "--JupyterNotebookApp.expose_app_in_browser=True",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    log = base / "server.log"
    with open(log, "wb") as log_file:
        process = subprocess.Popen(command, cwd=root, env=jupyter_env(base), stdout=log_file,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    server = Lab(f"http://127.0.0.1:{port}", token, root, log)
    try:
        wait_until_up(process, lambda: server.api("status"), log, "JupyterLab")
        yield server
    finally:
        stop_process(process)


@contextmanager
def lab_setting(lab: Lab, plugin: str, values: dict):
    """JupyterLab's settings of ``plugin`` set to ``values`` (through its settings API, as
    Settings → Settings Editor saves them) for pages opened inside the block; then reset."""
    path = f"lab/api/settings/{plugin}"
    before = lab.request(path).get("raw") or "{}"
    lab.request(path, "PUT", {"raw": json.dumps(values)})
    try:
        yield
    finally:
        lab.request(path, "PUT", {"raw": before})


@pytest.fixture(scope="module")
def browser(chromium):
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


def save_screenshot(page, name: str) -> Path | None:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / (re.sub(r"[^\w.-]+", "_", name) + ".png")
    try:
        page.screenshot(path=str(path), full_page=False)
    except Exception as exc:  # a crashed page cannot be photographed; say so, go on
        print(f"screenshot {path} failed: {exc}", file=sys.stderr)
        return None
    return path


def failed_since(request, failed_before: int) -> bool:
    # pytest counts a failed call phase before it tears the test's fixtures down.
    return request.session.testsfailed > failed_before


@contextmanager
def screenshot_on_failure(page, request):
    """Save ``page`` to tests/screenshots/<test>.png if the test fails inside the block."""
    failed_before = request.session.testsfailed
    yield
    if failed_since(request, failed_before):
        path = save_screenshot(page, request.node.name)
        if path:
            print(f"screenshot of the failure: {path}", file=sys.stderr)


@pytest.fixture
def page(browser, request):
    """A fresh browser page; if the test fails it is saved to tests/screenshots/<test>.png."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        with screenshot_on_failure(page, request):
            yield page
        shutdown_kernel(page)
    finally:
        context.close()


def own_copy(lab: Lab, name: str, tag: str) -> str:
    """A copy of notebook ``name`` for one test: a notebook open in two pages shares one
    kernel, and a test that restarts its kernel would end another page's."""
    copy = name.replace(".ipynb", f"-{tag}.ipynb")
    shutil.copyfile(lab.root / name, lab.root / copy)
    return copy


# --------------------------------------------------------------------------------------------
# JupyterLab (and Notebook 7: the same application object, window.jupyterapp)
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

#: How the open notebook's kernel connection sends widget messages (JupyterLab's setting).
JS_COMMS_OVER_SUBSHELLS = """() => window.jupyterapp.shell.currentWidget
    .sessionContext.session.kernel.commsOverSubshells"""

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


def open_notebook(page, lab: Lab, name: str, url: str | None = None) -> None:
    """Open ``name`` (in JupyterLab, or at ``url``: Notebook 7) and wait for its kernel."""
    page.goto(url or lab.page_url(name), timeout=PAGE_READY_MS)
    page.wait_for_function(JS_NOTEBOOK_SHOWN, arg=name, timeout=PAGE_READY_MS, polling=100)
    page.evaluate(JS_NOTEBOOK_LOADED)
    page.wait_for_function(JS_KERNEL_IDLE, timeout=PAGE_READY_MS, polling=100)


def run_all(page) -> None:
    result = page.evaluate(JS_RUN_ALL, RUN_ALL_MS)
    assert result != "timeout", f"Run All did not finish within {RUN_ALL_MS / 1000:.0f} s"
    page.wait_for_function(JS_KERNEL_IDLE, timeout=RUN_ALL_MS, polling=100)


JS_RESTART_AND_RUN_ALL = """async (timeoutMs) => {
    const app = window.jupyterapp, panel = app.shell.currentWidget;
    await panel.sessionContext.session.kernel.restart();
    await panel.sessionContext.ready;
    const run = app.commands.execute('notebook:run-all-cells');
    const timeout = new Promise(resolve => setTimeout(() => resolve('timeout'), timeoutMs));
    return await Promise.race([run, timeout]);
}"""

def settled_box(page, locator, polls: int = 25) -> dict:
    """``locator``'s box once it is in view and has stopped moving. JupyterLab's windowed
    notebook renders the cells it scrolls past, and their real heights replace its estimates:
    a box read at once can be where the element was before the page moved."""
    previous = None
    for _ in range(polls):
        locator.scroll_into_view_if_needed()
        box = locator.bounding_box()
        if box is not None and box == previous:
            return box
        previous = box
        page.wait_for_timeout(200)
    raise AssertionError(f"the element kept moving: last box {previous}")


def restart_and_run_all(page) -> None:
    """Restart the open notebook's kernel and run all cells; wait until it is idle."""
    result = page.evaluate(JS_RESTART_AND_RUN_ALL, RUN_ALL_MS)
    assert result != "timeout", f"Run All did not finish within {RUN_ALL_MS / 1000:.0f} s"
    page.wait_for_function(JS_KERNEL_IDLE, timeout=RUN_ALL_MS, polling=100)


def shutdown_kernel(page) -> None:
    try:
        page.evaluate("""async () => {
            const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
            if (panel && panel.sessionContext) await panel.sessionContext.shutdown();
        }""")
    except Exception as exc:  # the server stops every kernel at the end anyway
        print(f"kernel shutdown failed: {exc}", file=sys.stderr)


def check_all_ran_clean(page, name: str) -> None:
    """Every code cell ran, none raised, every widget rendered."""
    cells = page.evaluate(JS_REPORT)
    assert cells, f"{name}: no code cells found in the page"
    not_run = [c for c in cells if not c["empty"] and c["count"] is None]
    errors = [(c["index"], e) for c in cells for e in c["errors"] + c["tracebacks"]]
    widgets = [(c["index"], w) for c in cells for w in c["widgets"]]
    broken = [(i, w["text"]) for i, w in widgets
              if not w["rendered"] or "Error displaying widget" in w["text"]]
    first_bad = [i for i, _ in errors + broken] + [c["index"] for c in not_run]
    if first_bad:
        page.evaluate(JS_SCROLL_TO, [".jp-WindowedPanel-viewport > .jp-Cell", first_bad[0]])
    assert not not_run, f"{name}: cells not executed (an earlier one failed?): " + "; ".join(
        f"#{c['index']} {c['source']!r}" for c in not_run)
    assert not errors, f"{name}: cells raised: {errors}"
    assert not broken, f"{name}: widgets not rendered: {broken}"
    assert page.get_by_text("Error displaying widget").count() == 0, (
        f"{name}: 'Error displaying widget' on the page")


# --------------------------------------------------------------------------------------------
# Figures: the live widgets' <img>, and any ipympl canvas
# --------------------------------------------------------------------------------------------
#: A live widget's figure (ipywidgets.Image) and an ipympl figure's visible canvas.
FIGURES = "img.linreg-figure, .jupyter-matplotlib-canvas-div canvas:first-child"

#: The FNV-1a hash of 32-bit words (RGBA pixels), in JavaScript: tells pictures apart.
JS_FNV1A = """const fnv1a = (words) => {
    let hash = 2166136261;
    for (const word of words) hash = Math.imul(hash ^ word, 16777619);
    return hash >>> 0;
};"""

# Each figure's decoded pixels, drawn on a canvas of their own: whether it has loaded, its
# pixel size, the share of opaque pixels, the share of inked ones (not near-white) and a hash
# of the pixels (to tell pictures apart). An <img> that has not loaded has no pixels.
JS_FIGURE_STATS = """(scope) => { """ + JS_FNV1A + """
    return Array.from((scope ? document.querySelector(scope) : document)
        .querySelectorAll('""" + FIGURES + """')).map(el => {
    const isImg = el.tagName === 'IMG';
    const width = isImg ? el.naturalWidth : el.width;
    const height = isImg ? el.naturalHeight : el.height;
    const r = el.getBoundingClientRect();
    const shown = {cssWidth: r.width, cssHeight: r.height};
    if ((isImg && !el.complete) || !width || !height) {
        return {kind: el.tagName, loaded: false, width: 0, height: 0, opaque: 0, ink: 0,
                hash: 0, ...shown};
    }
    const canvas = document.createElement('canvas');
    canvas.width = width; canvas.height = height;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(el, 0, 0);
    const data = ctx.getImageData(0, 0, width, height).data;
    let opaque = 0, ink = 0;
    for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] === 255) opaque++;
        if (data[i + 3] > 0 && (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200)) ink++;
    }
    const n = data.length / 4;
    return {kind: el.tagName, loaded: true, width, height, opaque: opaque / n, ink: ink / n,
            hash: fnv1a(new Uint32Array(data.buffer)), ...shown};
}); }"""

# The hash of a loaded <img>'s pixels right of ``left`` (a fraction of its width), e.g. one
# panel of a figure: call locator.evaluate(JS_REGION_HASH, left) on the <img>.
JS_REGION_HASH = """(img, left) => { """ + JS_FNV1A + """
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const x0 = Math.floor(left * img.naturalWidth);
    const data = ctx.getImageData(x0, 0, img.naturalWidth - x0, img.naturalHeight).data;
    return fnv1a(new Uint32Array(data.buffer));
}"""

# A drawn figure: loaded, an opaque (white) background with some ink on it — not a blank or
# transparent picture, and not curves alone without their axes, ticks and labels.
FIGURE_DRAWN = "s => s.loaded && s.width > 0 && s.opaque > 0.9 && s.ink > 0.01"


def figure_stats(page, scope: str | None = None) -> list[dict]:
    return page.evaluate(JS_FIGURE_STATS, scope)


def is_drawn(stats: dict) -> bool:
    return stats["loaded"] and stats["width"] > 0 and stats["opaque"] > 0.9 and stats["ink"] > 0.01


def seconds_until_drawn(page, limit_s: float, which: int | None = None,
                        scope: str | None = None) -> float | None:
    """Seconds until every figure (or figure ``which``) is drawn; None if not within limit_s."""
    stats = f"({JS_FIGURE_STATS})({json.dumps(scope)})"
    test = (f"(s => s.length > 0 && s.every({FIGURE_DRAWN}))({stats})" if which is None
            else f"({FIGURE_DRAWN})({stats}[{which}] || {{}})")
    start = time.monotonic()
    try:
        page.wait_for_function(f"() => {test}", timeout=limit_s * 1000, polling=50)
    except Exception:
        return None
    return time.monotonic() - start


def check_figures_drawn(page, name: str, scope: str | None = None) -> list[dict]:
    """Every figure shows a drawn picture (waiting up to REDRAW_MS); returns their stats."""
    try:  # pictures arrive asynchronously after the kernel went idle
        page.wait_for_function(f"() => ({JS_FIGURE_STATS})({json.dumps(scope)})"
                               f".every({FIGURE_DRAWN})", timeout=REDRAW_MS, polling=200)
    except Exception:
        pass  # the assertion below says what is wrong
    stats = figure_stats(page, scope)
    blank = [(i, s) for i, s in enumerate(stats) if not is_drawn(s)]
    if blank and scope is None:
        page.evaluate(JS_SCROLL_TO, [FIGURES, blank[0][0]])
    assert not blank, (
        f"{name}: figures not (fully) drawn — (index, element, loaded, share of opaque pixels, "
        f"share of inked pixels): {[(i, s['kind'], s['loaded'], round(s['opaque'], 3), round(s['ink'], 3)) for i, s in blank]}; "  # noqa: E501
        "a drawn figure has loaded, with an opaque background (> 0.9) and axes, ticks and "
        "labels on it")
    images = page.evaluate("""() => Array.from(document.querySelectorAll(
        '.jp-RenderedImage img')).filter(img => !(img.complete && img.naturalWidth > 0)).length""")
    assert images == 0, f"{name}: {images} static figure(s) did not load"
    return stats


# Installed once on a page with a live widget: counts the pictures its figure <img> has
# loaded since (a new src that finished loading), and notes the times of key presses, pointer
# releases and status-line changes — on the page's clock, so that the latencies include no
# Python <-> browser round trip. ``kernel`` (JupyterLab only) logs kernel status changes.
JS_WATCH_FIGURE = """(root) => {
    if (window.__linreg) return;
    const img = root.querySelector('img.linreg-figure');
    const status = root.querySelector('.linreg-status');
    const w = window.__linreg = {
        version: 0, changedAt: performance.now(), src: img.src, keydowns: [],
        pointerups: [], kernel: [], statusAt: performance.now(),
    };
    img.addEventListener('load', () => {
        if (img.src === w.src) return;
        w.src = img.src; w.version++; w.changedAt = performance.now();
    });
    document.addEventListener('keydown', () => w.keydowns.push(performance.now()), true);
    document.addEventListener('pointerup', () => w.pointerups.push(performance.now()), true);
    const app = window.jupyterapp, panel = app && app.shell.currentWidget;
    const session = panel && panel.sessionContext && panel.sessionContext.session;
    if (session && session.kernel) {
        session.kernel.statusChanged.connect((_, s) => w.kernel.push([performance.now(), s]));
    }
    if (status) {
        new MutationObserver(() => { w.statusAt = performance.now(); })
            .observe(status, {subtree: true, childList: true, characterData: true});
    }
}"""


def press_and_wait_for_redraw(page, handle, key: str) -> float:
    """Focus a slider ``handle``, press ``key``; wait for the figure to load a new picture
    (JS_WATCH_FIGURE installed); return the ms from the key press to that picture."""
    handle.focus()
    before = page.evaluate("() => window.__linreg.version")
    page.keyboard.press(key)
    try:
        page.wait_for_function("(v) => window.__linreg.version > v", arg=before,
                               timeout=REDRAW_MS, polling=10)
    except Exception as exc:
        raise AssertionError(f"after {key}, the figure did not load a new picture") from exc
    return page.evaluate("() => window.__linreg.changedAt - window.__linreg.keydowns.at(-1)")

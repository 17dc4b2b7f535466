"""Every widget of every notebook fits a laptop screen and reads well in both themes.

In a real JupyterLab (the fixtures of browser_support.py) with the file browser open, each
notebook that has widgets (both editions) is run once, and must have run clean; then, at each
browser viewport — a 1366×768 laptop (1366×640 once the browser's tabs and the taskbar are
taken), a 1280×800 one (1280×690) and a 1920×1080 desktop — every top-level widget is scrolled
to the top of the notebook's view and measured: its height against the notebook panel's visible
height, horizontal overflow of its output area, overlapping label/readout boxes, and every
figure inside its output area. A screenshot of each widget at each size goes to
tests/screenshots/layout/. At the desktop size the figures are no smaller than they were before
the layouts were made compact.

Then, in JupyterLab's Light and Dark themes, the text of every widget (labels, readouts,
buttons, the status line) must have a contrast ratio of at least 4.5:1 against its background.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from browser_support import (
    FIGURES,
    JS_FIGURE_STATS,
    SCREENSHOTS,
    WIDGET_MIME,
    WIDGET_NOTEBOOKS,
    check_all_ran_clean,
    check_figures_drawn,
    is_drawn,
    open_notebook,
    run_all,
    shutdown_kernel,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(1200)]

VIEWPORTS = ((1366, 640), (1280, 690), (1920, 1080))
#: Figure sizes (CSS px) at 1920×1080 that the compact layouts must not go below.
DESKTOP_FIGURE_MIN = {"04_training.ipynb": (640, 560)}
MIN_CONTRAST = 4.5


# The widget outputs of the open notebook, from its model (JupyterLab renders only the cells
# near the view): [cell index, which widget output of that cell], in notebook order.
JS_WIDGET_OUTPUTS = """() => {
    const WIDGET_MIME = '""" + WIDGET_MIME + """';
    const found = [];
    window.jupyterapp.shell.currentWidget.content.widgets.forEach((cell, i) => {
        const outputs = cell.model.outputs;
        let k = 0;
        for (let j = 0; outputs && j < outputs.length; j++) {
            const data = outputs.get(j).data;
            if (data && data[WIDGET_MIME]) found.push([i, k++]);
        }
    });
    return found;
}"""

# The root of one of those widgets (its view, placed directly in an output), once its cell
# has been scrolled to and rendered.
JS_ROOT = """async (cell, k) => {
    const notebook = window.jupyterapp.shell.currentWidget.content;
    for (let round = 0; round < 40; round++) {
        await notebook.scrollToItem(cell, 'start');
        const roots = notebook.widgets[cell].node.querySelectorAll(
            '.jp-OutputArea-output > .jupyter-widgets, '
            + '.jp-OutputArea-output > .jupyter-matplotlib');
        if (roots[k] && roots[k].getBoundingClientRect().height > 0) return roots[k];
        await new Promise(resolve => setTimeout(resolve, 150));
    }
    throw new Error(`widget ${k} of cell ${cell} did not render`);
}"""

JS_MEASURE = """async ([[cell, k], rootJs]) => {
    const root = await (eval(rootJs))(cell, k);
    const scroller = root.closest('.jp-WindowedPanel-outer');
    for (let round = 0, still = 0; round < 30 && still < 2; round++) {  // rendering moves it
        const off = root.getBoundingClientRect().top - scroller.getBoundingClientRect().top - 4;
        if (Math.abs(off) < 2) { still++; } else { still = 0; scroller.scrollTop += off; }
        await new Promise(resolve => setTimeout(resolve, 120));
    }
    const box = el => el.getBoundingClientRect();
    const shown = el => { const r = box(el); return r.width > 0 && r.height > 0; };
    const output = root.parentElement;
    const out = box(output), view = box(scroller), own = box(root);
    const labels = Array.from(root.querySelectorAll(
        '.widget-label, .widget-label-basic, .widget-readout, .widget-toggle-button, '
        + '.widget-dropdown select, button, .linreg-status')).filter(shown);
    const overlaps = [];
    for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) {
        const a = labels[i], b = labels[j];
        if (a.contains(b) || b.contains(a)) continue;
        const ra = box(a), rb = box(b);
        const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
        const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
        if (w > 1 && h > 1) overlaps.push([a.innerText.slice(0, 30), b.innerText.slice(0, 30)]);
    }
    const sticking = Array.from(root.querySelectorAll('*')).filter(shown)
        .filter(el => box(el).right > out.right + 1 || box(el).left < out.left - 1)
        .map(el => (el.className && el.className.baseVal === undefined ? el.className : el.tagName)
                   .toString().slice(0, 60));
    const canvases = Array.from(root.querySelectorAll('""" + FIGURES + """'))
        .map(figure => { const r = box(figure);
            // an <img> scaled with object-fit: contain shows its picture inside its box
            const scale = figure.naturalWidth ? Math.min(r.width / figure.naturalWidth,
                                                         r.height / figure.naturalHeight) : 1;
            return {width: figure.naturalWidth ? figure.naturalWidth * scale : r.width,
                    height: figure.naturalWidth ? figure.naturalHeight * scale : r.height,
                    inside: r.left >= out.left - 1 && r.right <= out.right + 1
                            && r.top >= out.top - 1 && r.bottom <= out.bottom + 1}; });
    return {height: own.height, visible: view.bottom - own.top,
            panel: scroller.clientHeight, overflowX: output.scrollWidth - output.clientWidth,
            sticking: [...new Set(sticking)].slice(0, 5), overlaps, canvases};
}"""

JS_CONTRAST = """async ([[cell, k], rootJs]) => {
    const root = await (eval(rootJs))(cell, k);
    const rgba = s => { const m = s.match(/[\\d.]+/g).map(Number);
        return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
    const over = (top, alpha, under) => top.map((v, i) => v * alpha + under[i] * (1 - alpha));
    const background = el => {  // composite the backgrounds from the page down to el
        const chain = [];
        for (let n = el; n; n = n.parentElement) {
            chain.push(rgba(getComputedStyle(n).backgroundColor));
        }
        let colour = [255, 255, 255];
        for (const [r, g, b, a] of chain.reverse()) colour = over([r, g, b], a, colour);
        return colour;
    };
    const lum = ([r, g, b]) => { const c = v => { v /= 255;
        return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * c(r) + 0.7152 * c(g) + 0.0722 * c(b); };
    const results = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
        const el = t.parentElement;
        if (!t.textContent.trim()) continue;
        const r = el.getBoundingClientRect();
        if (!r.width || !r.height || getComputedStyle(el).visibility === 'hidden') continue;
        const [fr, fg, fb, fa] = rgba(getComputedStyle(el).color);
        const bg = background(el);
        const fgc = over([fr, fg, fb], fa, bg);
        const [l1, l2] = [lum(fgc), lum(bg)].sort((a, b) => b - a);
        results.push({text: t.textContent.trim().slice(0, 40), ratio: (l1 + 0.05) / (l2 + 0.05)});
    }
    return results;
}"""

JS_FILE_BROWSER_OPEN = """async () => {
    const app = window.jupyterapp;
    if (app.shell.leftCollapsed) await app.commands.execute('filebrowser:activate');
    return !app.shell.leftCollapsed;
}"""

JS_SET_THEME = """async (theme) => {
    await window.jupyterapp.commands.execute('apputils:change-theme', {theme});
    for (let i = 0; i < 100; i++) {
        if (document.body.dataset.jpThemeName === theme) break;
        await new Promise(resolve => setTimeout(resolve, 100));
    }
    await new Promise(resolve => setTimeout(resolve, 500));  // the theme's CSS applies
    return document.body.dataset.jpThemeName;
}"""


@pytest.fixture(scope="module", params=WIDGET_NOTEBOOKS)
def widget_page(request, lab, browser):
    """A notebook with widgets after Run All, the file browser open, at a laptop size."""
    name = request.param
    width, height = VIEWPORTS[0]
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        open_notebook(page, lab, name)
        assert page.evaluate(JS_FILE_BROWSER_OPEN), "the file browser did not open"
        run_all(page)
        page.wait_for_timeout(1000)
        yield name, page
        shutdown_kernel(page)
    finally:
        context.close()


def _screenshot(page, name: str, index: int, size: tuple[int, int], suffix: str = "") -> Path:
    folder = SCREENSHOTS / "layout"
    folder.mkdir(parents=True, exist_ok=True)
    stem = name.removesuffix(".ipynb").replace("/", "_")
    path = folder / f"{stem}_widget{index}_{size[0]}x{size[1]}{suffix}.png"
    page.screenshot(path=str(path))
    return path


def _problems(m: dict) -> list[str]:
    found = []
    if m["height"] > m["panel"] + 0.5 or m["visible"] < m["height"] - 0.5:
        found.append(f"{m['height']:.0f} px tall in a {m['panel']:.0f} px notebook view")
    if m["overflowX"] > 1 or m["sticking"]:
        found.append(f"wider than its output area by {m['overflowX']} px ({m['sticking']})")
    if m["overlaps"]:
        found.append(f"overlapping labels/readouts {m['overlaps'][:4]}")
    if any(not c["inside"] for c in m["canvases"]):
        found.append("a figure sticks out of its output area")
    return found


def test_notebook_runs_clean_in_jupyterlab(widget_page):
    """Its Run All (the fixture's): every cell ran, none raised, every widget rendered and
    every figure is drawn (the other notebooks: test_notebooks_in_jupyterlab.py)."""
    name, page = widget_page
    check_all_ran_clean(page, name)
    check_figures_drawn(page, name)


def test_every_widget_fits_laptop_and_desktop_screens(widget_page):
    name, page = widget_page
    outputs = page.evaluate(JS_WIDGET_OUTPUTS)
    count = len(outputs)
    assert count, f"{name}: no widgets rendered"
    failures, sizes = [], {}
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(800)
        for index in range(count):
            m = page.evaluate(JS_MEASURE, [outputs[index], JS_ROOT])
            _screenshot(page, name, index, (width, height))
            sizes[(width, index)] = m["canvases"]
            failures += [f"{width}×{height}, widget {index}: {p}" for p in _problems(m)]
    minimum = DESKTOP_FIGURE_MIN.get(name)
    if minimum:
        biggest = max((c["width"], c["height"]) for index in range(count)
                      for c in sizes[(1920, index)])
        if biggest[0] < minimum[0] - 1 or biggest[1] < minimum[1] - 1:
            failures.append(f"1920×1080: the figure is {biggest[0]:.0f}×{biggest[1]:.0f} px, "
                            f"smaller than {minimum[0]}×{minimum[1]}")
    print(f"\n[layout] {name}: {count} widget(s); canvas sizes (px) by width: " + json.dumps(
        {f"{w}/{i}": [(round(c['width']), round(c['height'])) for c in v]
         for (w, i), v in sizes.items()}))
    assert not failures, f"{name}:\n" + "\n".join(failures)


@pytest.mark.parametrize("theme", ["JupyterLab Light", "JupyterLab Dark"])
def test_widget_text_is_readable_in_both_themes(widget_page, theme):
    name, page = widget_page
    page.set_viewport_size({"width": 1366, "height": 640})
    assert page.evaluate(JS_SET_THEME, theme) == theme
    try:
        weak = []
        outputs = page.evaluate(JS_WIDGET_OUTPUTS)
        for index, output in enumerate(outputs):
            page.evaluate(JS_MEASURE, [output, JS_ROOT])  # scroll it into view
            _screenshot(page, name, index, (1366, 640), "_" + re.sub(r"\W+", "", theme))
            weak += [(index, r["text"], round(r["ratio"], 2))
                     for r in page.evaluate(JS_CONTRAST, [output, JS_ROOT])
                     if r["ratio"] < MIN_CONTRAST]
        assert not weak, (f"{name} in {theme}: text below {MIN_CONTRAST}:1 contrast "
                          f"(widget, text, ratio): {weak[:8]}")
    finally:
        page.evaluate(JS_SET_THEME, "JupyterLab Light")


# The figures of the notebook shown (its panel; not the file browser's).
VISIBLE_PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"


def _figures(page) -> list[dict]:
    return page.evaluate(JS_FIGURE_STATS, VISIBLE_PANEL)


def test_resizing_the_window_rescales_without_redrawing(widget_page):
    """The browser scales the figures (CSS, screen_fit): a window resized back and forth
    sends nothing to the kernel and loads no new picture — so it cannot race the pictures
    (issue 15) — and at every size every figure shows the same, drawn picture, never an
    empty box."""
    name, page = widget_page
    before = _figures(page)
    if not before:
        pytest.skip(f"{name} has no figure in a widget")
    widths, empty = set(), []
    for _ in range(2):
        for width, height in (*VIEWPORTS, (1024, 600)):
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(250)
            now = _figures(page)
            widths.add(round(now[0]["cssWidth"]))
            empty += [((width, height), i, f) for i, f in enumerate(now)
                      if not is_drawn(f) or f["cssWidth"] < 50 or f["cssHeight"] < 50]
    page.set_viewport_size({"width": VIEWPORTS[0][0], "height": VIEWPORTS[0][1]})
    page.wait_for_timeout(500)
    after = _figures(page)
    assert len(widths) > 1, f"{name}: the figure kept one size on every screen: {widths}"
    assert not empty, f"{name}: a figure was empty or blank while resizing: {empty[:4]}"
    picture = [(f["width"], f["height"], f["hash"]) for f in before]
    assert [(f["width"], f["height"], f["hash"]) for f in after] == picture, (
        f"{name}: the pictures changed when the window did: {before} {after}")
    assert all(is_drawn(f) for f in after), f"{name}: a figure is blank: {after}"

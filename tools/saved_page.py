"""Write a notebook as an HTML page that shows its widgets with no kernel and no network.

Usage: python tools/saved_page.py [--execute] notebooks/04_training.ipynb build/04_training.html

``jupyter nbconvert --to html`` embeds the notebook's saved widget state, but its page loads
the widget renderer (@jupyter-widgets/html-manager's dist/embed-amd.js) and require.js from
CDNs. This writes the page with both taken from a folder beside it, ``page-assets/``, copied
from tools/page/node_modules (``npm ci`` there installs them from the npm registry, as pinned
by tools/page/package-lock.json; ``make page`` does it). ``--execute`` runs the notebook
first (a fresh kernel, in its own folder), so the state is that of a run top to bottom.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import ExecutePreprocessor

NODE_MODULES = Path(__file__).resolve().parent / "page" / "node_modules"
HTML_MANAGER = NODE_MODULES / "@jupyter-widgets" / "html-manager" / "dist"
REQUIRE_JS = NODE_MODULES / "requirejs" / "require.js"
ASSETS = "page-assets"


def copy_assets(folder: Path) -> Path:
    """Copy the widget renderer (with its fonts) and require.js into ``folder``/page-assets."""
    if not (HTML_MANAGER / "embed-amd.js").is_file() or not REQUIRE_JS.is_file():
        raise SystemExit(f"the widget renderer is not installed in {NODE_MODULES}: run "
                         "`npm ci` in tools/page (or `make page`, which does it)")
    assets = folder / ASSETS
    shutil.copytree(HTML_MANAGER, assets, dirs_exist_ok=True)
    shutil.copy2(REQUIRE_JS, assets / "require.js")
    return assets


def write_page(notebook: Path, page: Path, execute: bool = False) -> Path:
    """Write ``notebook`` (run first if ``execute``) as ``page``, its assets beside it."""
    nb = nbformat.read(notebook, as_version=4)
    if execute:  # store_widget_state (on by default) keeps the widgets' state in metadata
        ExecutePreprocessor(timeout=600, kernel_name="python3").preprocess(
            nb, {"metadata": {"path": str(notebook.parent)}})
    if "widgets" not in nb.metadata:
        raise SystemExit(f"{notebook} holds no widget state: execute it (--execute)")
    page.parent.mkdir(parents=True, exist_ok=True)
    copy_assets(page.parent)
    exporter = HTMLExporter(widget_renderer_url=f"{ASSETS}/embed-amd.js",
                            require_js_url=f"{ASSETS}/require.js")
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": notebook.stem}})
    page.write_text(body, encoding="utf-8")
    return page


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--execute", action="store_true", help="run the notebook first")
    parser.add_argument("notebook", type=Path)
    parser.add_argument("page", type=Path)
    args = parser.parse_args(argv)
    page = write_page(args.notebook, args.page, args.execute)
    print(f"wrote {page} (open it in a browser: no kernel or network needed)")


if __name__ == "__main__":
    main(sys.argv[1:])

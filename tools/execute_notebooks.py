"""Re-execute notebooks in place, top to bottom in a fresh kernel, for fresh stored outputs.

A tqdm bar in a notebook is a widget whose plain-text form is taken when it is first shown
(``0%``): :func:`finish_progress_bars` writes the bar's last state, from the stored widget
state, into that text, so a front end without widgets (GitHub's view) shows the finished bar.
``tests/nbval_sanitize.cfg`` masks a bar's state on both sides of the notebook check.

Usage: python tools/execute_notebooks.py notebooks/01_data.ipynb [...]
"""

from __future__ import annotations

import html
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute(path: Path) -> float:
    """Run one notebook with its folder as working directory; return the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    finish_progress_bars(nb)
    nbformat.write(nb, path)
    return time.perf_counter() - start


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
#: How many characters wide tqdm draws its bar in plain text (its default for an unknown width).
BAR_WIDTH = 10


def finish_progress_bars(nb) -> int:
    """Give every tqdm bar's plain text its last state (``desc: 100%|██████████| 200/200 …``),
    read from the notebook's widget state; returns how many bars were rewritten."""
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    rewritten = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            final = view and _bar_text(state, view["model_id"])
            if final:
                output["data"]["text/plain"] = final
                rewritten += 1
    return rewritten


def _bar_text(state: dict, model_id: str):
    """The text of the tqdm bar ``model_id`` (an HBox of HTML, FloatProgress, HTML), or None."""
    box = state.get(model_id, {})
    if box.get("model_name") != "HBoxModel":
        return None
    parts = [state.get(child.replace("IPY_MODEL_", ""), {})
             for child in box.get("state", {}).get("children", [])]
    if [part.get("model_name") for part in parts] != ["HTMLModel", "FloatProgressModel",
                                                      "HTMLModel"]:
        return None
    left, bar, right = (part.get("state", {}) for part in parts)
    value, total = bar.get("value"), bar.get("max")
    if value is None or not total:
        return None
    filled = round(BAR_WIDTH * min(value / total, 1.0))
    words = [html.unescape(side.get("value", "")).replace("\u2007", " ") for side in (left, right)]
    return f"{words[0]}|{'█' * filled}{' ' * (BAR_WIDTH - filled)}|{words[1]}"


def main(paths: list[str]) -> None:
    for name in paths:
        seconds = execute(Path(name))
        print(f"executed {name} in {seconds:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])

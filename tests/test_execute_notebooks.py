"""tools/execute_notebooks.py: a tqdm bar's stored plain text is its last state, not ``0%``."""

import re
from pathlib import Path

import nbformat
import pytest
from execute_notebooks import finish_progress_bars
from nbval.plugin import get_sanitize_patterns

ROOT = Path(__file__).resolve().parents[1]
BAR = re.compile(r"\d+%\|")
FIRST = "epochs:   0%|          | 0/200 [00:00<?, ?it/s]"


def _notebook(value: float, total: float = 200.0):
    """A notebook whose one output is a tqdm bar at ``value`` of ``total``, plus an HBox that
    is not a bar."""
    def html(text):
        return {"model_name": "HTMLModel", "state": {"value": text}}
    state = {
        "bar": {"model_name": "HBoxModel",
                "state": {"children": ["IPY_MODEL_left", "IPY_MODEL_progress", "IPY_MODEL_right"]}},
        "left": html("epochs:\u2007" + f"{100 * value / total:3.0f}%"),
        "progress": {"model_name": "FloatProgressModel", "state": {"value": value, "max": total}},
        "right": html(f"\u2007{value:.0f}/{total:.0f}\u2007[00:01&lt;00:00,\u2007135.55it/s]"),
        "other": {"model_name": "HBoxModel", "state": {"children": ["IPY_MODEL_left"]}},
    }
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": state}}
    cell = nbformat.v4.new_code_cell("for _ in tqdm(range(200)): pass")
    cell.outputs = [nbformat.v4.new_output("display_data", data={
        "application/vnd.jupyter.widget-view+json": {"model_id": model}, "text/plain": FIRST})
        for model in ("bar", "other")]
    nb.cells.append(cell)
    return nb


@pytest.mark.parametrize(("value", "expected"), [
    (200.0, "epochs: 100%|██████████| 200/200 [00:01<00:00, 135.55it/s]"),
    (100.0, "epochs:  50%|█████     | 100/200 [00:01<00:00, 135.55it/s]"),
])
def test_a_bar_gets_its_last_state_and_other_widgets_stay(value, expected):
    nb = _notebook(value)
    assert finish_progress_bars(nb) == 1
    bar, other = nb.cells[0].outputs
    assert bar.data["text/plain"] == expected
    assert other.data["text/plain"] == FIRST  # not a bar: untouched


def test_stored_bars_show_their_last_state():
    bars = []
    for path in sorted((ROOT / "notebooks").rglob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                text = output.get("data", {}).get("text/plain", "")
                if BAR.search(text):
                    bars.append((path.name, text))
    assert bars, "08 shows two tqdm bars"
    assert all("100%|██████████|" in text for _, text in bars), bars


def test_the_notebook_check_masks_a_bars_state():
    patterns = get_sanitize_patterns((ROOT / "tests" / "nbval_sanitize.cfg").read_text())

    def sanitize(text):
        for regex, replace in patterns:  # as nbval applies them
            text = re.sub(regex, replace, text)
        return text

    last = "epochs: 100%|██████████| 200/200 [00:01<00:00, 135.55it/s]"
    assert sanitize(FIRST) == sanitize(last) != sanitize("loss: 100% lower")

"""tools/nbval_floats.py: notebook outputs compared with a float tolerance, strictly otherwise."""

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbval_floats import floats_close, last_digit_unit, reconcile, reconcile_outputs

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("stored", "fresh"), [
    ("loss = 1.1499", "loss = 1.1500"),
    ("at epoch 99: 8275276.0000", "at epoch 99: 8275290.5000"),
    ("final loss 4.62e-10", "final loss 4.90e-10"),
    ("b = -0.0000", "b = 0.0000"),
    ("w = 1.9999, b = 0.0002\nloss 3.2e-08", "w = 2.0000, b = 0.0001\nloss 3.1e-08"),
])
def test_round_off_is_accepted(stored, fresh):
    assert reconcile(stored, fresh) == stored


@pytest.mark.parametrize(("stored", "fresh"), [
    ("loss = 44.3605", "loss = 45.3605"),
    ("loss = 0.0155", "loss = 0.0165"),
    ("the loss converged", "the loss diverged"),
    ("line 1\nline 2", "line 1"),
    ("line 1", "line 1\nline 2"),
    ("shape (3, 1)", "shape (3,)"),
    ("diverged: True", "diverged: False"),
    ("epochs: 123", "epochs: 124"),
    ("w = 1.5000 b = 0.5000", "w = 1.5000 b = 0.5000 c = 0.1000"),
    ("torch 2.13.0", "torch 2.13.1"),
])
def test_real_changes_are_kept(stored, fresh):
    assert reconcile(stored, fresh) != stored


def test_tolerance_rule():
    assert last_digit_unit("1.1499") == pytest.approx(1e-4)
    assert last_digit_unit("4.62e-10") == pytest.approx(1e-12)
    assert last_digit_unit("8.28e+06") == pytest.approx(1e4)
    assert floats_close("0.0100", "0.0101") and not floats_close("0.0100", "0.0103")
    assert floats_close("1.0000", "1.0009") and not floats_close("1.0000", "1.0011")
    assert floats_close("1000.0", "1001.0") and not floats_close("1000.0", "1001.1")
    assert floats_close("1.0e-9", "9.0e-9") and not floats_close("1.0e-7", "9.0e-7")


def test_only_close_floats_are_replaced():
    fresh = reconcile("a 1.0000 b 2.0000", "a 1.0001 b 2.5000")
    assert fresh == "a 1.0000 b 2.5000"  # nbval then reports b's real change


def test_outputs_are_paired_like_nbval_pairs_them():
    def stream(name, text):
        return nbformat.v4.new_output("stream", name=name, text=text)

    stored = [stream("stdout", "x 1.1499\n"), stream("stderr", "warn 2.0000\n"),
              nbformat.v4.new_output("execute_result", {"text/plain": "0.5000"})]
    fresh = [stream("stdout", "x 1.1500\n"), stream("stderr", "warn 2.0001\n"),
             nbformat.v4.new_output("execute_result", {"text/plain": "0.5001"})]
    reconciled = reconcile_outputs(fresh, stored)
    assert [o.get("text", o.get("data")) for o in reconciled] == [
        "x 1.1499\n", "warn 2.0000\n", {"text/plain": "0.5000"}]
    assert fresh[0]["text"] == "x 1.1500\n"  # the fresh outputs themselves are untouched


def _notebook(tmp_path, stored_text, code):
    cell = nbformat.v4.new_code_cell(code)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=stored_text)]
    cell.execution_count = 1
    path = tmp_path / "check.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
    return path


@pytest.mark.slow  # starts two kernels
@pytest.mark.parametrize(("stored", "passes"), [("1.1499\n", True), ("1.1520\n", False)])
def test_nbval_uses_the_tolerance(tmp_path, stored, passes):
    """A real nbval run of a notebook outside the repository, with the plugin loaded by -p."""
    path = _notebook(tmp_path, stored, "print(f'{1.15:.4f}')")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tools")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", str(path), "--nbval", "--nbval-current-env", "-q",
         "-p", "no:cacheprovider", "-p", "nbval_floats", f"--rootdir={tmp_path}"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env)
    assert (result.returncode == 0) == passes, result.stdout[-2000:]

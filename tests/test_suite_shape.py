"""The test suite's own shape: no test module imports another (what tests share lives in
conftest.py or a plain helper module of tests/), and tools/ is imported one way."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def imported_modules(path: Path) -> set[str]:
    """The top-level names of the modules ``path`` imports, anywhere in it."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_imported_modules_sees_plain_and_from_imports(tmp_path):
    source = tmp_path / "test_x.py"
    source.write_text("import a.b, c\nfrom d.e import f\nfrom . import g\n"
                      "def h():\n    import test_other\n")
    assert imported_modules(source) == {"a", "c", "d", "test_other"}


def test_no_test_module_imports_another():
    test_modules = {path.stem for path in TESTS.glob("test_*.py")}
    importing = {path.name: sorted(imported_modules(path) & test_modules)
                 for path in sorted(TESTS.glob("*.py"))}
    assert {name: found for name, found in importing.items() if found} == {}, (
        "move what they share into tests/conftest.py or a helper module of tests/")


def path_tricks(path: Path) -> list[str]:
    """Where ``path`` reaches modules by hand: ``sys.path`` or loading a file as a module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Attribute) and node.attr == "path"
                and isinstance(node.value, ast.Name) and node.value.id == "sys"):
            found.append(f"sys.path at line {node.lineno}")
        name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)
        if name == "spec_from_file_location":
            found.append(f"spec_from_file_location at line {node.lineno}")
    return sorted(found, key=lambda where: int(where.rsplit(" ", 1)[1]))


def test_path_tricks_are_found(tmp_path):
    source = tmp_path / "test_x.py"
    source.write_text("import sys, importlib.util\n# sys.path in a comment is fine\n"
                      "sys.path.insert(0, 'tools')\n"
                      "importlib.util.spec_from_file_location('x', 'tools/x.py')\n")
    assert path_tricks(source) == ["sys.path at line 3", "spec_from_file_location at line 4"]


def test_tools_are_imported_plainly_never_by_path():
    """The root conftest.py puts tools/ on sys.path: tests write `import translations`."""
    tricks = {path.name: path_tricks(path) for path in sorted(TESTS.glob("*.py"))}
    assert {name: found for name, found in tricks.items() if found} == {}


def collected(marks: str, *paths: str) -> set[str]:
    """The test ids that ``pytest --collect-only -m MARKS`` selects among ``paths`` (with the
    notebook check on), as the Makefile's runs select them."""
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", marks, "--nbval",
         "--nbval-current-env", *paths], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 5), done.stdout + done.stderr  # 5: nothing selected
    return {line for line in done.stdout.splitlines() if "::" in line}


@pytest.mark.slow
def test_the_root_conftest_marks_notebook_cells_and_the_notebooks_that_launch_serial():
    """`make check` selects the notebook checks by `notebook`; `make test` keeps the `serial`
    ones (09's torchrun launches, both editions) away from the browser tests."""
    launching = sorted(str(path.relative_to(ROOT)) for path in ROOT.glob("notebooks/**/*.ipynb")
                       if "from linreg_helpers.ddp import" in path.read_text(encoding="utf-8"))
    assert launching == ["notebooks/09_distributed.ipynb", "notebooks/zh/09_distributed.ipynb"]
    serial_cells = collected("notebook and serial", "notebooks")
    assert {test_id.split("::")[0] for test_id in serial_cells} == set(launching)
    code_cells = sum(cell["cell_type"] == "code" for cell in json.loads(
        (ROOT / launching[0]).read_text(encoding="utf-8"))["cells"])
    assert sum(test_id.startswith(launching[0] + "::") for test_id in serial_cells) == code_cells
    # A test module's tests are no notebook cells; 01's cells are notebook cells, not serial.
    first = collected("notebook and not serial", "tests/test_data.py", "notebooks/01_data.ipynb")
    assert first and all(test_id.startswith("notebooks/01_data.ipynb::") for test_id in first)

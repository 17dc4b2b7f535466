"""The package as pip installs it: the wheel carries every module and data file of
linreg_helpers/, imports from an installation of that wheel alone, and pyproject.toml's
dependencies are what the package imports."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "linreg_helpers"
#: What a checkout holds that is not source: left out of the copy the wheel is built from.
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "__pycache__",
                                    ".pytest_cache", ".ruff_cache", ".gl", "screenshots",
                                    ".coverage")


def package_files() -> list[str]:
    """Every file of linreg_helpers/ (modules and data), as paths inside a wheel."""
    return sorted(str(path.relative_to(ROOT).as_posix()) for path in PACKAGE.rglob("*")
                  if path.is_file() and "__pycache__" not in path.parts)


def module_names() -> list[str]:
    """The dotted name of every module of linreg_helpers/ (a package by its __init__)."""
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _normal(name: str) -> str:
    """A distribution's name as PyPI compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    caught = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(c, ast.Name) and c.id in ("ImportError", "ModuleNotFoundError")
               for c in caught)


def third_party_imports(source: str) -> tuple[set[str], set[str]]:
    """The top-level names of the non-stdlib modules ``source`` imports: (required, optional),
    optional ones being those imported inside a ``try`` that catches ImportError."""
    required, optional = set(), set()

    def visit(node: ast.AST, guarded: bool) -> None:
        if isinstance(node, ast.Try):
            body_guarded = guarded or any(_catches_import_error(h) for h in node.handlers)
            for child in node.body:
                visit(child, body_guarded)
            for child in [*node.handlers, *node.orelse, *node.finalbody]:
                visit(child, guarded)
            return
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for name in names:
            top = name.split(".")[0]
            if top not in sys.stdlib_module_names and top != "__future__":
                (optional if guarded else required).add(top)
        for child in ast.iter_child_nodes(node):
            visit(child, guarded)

    visit(ast.parse(source), False)
    return required, optional


def test_third_party_imports_see_nested_and_guarded_imports():
    source = ("import os, numpy.linalg\nfrom torch import nn\nfrom . import data\n"
              "def f():\n    from PIL import Image\n"
              "try:\n    import psutil\nexcept (OSError, ImportError):\n    import tqdm\n")
    assert third_party_imports(source) == ({"numpy", "torch", "PIL", "tqdm"}, {"psutil"})


def test_the_dependencies_are_what_the_package_imports():
    """Each module the package needs is listed (by its distribution's name: PIL is pillow),
    and each listed dependency is imported; an import guarded by ``except ImportError`` may
    be missing."""
    listed = {_normal(re.split(r"[\s<>=!~;\[]", dep, maxsplit=1)[0])
              for dep in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
                  "dependencies"]}
    required = set()
    for path in PACKAGE.rglob("*.py"):
        required |= third_party_imports(path.read_text(encoding="utf-8"))[0]
    required.discard("linreg_helpers")
    distributions = packages_distributions()
    unknown = sorted(name for name in required if name not in distributions)
    assert not unknown, f"imported by linreg_helpers but not installed: {unknown}"
    needed = {_normal(distributions[name][0]) for name in required}
    assert needed - listed == set(), "add these to pyproject.toml's dependencies"
    assert listed - needed == set(), "pyproject.toml lists these but the package never imports them"


def _built_wheel(tmp_path: Path) -> Path:
    """The wheel `pip wheel` builds from a copy of this checkout (a build in the checkout
    itself would write build/ there, and a stale build/ can slip old files into a wheel)."""
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "--quiet",
         "--wheel-dir", str(tmp_path / "dist"), str(source)],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    wheels = list((tmp_path / "dist").glob("linreg_helpers-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.mark.slow  # builds and installs a wheel, then imports torch from it in a subprocess
def test_the_wheel_carries_every_module_and_imports_from_its_installation(tmp_path):
    wheel = _built_wheel(tmp_path)
    with zipfile.ZipFile(wheel) as archive:
        inside = archive.namelist()
    carried = sorted(name for name in inside if ".dist-info/" not in name)
    assert carried == package_files()
    assert {name.split("/")[0] for name in inside} == {
        "linreg_helpers", wheel.name.split("-")[0] + "-" + wheel.name.split("-")[1] + ".dist-info"}

    target = tmp_path / "installed"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target),
         str(wheel)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    script = ("import importlib, json, sys\n"
              "print(json.dumps({name: importlib.import_module(name).__file__ "
              "for name in sys.argv[1:]}))")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, "-c", script, *module_names()], cwd=elsewhere,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    files = json.loads(done.stdout.splitlines()[-1])
    assert sorted(files) == module_names()
    outside = {name: file for name, file in files.items()
               if not Path(file).resolve().is_relative_to(target.resolve())}
    assert not outside, f"imported from outside the installed wheel: {outside}"

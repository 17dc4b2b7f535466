"""The package's shape: folders by audience, imports that only go one way, short functions.

Everything here is read from the source with ``ast`` (imports inside functions count too),
so it holds whatever a test run happens to import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "linreg_helpers"
MAX_LINES = 60
#: The lesson's core: plain computation, no figures and no widgets.
CORE = ("data", "model", "settings", "divergence", "training", "stepping", "analysis")
#: The folders by audience, and the top-level modules of the lesson (everything else).
AUDIENCES = ("widgets", "exercises", "i18n")


def module_name(path: Path) -> str:
    """``linreg_helpers/widgets/dashboard.py`` → ``linreg_helpers.widgets.dashboard``."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    """Every module of the package by its dotted name."""
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports_of(path: Path, known: frozenset[str] = frozenset()) -> set[str]:
    """The modules ``path`` imports, anywhere in it.

    ``from a import b`` imports the module ``a.b`` when that is one of ``known``, else ``a``
    (and then ``a.b`` is also listed, for names outside the package: ``matplotlib.pyplot``).
    """
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.update([full] if full in known else [node.module, full])
    return found


def package_graph() -> dict[str, set[str]]:
    """Module → the package's modules it imports (a package counts as its ``__init__``)."""
    names = frozenset(modules())
    return {name: {n for n in imports_of(path, names) if n in names} - {name}
            for name, path in modules().items()}


def group(name: str) -> str:
    """The audience of a module: widgets, exercises, i18n, or core (the top level)."""
    parts = name.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in AUDIENCES) else "core"


def test_no_function_is_longer_than_60_lines():
    long = []
    for path in modules().values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_LINES:
                    long.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name} "
                                f"({lines} lines)")
    assert not long, f"functions over {MAX_LINES} lines — split them: {long}"


@pytest.mark.parametrize("core", CORE)
def test_the_core_draws_nothing_and_shows_no_widget(core):
    imported = imports_of(PACKAGE / f"{core}.py")
    drawn = sorted(name for name in imported
                   if name.split(".")[0] in ("matplotlib", "ipywidgets", "IPython", "ipympl"))
    assert not drawn, f"linreg_helpers/{core}.py imports {drawn}: the core computes only"


def test_the_core_imports_no_widget_and_no_exercise():
    wrong = {name: sorted(n for n in imported if group(n) in ("widgets", "exercises"))
             for name, imported in package_graph().items() if group(name) in ("core", "i18n")}
    assert not {name: found for name, found in wrong.items() if found}


def test_widgets_and_exercises_do_not_import_each_other():
    graph = package_graph()
    for name, imported in graph.items():
        if group(name) == "widgets":
            assert not [n for n in imported if group(n) == "exercises"], name
        if group(name) == "exercises":
            assert not [n for n in imported if group(n) == "widgets"], name


def test_i18n_needs_only_itself():
    for name, imported in package_graph().items():
        if group(name) == "i18n":
            assert all(group(n) == "i18n" for n in imported), (name, imported)


def test_only_the_fonts_module_of_i18n_imports_matplotlib():
    for name, path in modules().items():
        if group(name) == "i18n" and name != "linreg_helpers.i18n.fonts":
            assert not any(n.startswith("matplotlib") for n in imports_of(path)), name


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import circle in ``graph`` (its modules in order, the first repeated), or []."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = "done"
        stack.pop()
        return []

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return []


def test_no_import_circle_in_the_package():
    assert find_cycle(package_graph()) == []


def test_the_cycle_finder_finds_a_circle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_imports_inside_functions(tmp_path):
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from linreg_helpers.widgets import dashboard\n"
                      "    from linreg_helpers import train\n")
    found = imports_of(source, frozenset(modules()))
    assert "linreg_helpers.widgets.dashboard" in found and "linreg_helpers.widgets" not in found
    assert "linreg_helpers" in found


def test_the_groups():
    assert group("linreg_helpers.training") == "core"
    assert group("linreg_helpers.widgets") == "widgets"
    assert group("linreg_helpers.widgets.dashboard") == "widgets"
    assert group("linreg_helpers.i18n.fonts") == "i18n"

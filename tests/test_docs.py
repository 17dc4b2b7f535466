"""The documentation: a short README, a module map that names every module, no broken links.

README.md is for the learner and stays at or under 10 KB; the maintainers' pages are in docs/.
docs/architecture.md has one table row per module of linreg_helpers/ (its path relative to
the package, in backticks, in the first cell). Every relative link of the READMEs and of
docs/*.md must point to a file or folder that exists, and a link to a heading of a markdown
file (``file.md#heading``) to a heading that is there.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "linreg_helpers"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
README_LIMIT = 10 * 1024  # bytes
PAGES = [ROOT / "README.md", ROOT / "README.zh-CN.md", *sorted((ROOT / "docs").glob("*.md"))]

FENCE = re.compile(r"^```.*?^```[^\n]*$", re.M | re.S)
CODE_SPAN = re.compile(r"`[^`\n]*`")
LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)")
TABLE_MODULE = re.compile(r"^\|\s*`([^`\s]+\.py)`\s*\|", re.M)
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)


def without_code(text: str) -> str:
    """Markdown text with fenced code blocks dropped and code spans blanked."""
    return CODE_SPAN.sub("code", FENCE.sub("", text))


def package_modules(package: Path = PACKAGE) -> set[str]:
    """Every module of the package as a path relative to it: ``widgets/dashboard.py``."""
    return {path.relative_to(package).as_posix() for path in package.rglob("*.py")}


def mapped_modules(text: str) -> set[str]:
    """The modules a module map names: the backticked ``.py`` path that opens a table row."""
    return set(TABLE_MODULE.findall(FENCE.sub("", text)))


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens."""
    plain = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return plain.replace(" ", "-")


def anchors(text: str) -> set[str]:
    """The anchors of a markdown file's headings (outside code blocks)."""
    return {slug(heading) for heading in HEADING.findall(FENCE.sub("", text))}


def relative_links(text: str) -> list[str]:
    """The targets of a markdown file's links that are not web addresses."""
    targets = LINK_TARGET.findall(without_code(text))
    return [t for t in targets if not re.match(r"[a-z][a-z0-9+.-]*:", t, re.I)]


def broken_links(page: Path) -> list[str]:
    """The relative links of ``page`` to a missing file, folder or heading, each with why."""
    text = page.read_text(encoding="utf-8")
    broken = []
    for target in relative_links(text):
        name, _, anchor = target.partition("#")
        path = (page.parent / name).resolve() if name else page
        if not path.exists():
            broken.append(f"{target} (no such file)")
        elif anchor and path.suffix == ".md" and anchor not in anchors(
                path.read_text(encoding="utf-8")):
            broken.append(f"{target} (no heading #{anchor} in {path.name})")
    return broken


# ---- the repository's pages --------------------------------------------------------------
def test_the_readme_is_at_most_10_kb():
    size = len((ROOT / "README.md").read_bytes())
    assert size <= README_LIMIT, (
        f"README.md is {size} bytes, over {README_LIMIT}: move maintainer text to docs/")


def test_the_architecture_page_maps_every_module_of_the_package():
    modules, mapped = package_modules(), mapped_modules(ARCHITECTURE.read_text(encoding="utf-8"))
    assert len(modules) > 20, modules  # the package was found
    missing, gone = sorted(modules - mapped), sorted(mapped - modules)
    assert not missing, f"docs/architecture.md lacks a table row for {missing}"
    assert not gone, f"docs/architecture.md maps modules that do not exist: {gone}"


def test_every_relative_link_of_the_docs_points_to_something_that_exists():
    assert {page.name for page in PAGES} >= {"install.md", "binder.md", "contributing.md",
                                             "architecture.md"}
    broken = {page.relative_to(ROOT).as_posix(): found
              for page in PAGES if (found := broken_links(page))}
    assert not broken, f"broken links: {broken}"


@pytest.mark.parametrize("readme", ["README.md", "README.zh-CN.md"])
def test_each_readme_links_to_every_page_of_docs(readme):
    links = {Path(t.partition("#")[0]).as_posix()
             for t in relative_links((ROOT / readme).read_text(encoding="utf-8"))}
    pages = {f"docs/{page.name}" for page in PAGES if page.parent.name == "docs"}
    assert pages <= links, f"{readme} does not link to {sorted(pages - links)}"


# ---- the checkers themselves --------------------------------------------------------------
def test_the_module_map_reader_sees_a_missing_and_a_stale_module(tmp_path):
    (tmp_path / "widgets").mkdir()
    for name in ("__init__.py", "data.py", "widgets/__init__.py", "widgets/live.py"):
        (tmp_path / name).write_text("")
    page = ("| module | what |\n|---|---|\n| `__init__.py` | front door |\n"
            "| `data.py` | the data, unlike `old.py` |\n| `widgets/__init__.py` | widgets |\n"
            "| `gone.py` | removed |\n```\n| `widgets/live.py` | in a code block |\n```\n")
    assert package_modules(tmp_path) - mapped_modules(page) == {"widgets/live.py"}
    assert mapped_modules(page) - package_modules(tmp_path) == {"gone.py"}


def test_the_link_checker_finds_missing_files_and_headings(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("# A page\n\n## The Chinese edition (中文版)\n")
    page = tmp_path / "README.md"
    page.write_text("[ok](docs/a.md) [ok](docs/a.md#the-chinese-edition-中文版) [ok](docs/)\n"
                    "[![b](https://x.org/b.svg)](https://x.org/?a=b) [self](#top)\n"
                    "# Top\n[missing](docs/b.md) [no heading](docs/a.md#nothing)\n"
                    "`[in code](nowhere.md)`\n```\n[in a block](nowhere.md)\n```\n")
    assert broken_links(page) == ["docs/b.md (no such file)",
                                  "docs/a.md#nothing (no heading #nothing in a.md)"]


def test_slugs_follow_github():
    assert slug("Run it in the browser, nothing to install (Binder)") == (
        "run-it-in-the-browser-nothing-to-install-binder")
    assert slug("`widgets/`: the live widgets") == "widgets-the-live-widgets"
    assert slug("Translations: the Chinese edition") == "translations-the-chinese-edition"

"""Keep the Chinese edition (notebooks/zh/) in step with the English notebooks, the source.

Every cell of a zh notebook records, in its metadata, the English cell it translates::

    "translation": {"source_hash": "<16 hex digits>", "source": "<the English source>"}

Commands (``python tools/translations.py COMMAND ...``):

``check``
    Fails (exit 1), naming notebook and cell, when an English notebook has no zh twin (or the
    other way round), a cell is missing or extra, an English cell changed since it was
    translated, a zh code cell differs from its English twin beyond string literals (of an
    f-string only its text, not its ``{fields}``), comments and the language line, or a title
    cell lacks the link to its twin, or a zh markdown paragraph breaks a line next to a Chinese
    character (browsers show that break as a stray space). Then the term check
    (tools/zh_terms.py): a variant that one word per concept replaces, in the zh notebooks,
    the zh message table or README.zh-CN.md.
``stale``
    For each stale cell: the English it was translated from and the English now, so that only
    those cells are translated again.
``new notebooks/NN_x.ipynb``
    Starts notebooks/zh/NN_x.ipynb: the English cells, each stamped with its source, and the
    language line first in the first code cell. Then translate it in place.
``accept notebooks/zh/NN_x.ipynb INDEX [INDEX ...]``
    After re-translating stale cells, records the English they now translate.
"""

from __future__ import annotations

import ast
import hashlib
import io
import re
import sys
import tokenize
from pathlib import Path

import nbformat
import zh_terms  # tools/ is on sys.path: this script's own folder

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = ROOT / "notebooks"
CHINESE = ENGLISH / "zh"
#: The one line a zh notebook adds: first in its first code cell.
LANGUAGE_LINE = 'from linreg_helpers import set_language; set_language("zh")'
KEY = "translation"
#: Chinese characters and full-width punctuation: a line break beside one is a stray space.
CJK = re.compile(r"[\u2014\u2026\u201c\u201d\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
#: Lines that start a markdown block of their own (a list item, a heading, a table row, HTML,
#: a fence, display maths): a break before them is not inside a paragraph.
BLOCK_START = re.compile(r"\s*([-*+] |\d+\. |#|\||>|<|```|\$\$)")
#: Lines that a paragraph never continues (a list item's first line can).
BLOCK_WHOLE = re.compile(r"\s*(#|\||<|```|\$\$)")


def soft_breaks(markdown: str) -> list[int]:
    """The lines (1-based) of ``markdown`` that continue a paragraph after a line break with a
    Chinese character on either side of it (outside code fences)."""
    found, fenced, previous = [], False, ""
    for number, line in enumerate(markdown.split("\n"), start=1):
        if line.lstrip().startswith("```"):
            fenced, previous = not fenced, ""
            continue
        if (not fenced and previous.strip() and line.strip() and not BLOCK_START.match(line)
                and not BLOCK_WHOLE.match(previous) and not previous.endswith("  ")
                and (CJK.match(previous[-1]) or CJK.match(line.lstrip()[0]))):
            found.append(number)
        previous = "" if fenced else line
    return found


def source_hash(cell) -> str:
    """A fingerprint of an English cell: its type and source."""
    text = f"{cell.cell_type}\x00{cell.source}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def code_shape(source: str) -> list[tuple[int, str]]:
    """The tokens of ``source`` with the text of every string literal masked, comments dropped.

    An f-string keeps its replacement fields (``{value!r:.2f}``, with the strings inside them
    masked in turn): only its text may be translated. Lines of IPython syntax (``%magic``,
    ``!command``) are kept verbatim as one token each.
    """
    shape: list[tuple[int, str]] = []
    python_lines = []
    for line in source.splitlines():
        if line.lstrip().startswith(("%", "!")):
            shape.append((-1, line.strip()))
            python_lines.append("")
        else:
            python_lines.append(line)
    text = "\n".join(python_lines) + "\n"
    depth, start = 0, (0, 0)  # inside an f-string (Python 3.12 splits them into several tokens)
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        name = tokenize.tok_name[token.type]
        if name == "FSTRING_START":
            depth += 1
            start = token.start if depth == 1 else start
            continue
        if name == "FSTRING_END":
            depth -= 1
            if depth == 0:
                shape.append((tokenize.STRING, _string_shape(_between(text, start, token.end))))
            continue
        if depth or token.type in (tokenize.COMMENT, tokenize.NL, tokenize.ENDMARKER):
            continue
        is_string = token.type == tokenize.STRING
        shape.append((token.type, _string_shape(token.string) if is_string else token.string))
    return shape


def _between(text: str, start: tuple[int, int], end: tuple[int, int]) -> str:
    """The part of ``text`` from ``start`` to ``end`` (tokenize's (row, column) positions)."""
    lines = text.split("\n")[start[0] - 1:end[0]]
    lines[-1] = lines[-1][:end[1]]
    lines[0] = lines[0][start[1]:]
    return "\n".join(lines)


class _MaskStrings(ast.NodeTransformer):
    def visit_Constant(self, node: ast.Constant) -> ast.Constant:
        return ast.Constant("<str>") if isinstance(node.value, str) else node


def _string_shape(literal: str) -> str:
    """``<str>`` for a string literal; an f-string adds its replacement fields."""
    node = ast.parse(literal.strip(), mode="eval").body
    if not isinstance(node, ast.JoinedStr):
        return "<str>"
    fields = [ast.dump(ast.FormattedValue(_MaskStrings().visit(value.value), value.conversion,
                                          value.format_spec))
              for value in node.values if isinstance(value, ast.FormattedValue)]
    return "<str" + "".join(fields) + ">"


def without_language_line(source: str) -> str:
    """A zh first code cell's source, its language line removed."""
    lines = source.split("\n")
    if lines and lines[0].strip() == LANGUAGE_LINE:
        return "\n".join(lines[1:])
    return source


def twin(path: Path) -> Path:
    """The other edition's notebook of the same name."""
    return ENGLISH / path.name if path.parent == CHINESE else CHINESE / path.name


def _read(path: Path):
    return nbformat.read(path, as_version=4)


def _first_code(nb) -> int | None:
    return next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), None)


def problems(english_path: Path, zh_path: Path) -> list[str]:
    """Everything that keeps the zh notebook from being in step with the English one."""
    english, chinese = _read(english_path), _read(zh_path)
    name = f"zh/{zh_path.name}"
    found = []
    if len(english.cells) != len(chinese.cells):
        found.append(f"{name}: {len(chinese.cells)} cells, the English has "
                     f"{len(english.cells)} — a cell is missing or extra")
    first_code = _first_code(chinese)
    for index, (en, zh) in enumerate(zip(english.cells, chinese.cells)):
        where = f"{name}, cell {index}"
        record = zh.metadata.get(KEY, {})
        if en.cell_type != zh.cell_type:
            found.append(f"{where}: a {zh.cell_type} cell where the English has {en.cell_type}")
            continue
        if record.get("source_hash") != source_hash(en):
            found.append(f"{where}: the English cell changed since it was translated "
                         f"(python tools/translations.py stale)")
        breaks = soft_breaks(zh.source) if zh.cell_type == "markdown" else []
        if breaks:
            found.append(f"{where}: a line break inside a Chinese paragraph (line "
                         f"{', '.join(map(str, breaks))}) shows as a stray space: join the lines")
        if en.cell_type == "code":
            zh_source = (without_language_line(zh.source) if index == first_code
                         else zh.source)
            try:
                same = code_shape(en.source) == code_shape(zh_source)
            except (tokenize.TokenError, SyntaxError, IndentationError) as exc:
                found.append(f"{where}: the code does not tokenize ({exc})")
                continue
            if not same:
                found.append(f"{where}: the code differs from the English beyond strings and "
                             "comments")
    if first_code is not None and not chinese.cells[first_code].source.startswith(
            LANGUAGE_LINE):
        found.append(f"{name}, cell {first_code}: the first code cell must start with "
                     f"{LANGUAGE_LINE!r}")
    if english.cells and f"zh/{english_path.name}" not in english.cells[0].source:
        found.append(f"{english_path.name}, cell 0: the title cell does not link to its Chinese "
                     f"twin zh/{english_path.name}")
    if chinese.cells and f"../{english_path.name}" not in chinese.cells[0].source:
        found.append(f"{name}, cell 0: the title cell does not link to its English twin "
                     f"../{english_path.name}")
    return found


def check(english_dir: Path = ENGLISH, zh_dir: Path = CHINESE) -> list[str]:
    """The problems of the whole Chinese edition (empty when it is in step)."""
    english = {p.name for p in english_dir.glob("*.ipynb")}
    chinese = {p.name for p in zh_dir.glob("*.ipynb")}
    found = [f"{n}: no Chinese twin zh/{n} (python tools/translations.py new notebooks/{n})"
             for n in sorted(english - chinese)]
    found += [f"zh/{n}: no English notebook of that name" for n in sorted(chinese - english)]
    for n in sorted(english & chinese):
        found += problems(english_dir / n, zh_dir / n)
    return found


def stale(english_dir: Path = ENGLISH, zh_dir: Path = CHINESE) -> str:
    """The old and the new English of every cell whose English changed since its translation."""
    parts = []
    for zh_path in sorted(zh_dir.glob("*.ipynb")):
        english_path = english_dir / zh_path.name
        if not english_path.exists():
            continue
        english, chinese = _read(english_path), _read(zh_path)
        for index, (en, zh) in enumerate(zip(english.cells, chinese.cells)):
            record = zh.metadata.get(KEY, {})
            if record.get("source_hash") != source_hash(en):
                parts.append(f"=== zh/{zh_path.name}, cell {index} ({en.cell_type})\n"
                             f"--- English when translated:\n{record.get('source', '(none)')}\n"
                             f"--- English now:\n{en.source}\n")
    return "\n".join(parts)


def stamp(zh_cell, english_cell) -> None:
    """Record in ``zh_cell`` which English source it translates."""
    zh_cell.metadata[KEY] = {"source_hash": source_hash(english_cell),
                             "source": english_cell.source}


def new(english_path: Path, zh_dir: Path = CHINESE) -> Path:
    """Start the zh twin of ``english_path``: stamped English cells, the language line added."""
    nb = _read(english_path)
    for cell in nb.cells:
        stamp(cell, cell)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    first = _first_code(nb)
    if first is not None:
        nb.cells[first].source = LANGUAGE_LINE + "\n" + nb.cells[first].source
    zh_dir.mkdir(parents=True, exist_ok=True)
    target = zh_dir / english_path.name
    nbformat.write(nb, target)
    return target


def accept(zh_path: Path, indices: list[int], english_dir: Path = ENGLISH) -> None:
    """Record the current English of cells ``indices`` as what they now translate."""
    english, chinese = _read(english_dir / zh_path.name), _read(zh_path)
    for index in indices:
        stamp(chinese.cells[index], english.cells[index])
    nbformat.write(chinese, zh_path)


def main(argv: list[str]) -> int:
    command, *args = argv or ["check"]
    if command == "check":
        found = check() + zh_terms.check()
        for line in found:
            print(line)
        print(f"{len(found)} problem(s)" if found
              else "the Chinese edition is in step and keeps one word per concept")
        return 1 if found else 0
    if command == "stale":
        print(stale() or "no stale cells")
        return 0
    if command == "new" and len(args) == 1:
        print(f"wrote {new(Path(args[0])).relative_to(ROOT)}: translate it in place")
        return 0
    if command == "accept" and len(args) >= 2:
        accept(Path(args[0]), [int(i) for i in args[1:]])
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

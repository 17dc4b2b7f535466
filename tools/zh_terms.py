"""One Chinese word per concept: the series' term list ("One word per concept") as data.

Each :class:`Term` names a concept, the word the Chinese edition uses for it and the variants that
word replaces, as regular expressions written to match the variant as a word (轮数 but not a
轮 inside 轮次; 周期 but not the training cycle 训练周期, unless counted: 「51 个训练周期」).
:data:`ALLOWED` lists the quotations where a variant stays (the lesson's own words, another
book's term given as such). :func:`check` reads the learner-facing Chinese text — the zh
notebooks' markdown and their code cells' strings and comments, the zh message table and
README.zh-CN.md — and names file, cell (or line), the variant and the word to use.
``python tools/translations.py check`` runs it after the cell check.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
CHINESE = ROOT / "notebooks" / "zh"
TABLE = ROOT / "linreg_helpers" / "i18n" / "zh.py"
README = ROOT / "README.zh-CN.md"


@dataclass(frozen=True)
class Term:
    """A concept, the one word used for it, and the variants (regular expressions) it replaces."""

    concept: str
    word: str
    variants: tuple[str, ...]


#: A count or an ordinal before a word: 「51 个」, 「每个」, 「第 3 个」, 「{n} 个」.
_COUNTED = r"(?:个|每一?|第)\s*"

TERMS: tuple[Term, ...] = (
    Term("epoch", "轮次",
         (r"轮数", r"(?<!训练)周期", rf"{_COUNTED}训练周期", r"训练周期数")),
    Term("the stable-lr bound 2/λmax", "上界", (r"界限", r"边界", r"极限", r"上限", r"边缘")),
    Term("loss landscape", "损失曲面", (r"损失地形",)),
    Term("widget", "控件", (r"(?<![A-Za-z_])[Ww]idgets?(?![A-Za-z_])", r"小部件", r"小组件")),
    Term("the training dashboard", "训练面板", (r"仪表[板盘]",)),
    Term("autograd", "自动求导", (r"自动微分",)),
    Term("zigzag", "振荡", (r"之字形", r"来回摆动")),
    Term("mean (reduction)", "求均值", (r"求平均", r"取平均")),
    Term("the boxes that correct the lesson", "对课程的更正", (r"对课程的修正",)),
    Term("citing a notebook", "笔记本 0N",
         (r"(?<![\d.])0[1-9](?:\s*[–-]\s*0[1-9])?\s*篇", r"\b[Nn]otebooks?\s+0[1-9]")),
    Term("a vectorised sweep over learning rates", "并行学习率扫描", (r"批量学习率扫描",)),
    Term("training samples / rows of a table", "样本 / 训练样本", (r"训练行", r"验证行")),
)

#: Quotations where a variant stays: (the file's name, the quoted text that contains it).
ALLOWED: tuple[tuple[str, str], ...] = (
    ("05_summary.ipynb", "d2l-zh：迭代周期"),    # the glossary names d2l-zh's word for epoch
    ("README.zh-CN.md", "Loading widget…"),     # JupyterLab's own messages, quoted
    ("README.zh-CN.md", "Error displaying widget"),
)

_CODE_SPAN = re.compile(r"```.*?```|`[^`\n]*`|\]\([^)\s]*\)|https?://\S+", re.DOTALL)


def _prose(markdown: str) -> str:
    """``markdown`` with code blocks, inline code, link targets and URLs blanked out."""
    return _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), markdown)


def _code_text(source: str) -> str:
    """The strings and comments of a code cell (the only Chinese a zh code cell may hold)."""
    lines = ["" if line.lstrip().startswith(("%", "!")) else line
             for line in source.splitlines()]
    parts = []
    try:
        for token in tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline):
            if token.type == tokenize.COMMENT:
                parts.append(token.string)
            elif token.type == tokenize.STRING:
                parts.append(token.string)
    except (tokenize.TokenError, IndentationError):
        return source  # translations.py reports code that does not tokenize
    return "\n".join(parts)


def variants_in(text: str, allowed: tuple[str, ...] = ()) -> list[tuple[Term, str, str]]:
    """Every replaced variant in ``text``: (term, the variant as written, its context).

    A variant inside one of the ``allowed`` quotations is left alone.
    """
    spared = [(m.start(), m.end()) for quote in allowed
              for m in re.finditer(re.escape(quote), text)]
    found = []
    for term in TERMS:
        for pattern in term.variants:
            for match in re.finditer(pattern, text):
                if any(a <= match.start() and match.end() <= b for a, b in spared):
                    continue
                context = text[max(0, match.start() - 12):match.end() + 12].replace("\n", " ")
                found.append((term, match.group(), context.strip()))
    return found


def _line(where: str, found: tuple[Term, str, str]) -> str:
    term, variant, context = found
    return f"{where}: 「{variant}」 → use 「{term.word}」 ({term.concept}): …{context}…"


def _allowed_in(name: str) -> tuple[str, ...]:
    return tuple(quote for file, quote in ALLOWED if file == name)


def notebook_problems(path: Path) -> list[str]:
    """The variants in one zh notebook's markdown, strings and comments, by cell."""
    nb = nbformat.read(path, as_version=4)
    allowed = _allowed_in(path.name)
    lines = []
    for index, cell in enumerate(nb.cells):
        text = _prose(cell.source) if cell.cell_type == "markdown" else _code_text(cell.source)
        lines += [_line(f"zh/{path.name}, cell {index}", f) for f in variants_in(text, allowed)]
    return lines


def table_problems(path: Path = TABLE) -> list[str]:
    """The variants in the zh message table's messages, by key."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    table = next(node.value for node in ast.walk(tree)
                 if isinstance(node, ast.AnnAssign | ast.Assign)
                 and isinstance(node.value, ast.Dict))
    lines = []
    for key, value in zip(table.keys, table.values):
        message = ast.literal_eval(value)
        lines += [_line(f"{path.name}, {ast.literal_eval(key)}", f)
                  for f in variants_in(message, _allowed_in(path.name))]
    return lines


def markdown_problems(path: Path = README) -> list[str]:
    """The variants in a Markdown file's prose, by line."""
    lines = []
    prose = _prose(path.read_text(encoding="utf-8"))
    for number, line in enumerate(prose.splitlines(), start=1):
        lines += [_line(f"{path.name}, line {number}", f)
                  for f in variants_in(line, _allowed_in(path.name))]
    return lines


def check(zh_dir: Path = CHINESE, table: Path = TABLE, readme: Path = README) -> list[str]:
    """Every replaced variant in the Chinese edition (empty when it keeps one word per concept)."""
    found = []
    for path in sorted(zh_dir.glob("*.ipynb")):
        found += notebook_problems(path)
    return found + table_problems(table) + markdown_problems(readme)

"""Count the prose of notebooks by issue 21's rule: words, sentences and long sentences.

Prose is the markdown cells less their `<details>` blocks, ``` fenced code, tables (lines
that start with '|') and math ($…$ and $$…$$). A word is a run of non-blank characters that
holds a Latin letter or a digit ("don't", "2/λmax" and "0.0601" are one word each; Chinese
prose is not counted); each inline `code` span counts as one word. A sentence ends at '.', '!'
or '?' followed by whitespace, at a list item, at a blank line and at the end of a cell. A long
sentence has more words than the notebook's limit: 30 in 01–05 (the lesson), 35 in 06–09 (Part 2).
Dashes counts the em-dashes (—) in that prose.

Usage: python tools/prose_stats.py notebooks/01_data.ipynb [...] [--long]
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

LESSON_LONG = 30
PART2_LONG = 35
LONG = PART2_LONG
LESSON = ("01", "02", "03", "04", "05")
WORD = re.compile(r"\S*[A-Za-z0-9]\S*")
CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1", re.DOTALL)
CODE_WORD = "CODE"  # what a code span becomes: one word
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n")
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+", re.MULTILINE)
FENCE = re.compile(r"^\s*```.*?^\s*```[^\n]*$", re.MULTILINE | re.DOTALL)
DETAILS = re.compile(r"<details\b.*?</details>", re.DOTALL | re.IGNORECASE)
TABLE_LINE = re.compile(r"^\s*\|.*$", re.MULTILINE)
DISPLAY_MATH = re.compile(r"\$\$.*?\$\$", re.DOTALL)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)[^$\n]+?(?<!\\)\$")


@dataclass
class ProseStats:
    """Words, sentences and the sentences over ``limit`` words of some markdown."""

    words: int = 0
    sentences: int = 0
    dashes: int = 0
    limit: int = LONG
    long_sentences: list[str] = field(default_factory=list)


def prose(markdown: str) -> str:
    """The markdown less details blocks, fenced code, tables and math; code spans become a word."""
    text = DETAILS.sub("\n\n", markdown)
    text = FENCE.sub("\n\n", text)
    text = CODE_SPAN.sub(CODE_WORD, text)
    text = TABLE_LINE.sub("", text)
    text = DISPLAY_MATH.sub(" ", text)
    return INLINE_MATH.sub(" ", text)


def sentences(markdown: str) -> list[str]:
    """The sentences of one markdown cell, those without words dropped."""
    parts = []
    for chunk in LIST_ITEM.split(prose(markdown)):
        parts += SENTENCE_END.split(chunk)
    return [part.strip() for part in parts if WORD.search(part)]


def word_count(text: str) -> int:
    """Words of text already passed through :func:`prose`."""
    return len(WORD.findall(text))


def markdown_stats(cells: list[str], limit: int = LONG) -> ProseStats:
    """Counts over markdown cell sources; each cell ends a sentence."""
    stats = ProseStats(limit=limit)
    for source in cells:
        stats.words += word_count(prose(source))
        stats.dashes += prose(source).count("—")
        for sentence in sentences(source):
            stats.sentences += 1
            if word_count(sentence) > limit:
                stats.long_sentences.append(sentence)
    return stats


def limit_for(path: Path) -> int:
    """30 words for the lesson's notebooks 01–05, 35 for Part 2."""
    return LESSON_LONG if path.name[:2] in LESSON else PART2_LONG


def notebook_stats(path: Path) -> ProseStats:
    """Counts for the markdown cells of one .ipynb file."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return markdown_stats(["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"],
                          limit_for(path))


def main(argv: list[str]) -> None:
    show_long = "--long" in argv
    print(f"{'notebook':32s} {'words':>6s} {'sentences':>9s} {'long':>5s} {'limit':>5s} "
          f"{'dashes':>6s}")
    lesson_total = 0
    for name in (a for a in argv if a != "--long"):
        path = Path(name)
        stats = notebook_stats(path)
        if path.name[:2] in LESSON:
            lesson_total += stats.words
        print(f"{path.name:32s} {stats.words:6d} {stats.sentences:9d} "
              f"{len(stats.long_sentences):5d} {stats.limit:5d} {stats.dashes:6d}")
        if show_long:
            for sentence in stats.long_sentences:
                print(f"    [{word_count(sentence)}] {' '.join(sentence.split())}")
    print(f"{'01–05 total':32s} {lesson_total:6d}")


if __name__ == "__main__":
    main(sys.argv[1:])

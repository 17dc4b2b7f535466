"""Count the prose of notebooks: words, sentences and long sentences in markdown cells.

Words are runs of Latin letters (A–Z, a–z) in markdown cells, outside ``` code blocks. A
sentence ends at '.', '!' or '?' followed by whitespace (and at the end of a cell). A long
sentence has more than 35 words. Dashes counts the em-dashes (—) in that prose.

Usage: python tools/prose_stats.py notebooks/01_data.ipynb [...] [--long]
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

LONG = 35
WORD = re.compile(r"[A-Za-z]+")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
FENCE = re.compile(r"^\s*```.*?^\s*```[^\n]*$", re.MULTILINE | re.DOTALL)


@dataclass
class ProseStats:
    """Words, sentences and the sentences over ``LONG`` words of some markdown."""

    words: int = 0
    sentences: int = 0
    dashes: int = 0
    long_sentences: list[str] = field(default_factory=list)


def prose(markdown: str) -> str:
    """The markdown without its ``` fenced blocks."""
    return FENCE.sub(" ", markdown)


def sentences(markdown: str) -> list[str]:
    """The sentences of one markdown cell (fenced blocks removed), those without words dropped."""
    parts = SENTENCE_END.split(prose(markdown))
    return [part.strip() for part in parts if WORD.search(part)]


def markdown_stats(cells: list[str]) -> ProseStats:
    """Counts over markdown cell sources; each cell ends a sentence."""
    stats = ProseStats()
    for source in cells:
        stats.words += len(WORD.findall(prose(source)))
        stats.dashes += prose(source).count("—")
        for sentence in sentences(source):
            stats.sentences += 1
            if len(WORD.findall(sentence)) > LONG:
                stats.long_sentences.append(sentence)
    return stats


def notebook_stats(path: Path) -> ProseStats:
    """Counts for the markdown cells of one .ipynb file."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return markdown_stats(["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"])


def main(argv: list[str]) -> None:
    show_long = "--long" in argv
    print(f"{'notebook':32s} {'words':>6s} {'sentences':>9s} {'> ' + str(LONG) + ' words':>12s} "
          f"{'dashes':>6s}")
    for name in (a for a in argv if a != "--long"):
        stats = notebook_stats(Path(name))
        print(f"{Path(name).name:32s} {stats.words:6d} {stats.sentences:9d} "
              f"{len(stats.long_sentences):12d} {stats.dashes:6d}")
        if show_long:
            for sentence in stats.long_sentences:
                print(f"    [{len(WORD.findall(sentence))}] {' '.join(sentence.split())}")


if __name__ == "__main__":
    main(sys.argv[1:])

"""tools/prose_stats.py: words, sentences and long sentences counted as issue 10 defines them."""

import json

import prose_stats  # tools/ is on sys.path: the root conftest.py puts it there


def test_words_are_runs_of_latin_letters_outside_code_fences():
    cell = "Hello, world! 张量 tensor x2 don't\n```python\nhidden code words\n```\nafter"
    stats = prose_stats.markdown_stats([cell])
    # Hello world tensor x don t after: digits, Chinese and fenced code do not count
    assert stats.words == 7


def test_a_sentence_ends_at_a_stop_followed_by_whitespace():
    cell = "One two. Three? Four! e.g.this stays one. 3.14 is not an end"
    assert prose_stats.sentences(cell) == ["One two.", "Three?", "Four!",
                                           "e.g.this stays one.", "3.14 is not an end"]


def test_each_cell_ends_a_sentence_and_long_ones_are_listed():
    long = " ".join(["word"] * 36) + "."
    short = " ".join(["word"] * 35) + "."
    stats = prose_stats.markdown_stats([long + " " + short, "no stop at the end"])
    assert stats.sentences == 3
    assert [len(s.split()) for s in stats.long_sentences] == [36]


def test_em_dashes_are_counted_outside_code():
    stats = prose_stats.markdown_stats(["a — b — c\n```\n— not this\n```"])
    assert stats.dashes == 2


def test_notebook_stats_reads_only_markdown_cells(tmp_path):
    notebook = {"cells": [
        {"cell_type": "markdown", "source": ["Two words."]},
        {"cell_type": "code", "source": ["print('many words here.')"]},
        {"cell_type": "markdown", "source": ["Three ", "more words."]},
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "n.ipynb"
    path.write_text(json.dumps(notebook))
    stats = prose_stats.notebook_stats(path)
    assert (stats.words, stats.sentences) == (5, 2)

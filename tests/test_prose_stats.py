"""tools/prose_stats.py: words, sentences and long sentences counted as issue 21 defines them."""

import json

import prose_stats  # tools/ is on sys.path: the root conftest.py puts it there


def words(markdown: str) -> int:
    return prose_stats.markdown_stats([markdown]).words


def test_words_are_blank_separated_runs_with_a_letter_or_digit():
    # Hello, world! tensor x2 don't 0.0601 after: Chinese, a lone dash and fenced code do not count
    cell = "Hello, world! 张量 tensor x2 don't 0.0601 — \n```python\nhidden code words\n```\nafter"
    assert words(cell) == 7


def test_a_details_block_is_left_out():
    cell = ("Two words.\n<details><summary>Going further: hooks</summary>\n\n"
            "many more words here\n</details>")
    assert words(cell) == 2


def test_a_table_is_left_out():
    cell = "One table:\n\n| call | where |\n|---|---|\n| `nn.Linear` | notebook 02 |\n\nafter it"
    assert words(cell) == 4


def test_math_is_left_out_inline_and_displayed():
    cell = "the loss $L = \\sum (w x - y)^2$ is\n$$\\frac{\\partial L}{\\partial w}$$\nsmall"
    assert words(cell) == 4


def test_each_code_span_is_one_word():
    assert words("call `torch.nn.Linear(4, 3)` then `loss.backward()` once") == 5


def test_a_sentence_ends_at_a_stop_followed_by_whitespace():
    cell = "One two. Three? Four! e.g.this stays one. 3.14 is not an end"
    assert prose_stats.sentences(cell) == ["One two.", "Three?", "Four!",
                                           "e.g.this stays one.", "3.14 is not an end"]


def test_a_list_item_and_a_blank_line_end_a_sentence():
    cell = "Three steps follow\n- forward pass\n- loss and backward\n\nA new paragraph"
    assert prose_stats.sentences(cell) == ["Three steps follow", "forward pass",
                                           "loss and backward", "A new paragraph"]


def test_each_cell_ends_a_sentence_and_long_ones_are_listed():
    long = " ".join(["word"] * 36) + "."
    short = " ".join(["word"] * 35) + "."
    stats = prose_stats.markdown_stats([long + " " + short, "no stop at the end"])
    assert stats.sentences == 3
    assert [len(s.split()) for s in stats.long_sentences] == [36]


def test_the_lesson_allows_30_words_part_two_35(tmp_path):
    sentence = " ".join(["word"] * 31) + "."
    notebook = {"cells": [{"cell_type": "markdown", "source": [sentence]}],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    for name, expected in (("03_x.ipynb", 1), ("07_x.ipynb", 0)):
        path = tmp_path / name
        path.write_text(json.dumps(notebook))
        assert len(prose_stats.notebook_stats(path).long_sentences) == expected


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


def test_main_prints_the_lesson_total(tmp_path, capsys):
    notebook = {"cells": [{"cell_type": "markdown", "source": ["Two words."]}],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    for name in ("01_a.ipynb", "02_b.ipynb", "06_c.ipynb"):
        (tmp_path / name).write_text(json.dumps(notebook))
    prose_stats.main([str(p) for p in sorted(tmp_path.glob("*.ipynb"))])
    assert capsys.readouterr().out.splitlines()[-1].split()[-1] == "4"

"""tools/translations.py on a small English notebook and its Chinese twin, built in tmp_path."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
import translations as tr  # tools/ is on sys.path: the root conftest.py puts it there
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NAME = "01_x.ipynb"
ENGLISH = [
    new_markdown_cell("# Tensors\n\n[中文版](zh/01_x.ipynb) · next: 02"),
    new_code_cell("import math\n\nprint(f\"area {math.pi:.2f}\")  # the area of a unit circle"),
    new_markdown_cell("A tensor holds numbers."),
    new_code_cell("%matplotlib inline\nlabel = \"loss\"\nprint(label, 2 + 3)"),
    new_code_cell("print(f\"{'yes' if 2 > 1 else 'no'}: {label!r}\")"),
]
#: What a translator makes of them (the language line is added by `new`).
CHINESE = {
    0: "# 张量\n\n[English](../01_x.ipynb) · 下一节：02",
    1: tr.LANGUAGE_LINE + "\nimport math\n\nprint(f\"面积 {math.pi:.2f}\")  # 单位圆的面积",
    2: "张量装着数。",
    3: "%matplotlib inline\nlabel = \"损失\"\nprint(label, 2 + 3)",
    4: "print(f\"{'是' if 2 > 1 else '否'}：{label!r}\")",
}


@pytest.fixture
def tree(tmp_path):
    """notebooks/01_x.ipynb and notebooks/zh/01_x.ipynb, translated: (English dir, zh dir)."""
    english_dir, zh_dir = tmp_path / "notebooks", tmp_path / "notebooks" / "zh"
    english_dir.mkdir()
    nbformat.write(new_notebook(cells=ENGLISH), english_dir / NAME)
    zh_path = tr.new(english_dir / NAME, zh_dir)
    assert zh_path == zh_dir / NAME
    edit(zh_path, lambda cells: [cell.update(source=CHINESE[i]) for i, cell in enumerate(cells)])
    return english_dir, zh_dir


def edit(path: Path, change) -> None:
    notebook = nbformat.read(path, as_version=4)
    change(notebook.cells)
    nbformat.write(notebook, path)


def set_source(path: Path, index: int, source: str) -> None:
    edit(path, lambda cells: cells[index].update(source=source))


def test_new_stamps_every_cell_and_adds_the_language_line(tmp_path):
    english_dir = tmp_path / "en"
    english_dir.mkdir()
    nbformat.write(new_notebook(cells=ENGLISH), english_dir / NAME)
    started = nbformat.read(tr.new(english_dir / NAME, tmp_path / "zh"), as_version=4)
    assert [c.metadata[tr.KEY]["source"] for c in started.cells] == [c.source for c in ENGLISH]
    assert started.cells[1].source == tr.LANGUAGE_LINE + "\n" + ENGLISH[1].source
    assert [c.source for c in started.cells[2:]] == [c.source for c in ENGLISH[2:]]


def test_an_untouched_translation_is_in_step(tree):
    assert tr.check(*tree) == []
    assert tr.stale(*tree) == ""


def test_a_changed_english_cell_is_named_and_stale_shows_old_and_new(tree):
    english_dir, zh_dir = tree
    set_source(english_dir / NAME, 2, "A tensor holds numbers in a grid.")
    assert tr.check(english_dir, zh_dir) == [
        "zh/01_x.ipynb, cell 2: the English cell changed since it was translated "
        "(python tools/translations.py stale)"]
    report = tr.stale(english_dir, zh_dir)
    assert report.startswith("=== zh/01_x.ipynb, cell 2 (markdown)\n")
    assert ("--- English when translated:\nA tensor holds numbers.\n"
            "--- English now:\nA tensor holds numbers in a grid.\n") in report
    assert "cell 1" not in report and "cell 3" not in report


def test_accept_clears_a_stale_cell(tree):
    english_dir, zh_dir = tree
    set_source(english_dir / NAME, 2, "A tensor holds numbers in a grid.")
    set_source(zh_dir / NAME, 2, "张量把数排成网格。")
    tr.accept(zh_dir / NAME, [2], english_dir)
    assert tr.check(english_dir, zh_dir) == []
    assert tr.stale(english_dir, zh_dir) == ""
    record = nbformat.read(zh_dir / NAME, as_version=4).cells[2].metadata[tr.KEY]
    assert record["source"] == "A tensor holds numbers in a grid."


@pytest.mark.parametrize(("index", "source"), [
    (3, "%matplotlib inline\nlabel = \"损失\"\nprint(label, 2 + 4)"),        # a number
    (3, "%matplotlib inline\nlbl = \"损失\"\nprint(lbl, 2 + 3)"),           # a name
    (3, "%matplotlib widget\nlabel = \"损失\"\nprint(label, 2 + 3)"),       # a magic
    (3, "label = \"损失\"\nprint(label, 2 + 3)"),                           # a line dropped
    (1, tr.LANGUAGE_LINE + "\nimport math\n\nprint(f\"面积 {math.e:.2f}\")"),   # in an f-string
    (1, tr.LANGUAGE_LINE + "\nimport math\n\nprint(f\"面积 {math.pi:.3f}\")"),  # its format
    (4, "print(f\"{'是' if 2 > 1 else '否'}：{label}\")"),                  # its conversion
])
def test_a_changed_token_in_a_chinese_code_cell_fails(tree, index, source):
    english_dir, zh_dir = tree
    set_source(zh_dir / NAME, index, source)
    assert tr.check(english_dir, zh_dir) == [
        f"zh/01_x.ipynb, cell {index}: the code differs from the English beyond strings and "
        "comments"]


def test_strings_comments_and_fstring_text_may_be_translated():
    english = "x = f\"{n} epochs, loss {loss:.2e}\"  # report\nplt.title('Loss')\n"
    chinese = "x = f\"{n} 个训练周期，损失 {loss:.2e}\"  # 报告\nplt.title('损失')\n"
    assert tr.code_shape(english) == tr.code_shape(chinese)
    assert tr.code_shape(english) != tr.code_shape(chinese.replace("{n}", "{n + 1}"))


def test_code_that_does_not_tokenize_is_reported(tree):
    english_dir, zh_dir = tree
    set_source(zh_dir / NAME, 3, "%matplotlib inline\nlabel = \"损失\"\nprint(label, 2 + 3")
    found = tr.check(english_dir, zh_dir)
    assert len(found) == 1 and found[0].startswith("zh/01_x.ipynb, cell 3: the code does not "
                                                   "tokenize")


def test_the_language_line_is_required_first(tree):
    english_dir, zh_dir = tree
    set_source(zh_dir / NAME, 1, CHINESE[1].split("\n", 1)[1])
    assert tr.check(english_dir, zh_dir) == [
        f"zh/01_x.ipynb, cell 1: the first code cell must start with {tr.LANGUAGE_LINE!r}"]


def test_a_missing_or_extra_cell_fails(tree):
    english_dir, zh_dir = tree
    edit(zh_dir / NAME, lambda cells: cells.pop(2))
    found = tr.check(english_dir, zh_dir)
    assert found[0] == ("zh/01_x.ipynb: 4 cells, the English has 5 — a cell is missing or "
                        "extra")
    assert "zh/01_x.ipynb, cell 2: a code cell where the English has markdown" in found

    edit(zh_dir / NAME, lambda cells: cells.insert(2, new_markdown_cell("张量装着数。")))
    assert tr.check(english_dir, zh_dir) == [
        "zh/01_x.ipynb, cell 2: the English cell changed since it was translated "
        "(python tools/translations.py stale)"]  # in place again, but without its record
    edit(zh_dir / NAME, lambda cells: cells.append(new_markdown_cell("多余的")))
    assert "zh/01_x.ipynb: 6 cells, the English has 5 — a cell is missing or extra" in (
        tr.check(english_dir, zh_dir))


def test_missing_notebooks_on_either_side_fail(tree):
    english_dir, zh_dir = tree
    nbformat.write(new_notebook(cells=ENGLISH), english_dir / "02_y.ipynb")
    (zh_dir / NAME).rename(zh_dir / "03_z.ipynb")
    assert tr.check(english_dir, zh_dir) == [
        "01_x.ipynb: no Chinese twin zh/01_x.ipynb (python tools/translations.py new "
        "notebooks/01_x.ipynb)",
        "02_y.ipynb: no Chinese twin zh/02_y.ipynb (python tools/translations.py new "
        "notebooks/02_y.ipynb)",
        "zh/03_z.ipynb: no English notebook of that name"]


def test_missing_title_links_fail(tree):
    english_dir, zh_dir = tree
    set_source(zh_dir / NAME, 0, "# 张量\n\n下一节：02")
    assert tr.check(english_dir, zh_dir) == [
        "zh/01_x.ipynb, cell 0: the title cell does not link to its English twin ../01_x.ipynb"]
    set_source(english_dir / NAME, 0, "# Tensors\n\nnext: 02")
    tr.accept(zh_dir / NAME, [0], english_dir)
    assert tr.check(english_dir, zh_dir) == [
        "01_x.ipynb, cell 0: the title cell does not link to its Chinese twin zh/01_x.ipynb",
        "zh/01_x.ipynb, cell 0: the title cell does not link to its English twin ../01_x.ipynb"]


@pytest.mark.parametrize(("source", "lines"), [
    ("张量装着数，\n也装着梯度。", [2]),
    ("the loss `l`\n是一个标量。", [2]),
    ("一个数：\n\n- 第一项\n- 第二项\n  续行。", [5]),
    ("| 表 | 头 |\n|---|---|\n| 张量 | 数 |", []),
    ("```python\nx = 1  # 注释\ny = 2  # 注释\n```\n段落。", []),
    ("第一段。\n\n第二段。", []),
    ("硬换行。  \n下一行。", []),
    ("English prose\nwraps freely.", []),
])
def test_soft_breaks_inside_chinese_paragraphs(source, lines):
    assert tr.soft_breaks(source) == lines


def test_a_soft_break_in_a_chinese_cell_fails(tree):
    set_source(tree[1] / NAME, 2, "张量装着数，\n也装着梯度。")
    assert tr.check(*tree) == [
        "zh/01_x.ipynb, cell 2: a line break inside a Chinese paragraph (line 2) shows as a "
        "stray space: join the lines"]

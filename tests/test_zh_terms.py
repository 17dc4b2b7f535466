"""tools/zh_terms.py: the one-word-per-concept check matches variants as words, not substrings."""

from __future__ import annotations

import nbformat
import pytest
import zh_terms  # tools/ is on sys.path: the root conftest.py puts it there
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook


def variants(text: str, allowed: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    return [(term.word, variant) for term, variant, _ in zh_terms.variants_in(text, allowed)]


@pytest.mark.parametrize("text", [
    "训练 51 个轮次。", "第 3 轮", "第0轮的时候,损失为 4.2", "训练 1000 轮之后", "每一轮（epoch）",
    "训练周期（training cycle）：前馈、反馈、更新", "# 4. 训练周期",
    "学习率的上界 2/λmax", "autograd（自动求导）", "`ipywidgets.Image`", "ipywidgets 8",
    "[笔记本 02](02_model.ipynb)", "第 10 篇", "Adam 的偏差修正", "训练样本",
    "(w, b) 上的损失曲面"])
def test_right_words_and_allowed_short_forms_pass(text):
    assert variants(text) == []


@pytest.mark.parametrize("text, word, variant", [
    ("损失 < 0.001 的轮数", "轮次", "轮数"),
    ("训练 {n} 个周期后", "轮次", "周期"),
    ("d2l-zh 写作迭代周期", "轮次", "周期"),
    ("51 个训练周期", "轮次", "个训练周期"),
    ("每个训练周期一步", "轮次", "个训练周期"),
    ("稳定性界限", "上界", "界限"),
    ("已经接近边缘", "上界", "边缘"),
    ("06 — 损失地形", "损失曲面", "损失地形"),
    ("一个 widget 显示进度", "控件", "widget"),
    ("小部件", "控件", "小部件"),
    ("实时仪表板", "训练面板", "仪表板"),
    ("autograd（自动微分）", "自动求导", "自动微分"),
    ("之字形的路径", "振荡", "之字形"),
    ("取平均让梯度变小", "求均值", "取平均"),
    ("> **对课程的修正。**", "对课程的更正", "对课程的修正"),
    ("见 06 篇。", "笔记本 0N", "06 篇"),
    ("先学完 01–05 篇", "笔记本 0N", "01–05 篇"),
    ("as notebook 07 shows", "笔记本 0N", "notebook 07"),
    ("优化器竞赛与批量学习率扫描", "并行学习率扫描", "批量学习率扫描"),
    ("拟合训练行中的噪声", "样本 / 训练样本", "训练行"),
])
def test_each_variant_is_found_with_the_word_to_use(text, word, variant):
    assert (word, variant) in variants(text)


def test_a_quotation_on_the_allow_list_keeps_its_variant():
    text = "轮次（d2l-zh：迭代周期）；每个周期一步"
    assert variants(text, ("d2l-zh：迭代周期",)) == [("轮次", "周期")]  # only the second


def test_code_spans_links_and_identifiers_are_not_prose():
    markdown = "用 `widget = Slider()`，见 [这里](notebooks/06_篇.ipynb)：\n```\nwidget 06 篇\n```"
    assert variants(zh_terms._prose(markdown)) == []
    code = 'widget = make_widget(06)  # 这个控件\nprint("训练 {n} 个周期")'
    assert variants(zh_terms._code_text(code)) == [("轮次", "周期")]


def test_check_names_file_cell_variant_and_word(tmp_path):
    zh_dir = tmp_path / "zh"
    zh_dir.mkdir()
    nbformat.write(new_notebook(cells=[
        new_markdown_cell("# 标题\n\n训练 51 个轮次。"),
        new_code_cell('print("每个周期")  # 轮数')]), zh_dir / "01_x.ipynb")
    table = tmp_path / "zh.py"
    table.write_text('MESSAGES: dict[str, str] = {\n    "a.b": "稳定性"\n           "界限",\n'
                     '    "a.c": "上界",\n}\n', encoding="utf-8")
    readme = tmp_path / "README.zh-CN.md"
    readme.write_text("# 中文\n\n一个实时仪表板。\n\n`仪表板` 在代码里不算。\n", encoding="utf-8")
    assert zh_terms.check(zh_dir, table, readme) == [
        "zh/01_x.ipynb, cell 1: 「轮数」 → use 「轮次」 (epoch): …\"每个周期\" # 轮数…",
        "zh/01_x.ipynb, cell 1: 「周期」 → use 「轮次」 (epoch): …\"每个周期\" # 轮数…",
        "zh.py, a.b: 「界限」 → use 「上界」 (the stable-lr bound 2/λmax): …稳定性界限…",
        "README.zh-CN.md, line 3: 「仪表板」 → use 「训练面板」 (the training dashboard): "
        "…一个实时仪表板。…"]


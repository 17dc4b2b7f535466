"""The message tables (linreg_helpers.i18n) and the helpers speaking them.

English output is what it was before the messages moved into the tables
(tests/data/messages_en.txt, floats allowed round-off as in the notebook check); in Chinese every
checker line, every learner-facing error (each validator of the package on a bad input) and the
race table are Chinese, and every message of the tables is reached. No error message is
formatted in place: every one comes from the tables.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import matplotlib
import message_corpus
import pytest
from language_checks import CJK, WIDGET_PREFIXES, RecordingTable
from nbval_floats import reconcile

from linreg_helpers import doctor, i18n
from linreg_helpers.formatting import display_width
from linreg_helpers.i18n import TABLES

ROOT = Path(__file__).resolve().parents[1]
PREFIXES = ("check.pass", "check.hint", "check.todo")
#: Errors that end with Python's or torch's own (English) message, after the last "：".
FOREIGN_DETAIL = {"training options"}
#: Runs before anything is installed: standard library only, no message tables.
NO_TABLES = {"torch_build.py"}
#: The doctor's fixes that are commands (the same in every language) and the details that
#: come from elsewhere: an exception's name, what the fake live-figure check said, argparse's
#: own words.
COMMAND_FIXES = tuple(fix for name, fix in doctor.FIXES.items() if name not in
                      doctor.WORDED_FIXES)
FOREIGN_COMMAND_DETAIL = ("ModuleNotFoundError", "no PNG", "argument --lr: invalid float value")



def _in_both_languages(produce):
    """``produce()``'s lines in English and in Chinese, and the keys the Chinese run used."""
    assert i18n.get_language() == "en"
    english = produce()
    recording = RecordingTable(TABLES["zh"])
    saved = TABLES["zh"]
    TABLES["zh"] = recording
    try:
        with matplotlib.rc_context():
            i18n.set_language("zh")
            chinese = produce()
    finally:
        i18n.set_language("en")
        TABLES["zh"] = saved
    return english, chinese, recording.used


@pytest.fixture(scope="module")
def transcripts():
    """The corpus's lines in English and in Chinese, and the keys the Chinese run used."""
    return _in_both_languages(message_corpus.transcript)


@pytest.fixture(scope="module")
def command_transcripts():
    """What the commands say (message_corpus.command_transcript), likewise."""
    return _in_both_languages(message_corpus.command_transcript)


def _fields(template: str) -> set[tuple[str, str, str]]:
    """The (name, conversion, format spec) of each placeholder of ``template``."""
    return {(name, conversion or "", spec or "")
            for _, name, spec, conversion in string.Formatter().parse(template)
            if name is not None}


def test_every_language_has_every_message_with_the_same_placeholders():
    english = TABLES["en"]
    assert set(TABLES) == set(i18n.LANGUAGES) == {"en", "zh"}
    for language, table in TABLES.items():
        assert set(table) == set(english), (language, set(table) ^ set(english))
        for key, template in table.items():
            assert _fields(template) == _fields(english[key]), (language, key)


def test_every_message_is_used_by_the_package():
    """No message lies unused in the tables: each key is written somewhere in the package."""
    sources = "".join(path.read_text() for path in (ROOT / "linreg_helpers").rglob("*.py"))
    unused = [key for key in TABLES["en"] if f'"{key}"' not in sources]
    assert not unused


def test_english_output_is_unchanged(transcripts):
    english, _, _ = transcripts
    stored = (ROOT / "tests" / "data" / "messages_en.txt").read_text().splitlines()
    assert len(english) == len(stored)
    for fresh, old in zip(english, stored):
        assert reconcile(old, fresh) == old  # equal, up to float round-off


def test_every_checker_speaks_chinese(transcripts, command_transcripts):
    english, chinese, used = transcripts
    used = used | command_transcripts[2]
    checks = len(english) - len(message_corpus.error_calls()) - 6  # errors, bar, race table
    verdicts = {key: TABLES["zh"][key] for key in PREFIXES}
    for en_line, zh_line in zip(english[:checks], chinese[:checks]):
        label, line = zh_line.split("\t")
        verdict = next(key for key, prefix in verdicts.items() if line.startswith(prefix + "："))
        # the same verdict as in English, and Chinese words after it
        assert en_line.split("\t")[1].startswith(TABLES["en"][verdict] + ": "), label
        assert CJK.search(line.split("：", 1)[1]), label
        assert not re.search(r"\b(the|should|got|give|your|expected)\b", line), label
    assert {line.split("\t")[1].split("：")[0] for line in chinese[:checks]} == set(
        verdicts.values())
    missed = sorted(key for key in TABLES["zh"]
                    if key not in used and not key.startswith(WIDGET_PREFIXES))
    assert not missed, f"the corpus never prints {missed}"


def test_learner_facing_errors_speak_chinese(transcripts):
    english, chinese, _ = transcripts
    errors = len(message_corpus.error_calls())
    for en_line, zh_line in zip(english[-6 - errors:-6], chinese[-6 - errors:-6]):
        label, line = zh_line.split("\t")
        assert label == en_line.split("\t")[0] and line != en_line.split("\t")[1], label
        assert CJK.search(line), label
        ours = line.rsplit("：", 1)[0] if label in FOREIGN_DETAIL else line
        assert not re.search(r"\b(must|got|give|choose|should|every|only)\b", ours), label
    zh = dict(line.split("\t") for line in chinese[-6 - errors:-6])
    assert zh["sweep negative"] == "每个学习率都必须是 > 0 的有限数，例如 0.05；lrs[1] 却是 -1.0"
    assert zh["ddp val fraction"] == ("--val-fraction：val_fraction 必须是 [0, 1) 中的数，例如 "
                                      "0.2；你给的是 1.0")
    assert zh["ddp data"] == "未知的 --data 'iris'；请从 diabetes、synthetic 中选择"
    assert zh["training options"].startswith("SGD 不接受这些选项 ['bogus']：")
    assert zh["column flat"] == ("x 必须是形状为 (N, 1) 的列矩阵；这里的形状是 (3,)——用 "
                                 "x.reshape(-1, 1)，或把数据写成 [[1.0], [2.0], ...]")
    assert zh["optimizer case"].startswith("未知的优化器 'adam'——你是想写 'Adam' 吗？")


def test_progress_bar_label_follows_the_language(transcripts):
    english, chinese, _ = transcripts
    assert english[-6] == "progress bar\tepochs" and chinese[-6] == "progress bar\t轮次"


def test_race_table_in_chinese_is_aligned(transcripts):
    english, chinese, _ = transcripts
    english, chinese = english[-5:], chinese[-5:]  # the race table: a header and four rows
    assert english[0].split()[0] == "optimizer" and "diverged (4)" in english[4]
    for word in ("优化器", "学习率", "损失首次 < 0.001 的轮次", "最终损失"):
        assert word in chinese[0]
    assert "未达到" in chinese[2] and "发散（第 4 轮）" in chinese[4]
    assert [line.split()[0] for line in chinese[1:]] == ["LBFGS", "SGD", "Adagrad", "ASGD"]
    # columns right-aligned to the same edges on screen (a Chinese character takes two
    # columns), the header's too: its column is as wide as the header needs
    assert len({display_width(line) for line in chinese}) == 1, chinese
    assert len({display_width(line) for line in english}) == 1, english


def test_text_follows_the_language(monkeypatch):
    monkeypatch.setitem(i18n._state, "language", "en")
    assert i18n.text("check.int.wrong", answer=9, hint="h") == "9 is not it — h"
    monkeypatch.setitem(i18n._state, "language", "zh")
    assert i18n.text("check.int.wrong", answer=9, hint="h") == "9 不对——h"
    assert i18n.text("race.epochs_to", tol=1e-3) == "损失首次 < 0.001 的轮次"
    assert i18n.text("check.int.wrong", lang="en", answer=9, hint="h") == "9 is not it — h"
    with pytest.raises(KeyError):
        i18n.text("no.such.message")
    with pytest.raises(ValueError, match="未知的语言 'fr'；请从 en, zh 中选择"):
        i18n.text("check.pass", lang="fr")  # the error in the current language
    monkeypatch.setitem(i18n._state, "language", "en")
    with pytest.raises(ValueError, match="unknown language 'fr'; choose one of en, zh"):
        i18n.set_language("fr")
    assert i18n.get_language() == "en"


def test_display_width_counts_chinese_twice():
    from linreg_helpers.formatting import pad_to_width

    assert display_width("lr") == 2 and display_width("学习率") == 6
    assert display_width("发散（第 4 轮）") == 15  # full-width brackets are wide too
    assert pad_to_width("学习率", 8, ">") == "  学习率" and pad_to_width("lr", 4) == "lr  "
    assert pad_to_width("too long", 3) == "too long"


def _is_text(node: ast.expr) -> bool:
    """Whether ``node`` writes a message in place: a string, an f-string, or one built from
    them by ``+``, ``%``, ``.format(...)`` or ``.join(...)``."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _is_text(node.left) or _is_text(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in ("format", "join") and _is_text(node.func.value)
    return False


def _name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def messages_written_in_place(source: str) -> list[int]:
    """The lines of ``source`` that raise (or build) an exception with a message written in
    place instead of taken from the message tables."""
    tree = ast.parse(source)
    raised = {id(node.exc) for node in ast.walk(tree) if isinstance(node, ast.Raise)}
    return sorted(
        node.lineno for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (id(node) in raised or _name(node.func).endswith(("Error", "Exception")))
        and any(_is_text(arg) for arg in [*node.args, *(k.value for k in node.keywords)]))


def test_the_in_place_message_finder_finds_each_form():
    bad = ['raise ValueError(f"got {x}")', 'raise ValueError("lrs is empty")',
           'raise UsageError("--lr: " + str(x))', 'raise X("got {}".format(x))',
           'raise ValueError("got %s" % x)', 'raise ValueError(", ".join(names))',
           'error = RuntimeError(f"{x} failed")', 'raise Oops(message=f"{x}")',
           'raise ValueError(\n    f"a {x}"\n    "b")']
    for source in bad:
        assert messages_written_in_place(source) == [1], source
    good = ['raise ValueError(text("error.sweep.empty"))', "raise UsageError(message)",
            'raise ValueError(text("error.ddp.val_fraction", error=exc)) from None', "raise",
            'print(f"error: {exc}")', "raise KeyError(key)"]
    for source in good:
        assert messages_written_in_place(source) == [], source


def test_every_error_message_comes_from_the_tables():
    package = ROOT / "linreg_helpers"
    paths = [path for path in sorted(package.rglob("*.py")) if path.name not in NO_TABLES]
    walked = {path.parent.name for path in paths}
    assert {"linreg_helpers", "i18n", "widgets", "exercises"} <= walked  # every subpackage
    found = {str(path.relative_to(ROOT)): lines for path in paths
             if (lines := messages_written_in_place(path.read_text()))}
    assert not found, f"messages written in place, not in linreg_helpers/i18n: {found}"


def test_the_commands_speak_chinese_when_chinese_is_chosen(command_transcripts):
    """ddp's worker logs and errors, every doctor result (its line and its fix), the doctor's
    summaries and the missing-font warning: each Chinese line differs from the English one and
    holds Chinese words; none is English only."""
    english, chinese, _ = command_transcripts
    assert len(english) == len(chinese) > 60
    labels = {line.split("\t")[0] for line in chinese}
    assert labels == {"ddp log", "ddp usage", "LINREG_LANG", "doctor", "doctor summary",
                      "font warning"}
    for en_line, zh_line in zip(english, chinese):
        label, line = zh_line.split("\t")
        assert en_line.split("\t")[0] == label and en_line != zh_line, zh_line
        assert CJK.search(line), zh_line
        # Chinese sentences: no half-width colon after a Chinese character, no English words
        # beyond the names of things (Python, torch, GPU, the commands and paths)
        assert not re.search(CJK.pattern + r"[:,;] ?", line), zh_line
        ours = line
        for foreign in (*COMMAND_FIXES, *FOREIGN_COMMAND_DETAIL):
            ours = ours.replace(foreign, "")
        assert not re.search(r"\b(the|is|are|not|of|in|no|found|install|free|rows?)\b",
                             ours), zh_line
    zh = dict(line.split("\t") for line in chinese if not line.startswith("doctor"))
    assert zh["font warning"].startswith("没有安装含中文字符的字体")
    assert zh["ddp usage"].startswith("命令行参数有误：argument --lr")


#: What Chinese printed by the helpers must not hold: a space before or after full-width
#: punctuation, a half-width colon, semicolon or comma after a Chinese character, spaces
#: around a dash ——, and full-width parentheses in figure text (they render with wide gaps).
TYPOGRAPHY = re.compile(r" [，。：；、）！？]|[（，。：；、] |[\u4e00-\u9fff][:;,]|\s——|——\s")


def test_helper_chinese_uses_full_width_punctuation_without_stray_spaces(
        transcripts, command_transcripts):
    lines = [line.split("\t", 1)[1] for line in transcripts[1] + command_transcripts[1]
             if "\t" in line]
    lines = [line.replace("    修复：", "修复：") for line in lines]  # the doctor's indent
    bad = [line for line in lines if TYPOGRAPHY.search(line)]
    assert not bad, bad
    figure_text = [TABLES["zh"][key] for key in TABLES["zh"] if key.startswith("plot.")
                   or key in ("landscape.loss_before_step", "landscape.least_squares")]
    assert not [text for text in figure_text if "（" in text or "）" in text]

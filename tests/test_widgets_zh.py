"""The live widgets, their status lines and the helpers' figures in Chinese.

Every ``dashboard.*``, ``widget.*``, ``landscape.*`` and ``plot.*`` message is reached here in
Chinese (recorded as tests/test_messages.py records the corpus), and English stays the default.
"""

from __future__ import annotations

import re
from dataclasses import asdict, replace

import matplotlib
import matplotlib.pyplot as plt
import pytest
from language_checks import CJK, WIDGET_PREFIXES, RecordingTable

from linreg_helpers import i18n
from linreg_helpers.data import lesson_data
from linreg_helpers.i18n import TABLES, fonts
from linreg_helpers.plotting import HistoryFigure, plot_history
from linreg_helpers.settings import LESSON
from linreg_helpers.training import train
from linreg_helpers.widgets import dashboard as dashboard_module
from linreg_helpers.widgets.dashboard import TrainingDashboard
from linreg_helpers.widgets.explorer import LandscapeExplorer
from linreg_helpers.widgets.live_curves import LiveLossCurves
from linreg_helpers.widgets.status import dashboard_status

X, Y = lesson_data()
ENGLISH_WORDS = re.compile(r"\b(epochs?|loss|lower|least|squares|converg\w*|diverg\w*|after|"
                           r"start|path|weight|bias|error)\b", re.IGNORECASE)


@pytest.fixture
def chinese():
    """The package language set to Chinese for one test, then back to English."""
    assert i18n.get_language() == "en"
    with matplotlib.rc_context():
        i18n.set_language("zh")
        try:
            yield
        finally:
            i18n.set_language("en")


@pytest.fixture
def cjk_font():
    """Chinese glyphs for figures drawn with lang="zh" while the package stays English."""
    with matplotlib.rc_context():
        fonts.use_cjk_font()
        yield


@pytest.fixture
def recorded(monkeypatch):
    """The Chinese table, remembering which keys were looked up."""
    recording = RecordingTable(TABLES["zh"])
    monkeypatch.setitem(TABLES, "zh", recording)
    return recording


def status(lang="zh", momentum=None, **changes):
    settings = replace(LESSON, **changes)
    options = {} if momentum is None else {"momentum": momentum}
    history = train(X, Y, **asdict(settings), **options)
    return dashboard_status(history, settings, X, Y, lang, momentum=momentum or 0.0)


def assert_chinese(line):
    assert CJK.search(line) and not ENGLISH_WORDS.search(line), line


def test_status_lines_in_chinese_match_the_english_ones():
    history = train()
    w, b = history.weight[-1], history.bias[-1]
    english, chinese = status("en"), status()
    assert chinese.startswith(f"51 个轮次之后：w = {w:.4f}，b = {b:.4f}，损失 ")
    assert "仍在收敛" in chinese and "（SGD，lr = 0.0500，sum；最小二乘：w = 2.0000" in chinese
    # the same numbers in both languages
    assert re.findall(r"-?\d+\.\d{4}", english) == re.findall(r"-?\d+\.\d{4}", chinese)
    assert "已收敛到最小二乘解" in status(epochs=1000, momentum=0.5)
    assert "，动量 0.50；" in status(epochs=1000, momentum=0.5)
    for line in (status(), status(epochs=1000)):
        assert_chinese(line)


def test_not_improving_in_chinese():
    worse = {"optimizer": "RMSprop", "epochs": 1, "lr": 0.3}  # one step that overshoots
    assert "not improving: try another lr or optimizer" in status("en", **worse)
    assert "没有改进：试试换一个 lr 或优化器" in status(**worse)


def test_divergence_in_chinese():
    sgd = status(lr=0.1)
    assert sgd.startswith("损失从第 1 轮起不断增大，在第 ") and "轮爆炸，训练就此停止" in sgd
    assert "普通 SGD 只有在 lr 小于 0.0601 时才稳定（损失黑塞矩阵的 2/λmax）：请调小 lr。" in sgd
    assert "再乘以 1 + 动量" in status(lr=0.1, momentum=0.5)
    assert "ASGD 没有简单的稳定性上界：请调小 lr。" in status(optimizer="ASGD", lr=0.1)
    assert status(lr=50.0).startswith("损失在第 1 轮爆炸，训练就此停止")
    assert status(lr=0.0605).startswith("损失从第 1 轮起不断增大，一直高于起始值")
    for line in (sgd, status(optimizer="ASGD", lr=0.1)):
        assert_chinese(line)


def test_scale_invariant_note_in_chinese():
    assert status(optimizer="Adam").endswith(
        "Adam 按梯度的大小缩放步长，所以在求和与求均值之间切换，训练过程几乎不变。")
    assert "按梯度的大小" not in status(optimizer="SGD")


def test_status_follows_the_package_language(chinese):
    assert status(None) == status("zh")


def test_dashboard_in_chinese_by_argument_and_english_by_default(cjk_font, monkeypatch):
    dash = TrainingDashboard(lang="zh")
    try:
        labels = [c.description for c in (dash.lr, dash.epochs, dash.reduction, dash.optimizer,
                                          dash.momentum, dash.reset)]
        assert labels == ["学习率", "轮次", "缩减方式", "优化器", "动量", "课程默认值"]
        assert dash.status.value.startswith("51 个轮次之后：")
        ylabels = [ax.get_ylabel() for ax in dash.view.axes.values()]
        assert ylabels == ["损失", "权重 w", "偏置 b"]
        assert dash.view.axes["bias"].get_xlabel() == "轮次"
        assert [t.get_text() for t in dash.view.axes["weight"].texts] == ["- - 最小二乘：2"]
        # options stay code
        assert list(dash.reduction.options) == ["sum", "mean"] and dash.optimizer.value == "SGD"

        def broken(*args, **kwargs):
            raise RuntimeError("boom")

        monkeypatch.setattr(dashboard_module, "train", broken)
        dash.lr.value = 0.02
        assert dash.status.value.startswith("⚠️ 更新时出错：RuntimeError: boom（在 broken 第 ")
        assert dash.status.value.endswith("行）。图中显示的是上一次成功的训练。")
    finally:
        dash.close()
        monkeypatch.undo()
    english = TrainingDashboard()
    try:
        assert english.lang == "en" and english.lr.description == "lr"
        assert english.reset.description == "lesson defaults"
        assert english.status.value.startswith("After 51 epochs")
    finally:
        english.close()


def test_widgets_follow_set_language_at_construction(chinese):
    dash, explorer = TrainingDashboard(), LandscapeExplorer()
    try:
        assert dash.lang == explorer.lang == "zh"
        assert dash.momentum.description == "动量"
        assert (explorer.w0.description, explorer.b0.description) == ("起点 w0", "起点 b0")
        i18n.set_language("en")  # a widget keeps the language it was built in
        dash.lr.value = 0.02
        assert dash.status.value.startswith("51 个轮次之后：")
    finally:
        dash.close()
        explorer.close()
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        TrainingDashboard(lang="fr")


def test_explorer_describes_its_run_in_chinese(cjk_font):
    explorer = LandscapeExplorer(lang="zh")
    try:
        history = explorer.history
        assert explorer.status.value == explorer.describe()
        assert explorer.describe() == (
            f"SGD，lr = 0.0500，reduction = 'sum'，起点 ({explorer.w0.value:.2f}, "
            f"{explorer.b0.value:.2f})：第 50 轮的损失为 {history.loss[-1]:.4g}；最后一步之后 "
            f"w = {history.weight[-1]:.4f}，b = {history.bias[-1]:.4f}（最小二乘：2.0000, 0.0000）")
        labels = [explorer.lr.description, explorer.epochs.description,
                  explorer.reduction.description, explorer.optimizer.description]
        assert labels == ["学习率", "轮次", "缩减方式", "优化器"]
        assert explorer.ax_surface.get_xlabel() == "权重 w"
        assert explorer.ax_surface.get_ylabel() == "偏置 b"
        assert explorer.ax_loss.get_xlabel() == "轮次"
        assert explorer.ax_loss.get_ylabel() == "损失(更新之前)"  # half-width: tight in the figure
        legend = [t.get_text() for t in explorer.ax_surface.get_legend().get_texts()]
        assert legend == ["最小二乘 (2.00, 0.00)", "路径", "起点"]
        explorer.lr.value = 0.5
        assert "：发散——损失在第 " in explorer.status.value and "爆炸到" in explorer.status.value
        explorer.lr.value = 0.0605
        assert "：正在发散——损失从第 1 轮起不断增大" in explorer.status.value
        explorer.history = None
        assert explorer.describe() == "还没有训练"
    finally:
        explorer.close()


def test_plot_history_follows_the_package_language(chinese):
    figure = plot_history(train(), targets={"weight": 2.0})
    try:
        axes = figure.axes
        assert [ax.get_ylabel() for ax in axes] == ["损失", "权重 w", "偏置 b"]
        assert axes[-1].get_xlabel() == "轮次"
    finally:
        plt.close(figure)
    english = HistoryFigure(train(), lang="en")
    try:
        assert english.axes["loss"].get_ylabel() == "loss"
        assert english.axes["bias"].get_xlabel() == "epoch"
    finally:
        plt.close(english.figure)


def _play_tour(widget) -> None:
    """Every state of play mode, each kind of change, the cursor and the data panel."""
    widget.play()  # epoch 0 of a played run, playing
    assert CJK.search(widget.controls_player.play_button.description)
    widget.step(5)
    widget.pause()
    widget.lr.value = 0.02
    widget.optimizer.value = "Adam"
    widget.cursor.value = 2
    assert CJK.search(widget.status.value)
    widget.step(1000)  # finished
    widget.restart()
    widget.optimizer.value, widget.lr.value = "SGD", 0.9
    widget.step(300)  # exploded
    assert widget.run.exploded
    widget.panel.show(float("nan"), 0.0)
    widget.restart()


def test_every_widget_message_is_reached_in_chinese(cjk_font, recorded, monkeypatch):
    for settings in ({}, {"epochs": 1000, "momentum": 0.5}, {"lr": 0.1, "momentum": 0.5},
                     {"lr": 0.0605}, {"lr": 50.0}, {"optimizer": "ASGD", "lr": 0.1},
                     {"optimizer": "Adam"}):
        status(**settings)
    test_not_improving_in_chinese()
    LiveLossCurves(2, lang="zh").close()  # its labels: training, validation, the loss
    dash = TrainingDashboard(lang="zh")
    explorer = LandscapeExplorer(lang="zh")
    try:
        for widget in (dash, explorer):
            _play_tour(widget)
        monkeypatch.setattr(dashboard_module, "train", lambda *a, **k: 1 / 0)
        dash.lr.value = 0.02
        for lr in (0.5, 0.0605):
            explorer.lr.value = lr
        explorer.history = None
        explorer.describe()
    finally:
        dash.close()
        explorer.close()
    keys = {key for key in TABLES["en"] if key.startswith(WIDGET_PREFIXES)}
    assert keys and not sorted(keys - recorded.used)

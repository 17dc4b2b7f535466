"""linreg_helpers.i18n: choosing the language, and a CJK font for figures in Chinese (or one
warning with the fix when there is none)."""

from __future__ import annotations

import glob
import warnings

import matplotlib
import matplotlib.pyplot as plt
import pytest
from matplotlib import font_manager

from linreg_helpers import get_language, i18n, set_language
from linreg_helpers.i18n import TABLES, fonts

LATIN_ONLY = [entry for entry in font_manager.fontManager.ttflist
              if fonts.first_cjk_font({entry.name}) is None]


@pytest.fixture
def restore():
    """Leave the language, the warned-once flag and matplotlib's settings as they were."""
    state, warned = dict(i18n._state), dict(fonts._warned)
    with matplotlib.rc_context():
        yield
    i18n._state.update(state)
    fonts._warned.update(warned)


@pytest.fixture
def no_cjk_fonts(monkeypatch):
    """A machine without any CJK font: none in matplotlib's list, none on disk."""
    monkeypatch.setattr(font_manager.fontManager, "ttflist", list(LATIN_ONLY))
    monkeypatch.setattr(fonts, "CJK_FONT_FILES", ())
    monkeypatch.setitem(fonts._warned, "done", False)


def test_english_is_the_default_and_unknown_languages_are_refused(restore):
    assert get_language() == "en"
    for wrong in ("fr", "ZH", "zh-CN", ""):
        with pytest.raises(ValueError, match=r"unknown language .*; choose one of en, zh"):
            set_language(wrong)
        assert get_language() == "en"


def test_the_first_cjk_font_in_the_preferred_order():
    assert fonts.first_cjk_font({"DejaVu Sans", "cmr10"}) is None
    assert fonts.first_cjk_font({"AR PL UMing CN", "Noto Sans CJK JP", "Noto Sans CJK SC",
                                "DejaVu Sans"}) == "Noto Sans CJK SC"
    assert fonts.first_cjk_font({"WenQuanYi Zen Hei", "WenQuanYi Micro Hei"}) == (
        "WenQuanYi Micro Hei")
    assert fonts.first_cjk_font({"Droid Sans Fallback", "SimHei"}) == "SimHei"


def test_with_a_cjk_font_chinese_sets_the_font_family(restore, no_cjk_fonts, monkeypatch):
    found = font_manager.FontEntry(fname="/fonts/wqy-microhei.ttc", name="WenQuanYi Micro Hei")
    monkeypatch.setattr(font_manager.fontManager, "ttflist", LATIN_ONLY + [found])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        set_language("zh")
    assert get_language() == "zh"
    assert matplotlib.rcParams["font.family"] == ["DejaVu Sans", "WenQuanYi Micro Hei"]


def test_without_a_cjk_font_one_warning_gives_the_fix(restore, no_cjk_fonts):
    family = list(matplotlib.rcParams["font.family"])
    with pytest.warns(UserWarning) as caught:
        set_language("zh")
    assert len(caught) == 1
    message = str(caught[0].message)
    # in the language just chosen, with the command that installs a font
    assert message == TABLES["zh"]["fonts.missing"].format(fix=fonts.CJK_FONT_FIX)
    assert "显示为方框" in message
    assert caught[0].filename == __file__  # points at the caller's line, not at i18n
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # only once
        set_language("zh")
        assert fonts.use_cjk_font() is None
    assert get_language() == "zh"  # messages still switch
    assert list(matplotlib.rcParams["font.family"]) == family


CJK_FILES = sorted(path for pattern in fonts.CJK_FONT_FILES for path in glob.glob(pattern))


@pytest.mark.skipif(not CJK_FILES, reason="no CJK font file installed (apt-get install "
                                          "fonts-wqy-microhei; .ci/run does)")
def test_a_font_installed_after_matplotlibs_cache_is_found(restore, monkeypatch):
    monkeypatch.setattr(font_manager.fontManager, "ttflist", list(LATIN_ONLY))
    font = fonts.cjk_font()
    assert font is not None
    assert any(entry.fname in CJK_FILES for entry in font_manager.fontManager.ttflist)


@pytest.mark.skipif(not CJK_FILES, reason="no CJK font file installed")
def test_chinese_text_draws_with_the_font_and_without_it_does_not(restore):
    def missing_glyphs() -> list[str]:
        figure, axes = plt.subplots()
        axes.set_title("损失函数 −1")  # Chinese and the minus sign
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            figure.canvas.draw()
        plt.close(figure)
        return [str(w.message) for w in caught if "missing from font" in str(w.message)]

    matplotlib.rcParams["font.family"] = ["DejaVu Sans"]
    assert missing_glyphs(), "DejaVu Sans alone should lack Chinese glyphs"
    set_language("zh")
    assert missing_glyphs() == []

"""The language of the helpers' messages and figures: English (the default) or Chinese.

``set_language("zh")`` — the first line of every notebook of the Chinese edition — switches the
package's messages to Chinese and makes matplotlib draw Chinese text with an installed CJK
font. When none is installed it warns once, with the command that installs one, instead of
drawing boxes. :func:`text` gives a message in the current language from the tables of
:mod:`linreg_helpers.messages`.
"""

from __future__ import annotations

import glob
import warnings
from typing import Optional

import matplotlib

from linreg_helpers.messages import TABLES

LANGUAGES: tuple[str, ...] = tuple(TABLES)  # "en" (the default), "zh"
#: Font families with Chinese glyphs, as matplotlib names them (the first installed one wins).
CJK_FONTS: tuple[str, ...] = (
    "Noto Sans CJK SC", "Noto Sans CJK", "Noto Serif CJK", "Source Han", "WenQuanYi",
    "SimHei", "SimSun", "Microsoft YaHei", "PingFang", "Hiragino Sans GB", "Heiti", "STHeiti",
    "Arial Unicode MS", "AR PL", "Droid Sans Fallback",
)
#: Where Linux distributions put CJK fonts that matplotlib's font cache may predate.
CJK_FONT_FILES: tuple[str, ...] = (
    "/usr/share/fonts/truetype/wqy/*.tt[cf]", "/usr/share/fonts/opentype/noto/NotoSansCJK*.tt[cf]",
    "/usr/share/fonts/truetype/droid/DroidSansFallback*.ttf",
)
CJK_FONT_FIX = "sudo apt-get install fonts-noto-cjk && rm -rf ~/.cache/matplotlib"

_state = {"language": "en", "warned": False}


def get_language() -> str:
    """The language of the helpers' messages: "en" or "zh"."""
    return _state["language"]


def text(key: str, /, *, lang: Optional[str] = None, **values: object) -> str:
    """The message ``key`` with its ``{placeholders}`` filled from ``values``.

    In ``lang`` if given (a widget's own language), else in the current language.
    """
    return TABLES[_state["language"] if lang is None else checked_language(lang)][key].format(
        **values)


def checked_language(language: str) -> str:
    """``language`` if it is one of LANGUAGES; otherwise a ValueError that lists them."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")
    return language


def set_language(language: str) -> None:
    """Use ``language`` ("en" or "zh") for every message and figure of the helpers."""
    _state["language"] = checked_language(language)
    if language == "zh":
        use_cjk_font()


def cjk_font() -> Optional[str]:
    """The family name of an installed font with Chinese glyphs, or None."""
    # Imported here, not at import time: loading matplotlib's font list builds its font cache.
    from matplotlib import font_manager

    names = {entry.name for entry in font_manager.fontManager.ttflist}
    found = first_cjk_font(names)
    if found is None:  # installed after matplotlib built its font cache?
        for pattern in CJK_FONT_FILES:
            for path in sorted(glob.glob(pattern)):
                font_manager.fontManager.addfont(path)
        found = first_cjk_font({entry.name for entry in font_manager.fontManager.ttflist})
    return found


def first_cjk_font(names: set[str]) -> Optional[str]:
    """The CJK font among the family ``names`` that the helpers use: CJK_FONTS' order."""
    for prefix in CJK_FONTS:
        matches = sorted(name for name in names if name.startswith(prefix))
        if matches:
            return matches[0]
    return None


def use_cjk_font() -> Optional[str]:
    """Let matplotlib draw Chinese: DejaVu Sans first (Latin, the minus sign), then a CJK font."""
    font = cjk_font()
    if font is None:
        if not _state["warned"]:
            _state["warned"] = True
            warnings.warn(f"no font with Chinese characters is installed, so Chinese text in "
                          f"figures shows as boxes; install one: {CJK_FONT_FIX}", stacklevel=3)
        return None
    # A list of families: matplotlib takes each glyph from the first family that has it.
    matplotlib.rcParams["font.family"] = ["DejaVu Sans", font]
    return font

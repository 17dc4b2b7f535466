"""Fonts with Chinese glyphs for the figures: which one is installed, and using it.

matplotlib draws boxes for Chinese characters unless a font that has them comes after
DejaVu Sans in ``font.family``. When none is installed, :func:`use_cjk_font` warns once, with
the command that installs one.
"""

from __future__ import annotations

import glob
import warnings
from typing import Optional

import matplotlib

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

_warned = {"done": False}


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


def use_cjk_font(warning: Optional[str] = None) -> Optional[str]:
    """Let matplotlib draw Chinese: DejaVu Sans first (Latin, the minus sign), then a CJK font.

    Without one, ``warning`` (set_language gives it in the chosen language) is issued once.
    """
    font = cjk_font()
    if font is None:
        if warning and not _warned["done"]:
            _warned["done"] = True
            warnings.warn(warning, stacklevel=3)
        return None
    # A list of families: matplotlib takes each glyph from the first family that has it.
    matplotlib.rcParams["font.family"] = ["DejaVu Sans", font]
    return font

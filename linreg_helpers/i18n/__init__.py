"""The language of the helpers' messages and figures: English (the default) or Chinese.

``set_language("zh")`` — the first line of every notebook of the Chinese edition — switches the
package's messages to Chinese and makes matplotlib draw Chinese text with an installed CJK
font (:mod:`.fonts`). :func:`text` gives a message in the current language.

The messages are one table per language, :mod:`.en` and :mod:`.zh`. Each maps a key to a
template for ``str.format``. Keys are grouped by what speaks: ``check.*`` the exercise
checkers, ``race.*`` the race table, ``dashboard.*`` the training dashboard's status line,
``widget.*`` the live widgets' controls, ``landscape.*`` the landscape explorer, ``plot.*``
the figures' texts, ``error.<module>.<what>`` the errors a learner can hit (every error the
package raises takes its message from here). Both tables have the same keys and, per key, the
same placeholders, and every key is used by the package (tests/test_messages.py checks it): a
new message goes into both.

The commands (``python -m linreg_helpers.ddp``, ``python -m linreg_helpers.doctor``, ``make
doctor``) speak the language that the environment variable ``LINREG_LANG`` names
(:func:`use_environment_language`); ``ddp.launch`` sets it for the processes it starts.
"""

from __future__ import annotations

import os
from typing import Optional

from linreg_helpers.i18n.en import MESSAGES as EN
from linreg_helpers.i18n.zh import MESSAGES as ZH

TABLES: dict[str, dict[str, str]] = {"en": EN, "zh": ZH}

LANGUAGES: tuple[str, ...] = tuple(TABLES)  # "en" (the default), "zh"
#: The environment variable that picks the commands' language: LINREG_LANG=zh.
ENVIRONMENT = "LINREG_LANG"
_state = {"language": "en"}


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
        raise ValueError(text("error.i18n.language", language=language,
                              choices=", ".join(LANGUAGES)))
    return language


def use_environment_language() -> str:
    """For the commands: use the language LINREG_LANG names, and return the language in use.

    Unset, the language stays (English in a new process; in a notebook, ``%run -m
    linreg_helpers.doctor`` keeps the notebook's). Messages only: a command draws no figure,
    so no font is looked for. A ValueError that lists the languages when LINREG_LANG names
    none of them.
    """
    value = os.environ.get(ENVIRONMENT, "").strip()
    if value and value not in LANGUAGES:
        raise ValueError(text("error.i18n.environment", language=value,
                              choices=", ".join(LANGUAGES)))
    if value:
        _state["language"] = value
    return _state["language"]


def set_language(language: str) -> None:
    """Use ``language`` ("en" or "zh") for every message and figure of the helpers."""
    _state["language"] = checked_language(language)
    if language == "zh":
        from linreg_helpers.i18n.fonts import CJK_FONT_FIX, use_cjk_font  # matplotlib: only now

        use_cjk_font(text("fonts.missing", fix=CJK_FONT_FIX))

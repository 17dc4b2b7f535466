"""The helpers' messages, one table per language: :mod:`.en` and :mod:`.zh`.

Each table maps a key to a template for ``str.format``; :func:`linreg_helpers.i18n.text` picks
the table of the current language. Keys are grouped by what speaks: ``check.*`` the exercise
checkers, ``race.*`` the race table, ``dashboard.*`` the training dashboard's status line,
``widget.*`` the live widgets' controls, ``landscape.*`` the landscape explorer, ``plot.*``
the figures' texts. Both tables have the same keys and, per key, the same
placeholders, and every key is used by the package (tests/test_messages.py checks it): a new
message goes into both.
"""

from linreg_helpers.messages.en import MESSAGES as EN
from linreg_helpers.messages.zh import MESSAGES as ZH

TABLES: dict[str, dict[str, str]] = {"en": EN, "zh": ZH}

"""What the message tests share (tests/test_messages.py, tests/test_widgets_zh.py): the test
for Chinese text, the widgets' message prefixes, and a message table that records its look-ups."""

from __future__ import annotations

import re

#: CJK punctuation and characters: a line of Chinese contains at least one.
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
#: The widgets' and figures' messages: reached in Chinese by tests/test_widgets_zh.py.
WIDGET_PREFIXES = ("dashboard.", "widget.", "landscape.", "plot.", "play.", "panel.")


class RecordingTable(dict):
    """A message table that remembers which keys were looked up."""

    def __init__(self, table: dict[str, str]):
        super().__init__(table)
        self.used: set[str] = set()

    def __getitem__(self, key: str) -> str:
        self.used.add(key)
        return super().__getitem__(key)

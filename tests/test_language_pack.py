"""JupyterLab in Chinese: the pinned jupyterlab-language-pack-zh-CN fits the pinned JupyterLab.

The pack is made for JupyterLab 4.5 and the pin is 4.6, so this checks what a learner sees
after Settings → Language → 中文: JupyterLab's server offers the language, the menu bar and
the language menu are Chinese, and most strings JupyterLab's own front end translates are in
the pack (the rest, from features newer than the pack, stay English); and in a real
JupyterLab, driven by Chromium (the fixtures of browser_support.py), the menu bar is Chinese.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import jupyterlab
import pytest
from browser_support import lab_setting
from jupyterlab_server import translation_utils

#: The menu bar of JupyterLab 4 and the entry that switches the language, in Chinese.
MENUS = {"File": "文件", "Edit": "编辑", "View": "查看", "Run": "运行", "Kernel": "内核",
         "Tabs": "标签页", "Settings": "设置", "Help": "帮助", "Language": "语言"}
#: The least share of JupyterLab's front-end strings that the pack must translate.
MIN_COVERAGE = 0.85


def _jupyterlab_messages() -> dict[str, list[str]]:
    packs, error = translation_utils.get_language_pack("zh_CN")
    assert not error, error
    assert "jupyterlab" in packs, "the zh_CN pack has no translations for JupyterLab itself"
    return {key.split("\x04")[-1]: value for key, value in packs["jupyterlab"].items() if key}


def test_jupyterlab_offers_chinese():
    languages, error = translation_utils.get_language_packs("en")
    assert not error, error
    assert "zh_CN" in languages, ("jupyterlab-language-pack-zh-CN is not installed: "
                                  ".venv/bin/pip install -r requirements.txt")
    assert languages["zh_CN"]["nativeName"].startswith("中文")


def test_menus_are_chinese():
    messages = _jupyterlab_messages()
    assert {english: messages.get(english, [None])[0] for english in MENUS} == MENUS


def test_most_of_this_jupyterlabs_strings_are_translated(capsys):
    """The strings JupyterLab's bundled front end passes to trans.__ / _n / _p."""
    static = Path(sys.prefix) / "share" / "jupyter" / "lab" / "static"
    bundles = sorted(static.glob("*.js"))
    assert bundles, f"no JupyterLab front end in {static}"
    call = re.compile(r'\.(?:__|_n|_p)\(\s*"((?:[^"\\]|\\.)*)"')
    wanted = set()
    for bundle in bundles:
        for escaped in call.findall(bundle.read_text(encoding="utf-8", errors="replace")):
            try:
                wanted.add(json.loads(f'"{escaped}"'))
            except json.JSONDecodeError:
                wanted.add(escaped)
    wanted.discard("")
    assert len(wanted) > 500, "the front end's strings were not found: has the bundle changed?"
    translated = wanted & set(_jupyterlab_messages())
    share = len(translated) / len(wanted)
    with capsys.disabled():
        print(f"\n[language pack] JupyterLab {jupyterlab.__version__}: {len(translated)} of "
              f"{len(wanted)} front-end strings in Chinese ({share:.0%})")
    assert share >= MIN_COVERAGE


@pytest.mark.browser
@pytest.mark.timeout(300)
def test_jupyterlab_shows_its_menus_in_chinese(lab, browser):
    """The session's JupyterLab with the language set to zh_CN (saved as Settings → Language
    → 中文 saves it) shows its menu bar in Chinese; the setting is reset afterwards."""
    with lab_setting(lab, "@jupyterlab/translation-extension:plugin", {"locale": "zh_CN"}):
        page = browser.new_page()
        try:
            page.goto(f"{lab.url}/lab?reset&token={lab.token}")
            menu_bar = page.locator("#jp-menu-panel .lm-MenuBar-itemLabel")
            menu_bar.filter(has_text="文件").wait_for(timeout=90_000)
            assert menu_bar.all_inner_texts() == [MENUS[name] for name in (
                "File", "Edit", "View", "Run", "Kernel", "Tabs", "Settings", "Help")]
        finally:
            page.close()

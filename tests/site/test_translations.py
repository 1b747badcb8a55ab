"""The portal's catalogues (locale/) are complete, translated (not copied), and compiled as committed."""

import re
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("language", ["ja", "zh_Hans"])
def test_every_string_is_translated_and_compiled(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    entries = [entry for entry in po if not entry.obsolete]
    assert [e.msgid for e in entries if not e.msgstr or "fuzzy" in e.flags] == []
    copies = [e.msgid for e in entries if e.msgstr == e.msgid and any(ch.isalpha() for ch in e.msgid)]
    assert copies == []
    compiled = {entry.msgid: entry.msgstr for entry in mo}
    assert {e.msgid: e.msgstr for e in entries} == {k: v for k, v in compiled.items() if k}


@pytest.mark.parametrize("language", ["ja", "zh_Hans"])
def test_placeholders_survive_translation(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    for entry in po:
        if not entry.obsolete:
            assert sorted(re.findall(r"%\(\w+\)s", entry.msgid)) == sorted(re.findall(r"%\(\w+\)s", entry.msgstr)), (
                entry.msgid
            )

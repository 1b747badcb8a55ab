"""The portal's catalogues (locale/ and each app's locale/) are complete, translated (not copied), and compiled
as committed."""

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
PO_FILES = sorted(ROOT.glob("locale/*/LC_MESSAGES/django.po")) + sorted(ROOT.glob("*/locale/*/LC_MESSAGES/django.po"))
CATALOGUES = [path.relative_to(ROOT).parent.as_posix() for path in PO_FILES]
# Written the same way in every language.
SAME_IN_EVERY_LANGUAGE = {"SHA-256"}


def test_every_app_has_both_catalogues():
    for app in ("consular_portal", "appointments", "passports", "inquiries"):
        where = ROOT / "locale" if app == "consular_portal" else ROOT / app / "locale"
        for language in ("ja", "zh_Hans"):
            assert (where / language / "LC_MESSAGES" / "django.mo").is_file(), (app, language)


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_every_string_is_translated_and_compiled(catalogue):
    po = polib.pofile(str(ROOT / catalogue / "django.po"))
    mo = polib.mofile(str(ROOT / catalogue / "django.mo"))
    entries = [entry for entry in po if not entry.obsolete]
    assert [e.msgid for e in entries if not e.msgstr or "fuzzy" in e.flags] == []
    copies = [
        e.msgid for e in entries
        if e.msgstr == e.msgid and any(ch.isalpha() for ch in e.msgid) and e.msgid not in SAME_IN_EVERY_LANGUAGE
    ]
    assert copies == []
    compiled = {entry.msgid: entry.msgstr for entry in mo}
    assert {e.msgid: e.msgstr for e in entries} == {k: v for k, v in compiled.items() if k}


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_placeholders_survive_translation(catalogue):
    po = polib.pofile(str(ROOT / catalogue / "django.po"))
    for entry in po:
        if not entry.obsolete:
            assert sorted(re.findall(r"%\(\w+\)s", entry.msgid)) == sorted(re.findall(r"%\(\w+\)s", entry.msgstr)), (
                entry.msgid
            )

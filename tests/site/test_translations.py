"""The portal's catalogues (locale/ and each app's locale/) are complete, translated (not copied), consistent with
each other and with the glossary, and compiled as committed."""

import re
from collections import defaultdict
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
PO_FILES = sorted(ROOT.glob("locale/*/LC_MESSAGES/django.po")) + sorted(ROOT.glob("*/locale/*/LC_MESSAGES/django.po"))
CATALOGUES = [path.relative_to(ROOT).parent.as_posix() for path in PO_FILES]
LANGUAGES = {"ja": ("ja", "Japanese"), "zh_Hans": ("zh-Hans", "Simplified Chinese")}
# Written the same way in every language.
SAME_IN_EVERY_LANGUAGE = {"SHA-256"}


def live_entries(catalogue):
    return [entry for entry in polib.pofile(str(ROOT / catalogue / "django.po")) if not entry.obsolete]


def translation(entry):
    """The msgstr, or the plural forms of an entry with a plural (ja and zh-Hans have one form)."""
    return tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)) if entry.msgid_plural else entry.msgstr


def texts(entry):
    translated = translation(entry)
    return translated if isinstance(translated, tuple) else (translated,)


def language_of(catalogue):
    return Path(catalogue).parent.name


def translations_by_language():
    """{language: {(context, msgid): {msgstr: [catalogues]}}} over every catalogue."""
    found = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for catalogue in CATALOGUES:
        for entry in live_entries(catalogue):
            found[language_of(catalogue)][(entry.msgctxt, entry.msgid)][translation(entry)].append(catalogue)
    return found


def conflicts(found):
    return {key: dict(versions) for key, versions in found.items() if len(versions) > 1}


def test_every_app_has_both_catalogues():
    for app in ("consular_portal", "appointments", "passports", "inquiries"):
        where = ROOT / "locale" if app == "consular_portal" else ROOT / app / "locale"
        for language in ("ja", "zh_Hans"):
            assert (where / language / "LC_MESSAGES" / "django.mo").is_file(), (app, language)


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_every_string_is_translated_and_compiled(catalogue):
    entries = live_entries(catalogue)
    assert [e.msgid for e in entries if not e.translated()] == []
    copies = [
        e.msgid for e in entries
        if {e.msgid, e.msgid_plural} & set(texts(e)) and any(ch.isalpha() for ch in e.msgid)
        and e.msgid not in SAME_IN_EVERY_LANGUAGE
    ]
    assert copies == []
    mo = polib.mofile(str(ROOT / catalogue / "django.mo"))
    compiled = {(entry.msgctxt, entry.msgid): translation(entry) for entry in mo if entry.msgid}
    assert {(e.msgctxt, e.msgid): translation(e) for e in entries} == compiled


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_header_names_the_project_language_and_plural_forms(catalogue):
    po = polib.pofile(str(ROOT / catalogue / "django.po"))
    code, team = LANGUAGES[language_of(catalogue)]
    assert not po.metadata_is_fuzzy
    assert po.metadata["Project-Id-Version"] == "Consular Portal"
    assert po.metadata["Language"] == language_of(catalogue)
    assert po.metadata["Language-Team"] == team
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"


def placeholders(text):
    return sorted(set(re.findall(r"%\(\w+\)[sd]", text)))


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_placeholders_survive_translation(catalogue):
    for entry in live_entries(catalogue):
        for text in texts(entry):
            assert placeholders(text) == placeholders(entry.msgid_plural or entry.msgid), entry.msgid


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_one_msgid_has_one_translation_in_every_catalogue(language):
    """The portal's locale/ comes first in LOCALE_PATHS and would silently win over an app's own translation."""
    assert conflicts(translations_by_language()[language]) == {}


def test_a_msgid_translated_two_ways_in_two_catalogues_is_reported():
    found = defaultdict(lambda: defaultdict(list))
    found[(None, "status")]["状態"].append("locale/ja/LC_MESSAGES")
    found[(None, "status")]["状況"].append("appointments/locale/ja/LC_MESSAGES")
    found[("expedite request", "status")]["状況"].append("appointments/locale/ja/LC_MESSAGES")
    assert list(conflicts(found)) == [(None, "status")]


def glossary_rows():
    rows = []
    for line in (ROOT / "docs" / "glossary.md").read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 5 and cells[0] not in ("English", "---"):
            rows.append(cells)
    return rows


def test_glossary_has_the_portal_concepts():
    english = " ".join(row[0] for row in glossary_rows())
    for concept in ("post", "embassy", "consulate", "status", "request", "reference", "expedited appointment",
                    "emergency appointment", "passport", "inquiry", "officer", "applicant", "appointment", "slot",
                    "proof", "business day"):
        assert concept in english, concept


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_translations_use_the_glossary_terms(language):
    column = 3 if language == "ja" else 4
    avoided = [(word.strip(), row[0]) for row in glossary_rows() for word in row[column].split(",") if word.strip()]
    assert avoided
    found = translations_by_language()[language]
    offending = [
        (msgid, msgstr, word, concept)
        for (_context, msgid), versions in found.items() for msgstr in versions
        for word, concept in avoided if word in "".join(msgstr)
    ]
    assert offending == []


@pytest.mark.parametrize(("language", "expected"), [
    ("ja", {"email to": "宛先", "email status": "送信状態", "request status": "状況", "event to": "変更後の状況",
            "post": "在外公館"}),
    ("zh-hans", {"email to": "收件人", "email status": "发送状态", "request status": "状态", "event to": "新状态",
                 "post": "使领馆"}),
])
def test_one_word_with_two_meanings_is_translated_for_each(language, expected):
    from django.utils import translation

    from appointments.models import ExpediteRequest, RequestEvent
    from consular_portal.models import OutboundEmail

    with translation.override(language):
        shown = {
            "email to": OutboundEmail._meta.get_field("to").verbose_name,
            "email status": OutboundEmail._meta.get_field("status").verbose_name,
            "request status": ExpediteRequest._meta.get_field("status").verbose_name,
            "event to": RequestEvent._meta.get_field("to_status").verbose_name,
            "post": ExpediteRequest._meta.get_field("post").verbose_name,
        }
        assert {name: str(text) for name, text in shown.items()} == expected

"""Passport status by email: the rules of a reply (RFC 3834, the per-sender limit, no quoting), without a
socket. The SMTP and IMAP front ends are in tests/integration/test_status_mail.py."""

from email.message import EmailMessage

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation

from consular_portal import outbox
from consular_portal.inbound_mail import AutoReply, NoReply, answer, answer_raw, parse, request_languages
from consular_portal.models import OutboundEmail
from passports.autoreply import INSTRUCTIONS_TEMPLATE, STATUS_TEMPLATE, passport_number, status_service
from passports.lookup import StatusAnswer
from passports.models import PassportTracking
from passports.statuses import Status, text

pytestmark = [pytest.mark.pure, pytest.mark.django_db]

SENDER = "hanako@example.com"
HOSTILE = "URGENT: your visa was refused, pay USD 300 at https://evil.example/pay"
HOSTILE_MARKS = ("URGENT", "evil.example", "USD 300", "refused, pay")


def mail(subject="TK1234567", body="", sender=SENDER, headers=None):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = settings.STATUS_MAIL_ADDRESS
    message["Subject"] = subject
    message["Message-ID"] = "<a1b2.c3@mail.example.com>"
    message.set_content(body or "\n")
    for name, value in (headers or {}).items():
        message[name] = value
    return message


def fake_lookup(number):
    """What passport_status answers for a passport at the Embassy, in the active language."""
    words = text(Status.AT_POST)
    return StatusAnswer(
        status="at_post", label=str(Status.AT_POST.label), meaning=str(words.meaning), advice=str(words.advice),
        masked_number="••••" + number[-4:], changed_at=None, letter_pack_number=None, letter_pack_url=None,
    )


SERVICE = status_service(fake_lookup)


def reply_to(message, service=SERVICE):
    return answer(message, service=service)


def rendered(reply):
    return outbox.render_email(reply.template, reply.context, reply.language)


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("TK1234567", ""),
        ("  tk 123 4567 ", "Hello, where is my passport?"),
        ("Passport", "TK1234567\n"),
        ("", "\n  ＴＫ１２３４５６７  \n\n-- \nHanako Yamada\n+81 90 0000 0000\n"),
        ("Re: status", "TK-123-4567"),
    ],
)
def test_a_subject_or_text_that_is_one_passport_number_gets_its_status(subject, body):
    reply = reply_to(mail(subject, body))
    assert isinstance(reply, AutoReply) and reply.template == STATUS_TEMPLATE
    assert reply.to == SENDER
    [en, ja] = reply.context["sections"]
    assert (en["language"], ja["language"]) == ("en", "ja")
    subject_line, body_text, html = rendered(reply)
    assert "••••4567" in body_text and "••••4567" in html
    assert "TK1234567" not in body_text + html + subject_line  # the number is masked everywhere
    assert str(text(Status.AT_POST).meaning) in body_text
    with translation.override("ja"):
        assert str(Status.AT_POST.label) in body_text and gettext_in("ja", "Your passport status") in subject_line


def gettext_in(language, message):
    with translation.override(language):
        return translation.gettext(message)


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("Hello", "Where is my passport?"),
        ("my passport TK1234567 please", ""),
        ("Status", "TK1234567 and TK7654321"),
        ("Status", "Passport: TK1234567"),
        ("ABCDEFG", ""),  # letters only: a word, not a number
        ("TK12", ""),  # too short to be a passport number
        ("", ""),
    ],
)
def test_anything_else_gets_the_instructions(subject, body):
    reply = reply_to(mail(subject, body))
    assert isinstance(reply, AutoReply) and reply.template == INSTRUCTIONS_TEMPLATE
    _subject, body_text, _html = rendered(reply)
    assert settings.STATUS_MAIL_ADDRESS in body_text and "TK1234567" in body_text  # the example, ours
    assert "sections" not in reply.context


@pytest.mark.parametrize(
    ("headers", "sender", "why"),
    [
        ({"Auto-Submitted": "auto-replied"}, SENDER, "Auto-Submitted"),
        ({"Auto-Submitted": "auto-generated"}, SENDER, "Auto-Submitted"),
        ({"Auto-Submitted": "Auto-Replied (vacation)"}, SENDER, "Auto-Submitted"),
        ({"Precedence": "bulk"}, SENDER, "Precedence"),
        ({"Precedence": "list"}, SENDER, "Precedence"),
        ({"Precedence": "Junk"}, SENDER, "Precedence"),
        ({"List-Id": "<news.example.com>"}, SENDER, "List-*"),
        ({"List-Unsubscribe": "<mailto:leave@example.com>"}, SENDER, "List-*"),
        ({"Return-Path": "<>"}, SENDER, "empty Return-Path"),
        ({}, "MAILER-DAEMON@mx.example.com", "MAILER-DAEMON"),
        ({}, "Mail Delivery System <postmaster@example.com>", "postmaster"),
        ({"Return-Path": "<mailer-daemon@example.com>"}, SENDER, "MAILER-DAEMON"),
        ({}, settings.STATUS_MAIL_ADDRESS, "our own address"),
        ({}, settings.DEFAULT_FROM_EMAIL, "our own address"),
        ({}, "not an address", "no valid sender"),
        ({}, "a@example.com, b@example.com", "no valid sender"),
    ],
)
def test_automatic_list_bulk_bounce_and_own_mail_gets_no_reply(headers, sender, why):
    reply = reply_to(mail("TK1234567", sender=sender, headers=headers))
    assert isinstance(reply, NoReply) and why in reply


def test_auto_submitted_no_is_a_person_and_gets_a_reply():
    assert isinstance(reply_to(mail(headers={"Auto-Submitted": "no"})), AutoReply)


def test_the_reply_goes_to_the_return_path_the_receiving_server_wrote():
    reply = reply_to(mail(headers={"Return-Path": "<Envelope@Example.COM>"}))
    assert reply.to == "Envelope@example.com"


def test_a_sender_gets_at_most_the_configured_replies_an_hour(django_capture_on_commit_callbacks):
    with override_settings(AUTOREPLY_PER_SENDER_PER_HOUR=3), django_capture_on_commit_callbacks():
        outcomes = [reply_to(mail(subject)) for subject in ("TK1234567", "hello", "TK1234567")]
        for reply in outcomes:
            reply.queue()
        assert reply_to(mail("TK1234567")) == "per-sender limit"
        assert reply_to(mail("TK1234567", sender=SENDER.upper())) == "per-sender limit"  # same address
        assert isinstance(reply_to(mail("TK1234567", sender="taro@example.com")), AutoReply)
    assert OutboundEmail.objects.filter(to=SENDER).count() == 3
    with override_settings(AUTOREPLY_PER_SENDER_PER_HOUR=4):
        assert isinstance(reply_to(mail("TK1234567")), AutoReply)


def test_the_reply_quotes_nothing_the_sender_wrote():
    for message in (mail(HOSTILE, HOSTILE), mail(HOSTILE, "TK1234567"), mail("TK1234567", HOSTILE)):
        reply = reply_to(message)
        subject, body_text, html = rendered(reply)
        for part in (subject, body_text, html):
            assert not [mark for mark in HOSTILE_MARKS if mark in part], part
        assert not subject.lower().startswith("re:")
        assert subject in {gettext_in("en", "Your passport status") + " / " + gettext_in("ja", "Your passport status"),
                           " / ".join(gettext_in(code, "How to ask for your passport status by email")
                                      for code in ("en", "ja"))}


def test_the_reply_is_marked_auto_replied_and_refers_to_a_sane_message_id():
    reply = reply_to(mail())
    assert reply.headers == {"Auto-Submitted": "auto-replied", "In-Reply-To": "<a1b2.c3@mail.example.com>",
                             "References": "<a1b2.c3@mail.example.com>"}
    for bad in ("no-brackets@example.com", "<no-at-sign>", "<a@b> <c@d>", "<" + "x" * 300 + "@example.com>",
                "<a\"quoted\"@example.com>"):
        raw = bytes(mail()).replace(b"<a1b2.c3@mail.example.com>", bad.encode())
        assert reply_to(parse(raw)).headers == {"Auto-Submitted": "auto-replied"}, bad


@pytest.mark.parametrize(
    ("headers", "subject", "languages"),
    [
        ({}, "Passport", ("en", "ja")),
        ({"Content-Language": "ja"}, "Passport", ("ja",)),
        ({"Content-Language": "zh-CN"}, "Passport", ("zh-hans",)),
        ({"Accept-Language": "zh-Hans-CN, zh;q=0.9"}, "Passport", ("zh-hans",)),
        ({"Accept-Language": "fr, ja;q=0.5"}, "Passport", ("ja",)),
        ({"Content-Language": "fr"}, "Passport", ("en", "ja")),
        ({}, "日本語", ("ja",)),
        ({}, "パスポート 日本語で", ("ja",)),
        ({}, "中文", ("zh-hans",)),
        ({}, "English please", ("en",)),
    ],
)
def test_the_reply_is_in_the_language_of_the_request_else_english_and_japanese(headers, subject, languages):
    assert request_languages(mail(subject, "TK1234567", headers=headers)) == languages


def test_a_request_in_chinese_gets_the_status_page_words_in_chinese(make_tracking):
    make_tracking("TK1234567", status=PassportTracking.Status.RETURNED)
    reply = answer(mail("中文", "TK1234567"), service=status_service())
    [section] = reply.context["sections"]
    with translation.override("zh-hans"):
        assert section["meaning"] == str(text(Status.RETURNED).meaning)
        assert section["label"] == str(Status.RETURNED.label)
    assert section["status"] == "returned" and reply.language == "zh-hans"
    _subject, body_text, html = rendered(reply)
    assert section["advice"] in body_text and 'lang="zh-hans"' in html


@pytest.mark.parametrize(
    ("typed", "number"),
    [("TK1234567", "TK1234567"), ("tk 123 4567", "TK1234567"), ("TK\u200b1234567", "TK1234567"),
     ("123456789", "123456789"), ("TK 123\u20124567", "TK1234567"), ("my TK1234567", ""), ("PASSPORT", ""),
     ("TK1234567 TK7654321", ""), ("X" * 50 + "1", "")],
)
def test_a_passport_number_is_one_number_and_nothing_else(typed, number):
    assert passport_number(typed) == number


def test_a_raw_message_is_answered_through_the_outbox_with_the_reply_headers(django_capture_on_commit_callbacks):
    raw = bytes(mail("hello"))
    outcome = answer_raw(raw, settings.STATUS_MAIL_ADDRESS.upper())
    assert outcome == f"replied: {INSTRUCTIONS_TEMPLATE}"
    row = OutboundEmail.objects.get()
    assert row.to == SENDER and row.template == INSTRUCTIONS_TEMPLATE
    assert row.headers["Auto-Submitted"] == "auto-replied"
    assert row.headers["In-Reply-To"] == "<a1b2.c3@mail.example.com>"
    assert answer_raw(raw, "someone-else@consular-portal.example") == "no service for this address"
    assert answer_raw(b"\xff\xfe garbage \x00", settings.STATUS_MAIL_ADDRESS).startswith("no reply")

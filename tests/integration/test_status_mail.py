"""Passport status by email through both front ends, on the real services: mail sent over SMTP to
``manage.py receive_mail`` (a subprocess) or left in a Dovecot mailbox for ``poll_mailbox``, answered by the
real Celery worker, the reply delivered through the outbox to the SMTP peer."""

import imaplib
import smtplib
import subprocess
import sys
from email.message import EmailMessage

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone, translation

from consular_portal.models import OutboundEmail
from passports.models import PassportTracking
from passports.statuses import Status, text

from .. import services

pytestmark = pytest.mark.django_db(transaction=True)

TASK = "consular_portal.tasks.answer_inbound_mail"
SEND = "consular_portal.tasks.send_outbound_email"
STATUS = settings.STATUS_MAIL_ADDRESS
MAX_BYTES = 64 * 1024


@pytest.fixture(scope="module")
def receiver(celery_worker):
    """``manage.py receive_mail`` on a free port, on the worker's broker."""
    port = services.free_port()
    env = {**celery_worker.env, "MAIL_RECEIVER_MAX_BYTES": str(MAX_BYTES)}
    process = subprocess.Popen(
        [sys.executable, "manage.py", "receive_mail", "--port", str(port)], cwd=services.ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    services.wait_for_port(port, process=process)
    yield port
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def dovecot():
    server = services.Dovecot().start()
    yield server
    server.stop()


@pytest.fixture
def tracked(posts):
    return PassportTracking.objects.create(
        post=posts["tokyo"], key="TK1234567", status=Status.OUT_FOR_DELIVERY, letter_pack_number="123456789012",
        status_changed_at=timezone.now(),
    )


def message(sender, subject="TK1234567", body="", headers=None, msg_id=None):
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = STATUS
    mail["Subject"] = subject
    mail["Message-ID"] = msg_id or f"<{abs(hash((sender, subject, body)))}@mail.example.com>"
    mail.set_content(body or "\n")
    for name, value in (headers or {}).items():
        mail[name] = value
    return mail


def send(port, mail, mail_from=None):
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.send_message(mail, from_addr=mail["From"] if mail_from is None else mail_from, to_addrs=[STATUS])


def body(reply):
    return reply.get_body(("plain",)).get_content()


def test_a_passport_number_sent_over_smtp_gets_its_status_and_anything_else_the_instructions(
    celery_worker, mailbox, receiver, tracked
):
    since = celery_worker.log_position()
    send(receiver, message("hanako@example.com", "TK 123 4567", "Where is it?", msg_id="<q1@mail.example.com>"))
    send(receiver, message("taro@example.com", "Hello", "My passport is TK1234567, where is it? URGENT"))
    assert sorted(celery_worker.wait_finished(TASK, 2, since=since)) == [
        "'replied: passport_status_instructions'", "'replied: passport_status_reply'"]

    [status] = mailbox.wait_for(1, to="hanako@example.com")
    text_part = body(status)
    assert str(text(Status.OUT_FOR_DELIVERY).meaning) in text_part
    assert str(Status.OUT_FOR_DELIVERY.label) in text_part
    with translation.override("ja"):
        assert str(Status.OUT_FOR_DELIVERY.label) in text_part  # no language asked: English and Japanese
    assert "••••4567" in text_part and "TK1234567" not in text_part and "123456789012" in text_part
    assert status["Auto-Submitted"] == "auto-replied"
    assert status["In-Reply-To"] == status["References"] == "<q1@mail.example.com>"
    assert "Where is it" not in str(status)

    # Long enough for the outbox's sweep (a minute) to send a reply the worker could not hand to Celery at once;
    # a reply that never comes shows its outbox row.
    try:
        [instructions] = mailbox.wait_for(1, to="taro@example.com", timeout=90)
    except AssertionError as missing:
        rows = list(OutboundEmail.objects.filter(to="taro@example.com").values(
            "status", "attempts", "last_error", "created_at", "claimed_at", "next_attempt_at"))
        raise AssertionError(f"{missing}; outbox rows: {rows}") from None
    assert STATUS in body(instructions) and instructions["Auto-Submitted"] == "auto-replied"
    assert "URGENT" not in str(instructions) and "Hello" not in instructions["Subject"]


def test_automatic_bulk_and_bounce_mail_gets_no_reply(celery_worker, mailbox, receiver, tracked):
    since = celery_worker.log_position()
    send(receiver, message("vacation@example.com", headers={"Auto-Submitted": "auto-replied"}))
    send(receiver, message("news@example.com", headers={"Precedence": "bulk"}))
    send(receiver, message("MAILER-DAEMON@mx.example.com", "Undelivered Mail Returned to Sender",
                           "TK1234567"), mail_from="")
    results = celery_worker.wait_finished(TASK, 3, since=since)
    assert sorted(results) == ["'no reply: automatic: Auto-Submitted'", "'no reply: bounce: empty Return-Path'",
                               "'no reply: list or bulk: Precedence'"]
    # A person's message sent after them is answered, and is the only reply.
    send(receiver, message("hanako@example.com"))
    mailbox.wait_for(1, to="hanako@example.com")
    assert celery_worker.wait_finished(SEND, 1, since=since) == ["'sent'"]
    assert [str(m["To"]) for m in mailbox.messages] == ["hanako@example.com"]
    assert OutboundEmail.objects.count() == 1


def test_a_sender_gets_at_most_three_replies_an_hour(celery_worker, mailbox, receiver, tracked):
    since = celery_worker.log_position()
    for n in range(5):
        send(receiver, message("loop@example.com", "TK1234567", f"try {n}"))
    results = celery_worker.wait_finished(TASK, 5, since=since)
    assert sorted(results).count("'replied: passport_status_reply'") == 3
    assert results.count("'no reply: per-sender limit'") == 2
    # A send task takes the other due rows with its own, so the later tasks may find theirs sent already.
    assert set(celery_worker.wait_finished(SEND, 3, since=since)) <= {"'sent'", "None"}
    assert len(mailbox.wait_for(3, to="loop@example.com")) == 3
    assert OutboundEmail.objects.filter(to="loop@example.com").count() == 3


def test_the_receiver_accepts_mail_only_for_the_status_address_and_within_the_size_limit(receiver):
    with smtplib.SMTP("127.0.0.1", receiver, timeout=10) as client:
        client.ehlo()
        client.mail("hanako@example.com")
        code, _ = client.rcpt("officers@consular-portal.example")
        assert code == 550
        assert client.rcpt(STATUS.upper())[0] == 250
        client.rset()
        big = message("hanako@example.com", "TK1234567", ("x" * 70 + "\n") * (MAX_BYTES // 70 + 10))
        with pytest.raises(smtplib.SMTPSenderRefused) as refused:  # declared with SIZE=
            client.send_message(big, to_addrs=[STATUS])
        assert refused.value.smtp_code == 552
        client.mail("hanako@example.com")  # not declared: refused once the data is past the limit
        client.rcpt(STATUS)
        assert client.data(bytes(big).replace(b"\n", b"\r\n"))[0] == 552


def deliver(dovecot, *mails, folder="INBOX"):
    client = imaplib.IMAP4("127.0.0.1", dovecot.port)
    client.login(dovecot.USER, dovecot.PASSWORD)
    for mail in mails:
        client.append(folder, None, None, bytes(mail))
    client.logout()


def mailbox_state(dovecot):
    client = imaplib.IMAP4("127.0.0.1", dovecot.port)
    client.login(dovecot.USER, dovecot.PASSWORD)
    state = {}
    for folder in ("INBOX", "Answered"):
        if client.select(folder)[0] == "OK":
            state[folder] = (len(client.search(None, "ALL")[1][0].split()),
                             len(client.search(None, "UNSEEN")[1][0].split()))
    client.logout()
    return state


def test_the_imap_poller_answers_the_same_messages_and_marks_them_seen(celery_worker, mailbox, dovecot, tracked):
    since = celery_worker.log_position()
    # As the delivering server writes them: the envelope sender as Return-Path.
    deliver(
        dovecot,
        message("hanako@example.com", headers={"Return-Path": "<hanako@example.com>"}),
        message("taro@example.com", "Hello", "What is the status?"),
        message("vacation@example.com", headers={"Auto-Submitted": "auto-replied"}),
        message("news@example.com", headers={"Precedence": "bulk"}),
        message("MAILER-DAEMON@mx.example.com", "Undelivered", "TK1234567", headers={"Return-Path": "<>"}),
    )
    call_command("poll_mailbox", url=dovecot.url)
    results = celery_worker.wait_finished(TASK, 5, since=since)
    assert sorted(results) == [
        "'no reply: automatic: Auto-Submitted'", "'no reply: bounce: empty Return-Path'",
        "'no reply: list or bulk: Precedence'", "'replied: passport_status_instructions'",
        "'replied: passport_status_reply'"]
    [status] = mailbox.wait_for(1, to="hanako@example.com")
    assert str(Status.OUT_FOR_DELIVERY.label) in body(status) and status["Auto-Submitted"] == "auto-replied"
    mailbox.wait_for(1, to="taro@example.com")
    assert mailbox_state(dovecot)["INBOX"] == (5, 0)  # all seen

    # A second poll hands over nothing; with ?move= handled mail leaves the inbox.
    since = celery_worker.log_position()
    assert imap_poll(dovecot.url) == 0
    deliver(dovecot, message("jiro@example.com", "Hi", "hello"))
    assert imap_poll(dovecot.url + "?move=Answered", create="Answered") == 1
    assert celery_worker.wait_finished(TASK, 1, since=since) == ["'replied: passport_status_instructions'"]
    mailbox.wait_for(1, to="jiro@example.com")
    assert mailbox_state(dovecot) == {"INBOX": (5, 0), "Answered": (1, 0)}


def imap_poll(url, create=None):
    from consular_portal import imap_poller

    if create:
        client = imap_poller.MailboxURL.parse(url).connect()
        client.create(create)
        client.logout()
    return imap_poller.poll(url)

"""The outbox in-process: rendering, the allow-list, claiming, backoff and purge."""

import ast
import datetime as dt
from pathlib import Path

import pytest
from celery.signals import before_task_publish
from django.utils import timezone

from consular_portal import outbox
from consular_portal.celery import app as celery_app
from consular_portal.models import OutboundEmail

Status = OutboundEmail.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_mailer(settings, mailbox):
    """The in-process email backend talks to the real SMTP peer."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": mailbox.port, "timeout": 5},
        }
    }
    return mailbox


def test_email_is_rendered_in_the_recipients_language_with_the_test_prefix():
    email = outbox.queue_email(to="li@example.com", template="test_message", context={}, language="zh-hans")
    assert email.subject == "[TEST] 来自领事服务门户的测试邮件"
    assert "测试邮件" in email.body_text and 'lang="zh-hans"' in email.body_html
    assert email.status == Status.QUEUED


def test_recipients_outside_the_allow_list_are_suppressed_outside_production(settings):
    settings.OUTBOX_ALLOWED_DOMAINS = ["example.com"]
    kept = outbox.queue_email(to="a@mail.example.com", template="test_message", context={}, language="en")
    dropped = outbox.queue_email(to="someone@gmail.com", template="test_message", context={}, language="en")
    assert kept.status == Status.QUEUED
    assert dropped.status == Status.SUPPRESSED
    assert outbox.deliver(dropped.pk) is None


def test_production_sends_to_everyone_without_prefix(settings):
    settings.PRODUCTION = True
    settings.OUTBOX_SUBJECT_PREFIX = ""
    email = outbox.queue_email(to="someone@gmail.com", template="test_message", context={}, language="en")
    assert email.status == Status.QUEUED
    assert email.subject == "Test message from the Consular Portal"


def test_deliver_sends_once_and_records_it(smtp_mailer):
    email = outbox.queue_email(to="a@example.com", template="test_message", context={}, language="en")
    assert outbox.deliver(email.pk) == Status.SENT
    assert outbox.deliver(email.pk) is None
    [message] = smtp_mailer.wait_for(1)
    assert message["X-Outbox-Id"] == str(email.pk)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.SENT, 1)


def test_a_row_is_not_claimed_before_its_retry_is_due(smtp_mailer):
    email = outbox.queue_email(to="a@example.com", template="test_message", context={}, language="en")
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=Status.RETRY, next_attempt_at=timezone.now() + dt.timedelta(minutes=5)
    )
    assert outbox.deliver(email.pk) is None
    assert smtp_mailer.messages == []


def test_failures_back_off_exponentially_and_give_up_after_the_last_attempt(settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},  # nothing listens on the discard port
        }
    }
    settings.OUTBOX_MAX_ATTEMPTS = 3
    email = outbox.queue_email(to="a@example.com", template="test_message", context={}, language="en")
    waits = []
    for _attempt in range(3):
        before = timezone.now()
        status = outbox.deliver(email.pk)
        email.refresh_from_db()
        waits.append((email.next_attempt_at - before).total_seconds())
        OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    assert status == Status.FAILED
    assert email.attempts == 3 and email.last_error
    assert 25 < waits[0] < 35 and 55 < waits[1] < 65  # 30 s, then 60 s
    assert outbox.backoff(20) == 6 * 3600


def test_sweep_picks_up_only_what_is_due(settings, monkeypatch):
    fresh = outbox.queue_email(to="a@example.com", template="test_message", context={}, language="en")
    old = outbox.queue_email(to="b@example.com", template="test_message", context={}, language="en")
    stuck = outbox.queue_email(to="c@example.com", template="test_message", context={}, language="en")
    long_ago = timezone.now() - dt.timedelta(hours=1)
    OutboundEmail.objects.filter(pk=old.pk).update(created_at=long_ago)
    OutboundEmail.objects.filter(pk=stuck.pk).update(status=Status.SENDING, claimed_at=long_ago)
    queued = []
    settings.CELERY_TASK_TIME_LIMIT = 90
    monkeypatch.setattr(outbox, "enqueue", lambda pk: queued.append(pk) or True)
    assert outbox.requeue_due() == 2
    assert sorted(queued) == sorted([old.pk, stuck.pk])
    assert fresh.pk not in queued
    assert OutboundEmail.objects.get(pk=stuck.pk).status == Status.RETRY


def test_purge_removes_old_sent_mail_only():
    sent = outbox.queue_email(to="a@example.com", template="test_message", context={}, language="en")
    pending = outbox.queue_email(to="b@example.com", template="test_message", context={}, language="en")
    old = timezone.now() - dt.timedelta(days=400)
    OutboundEmail.objects.filter(pk=sent.pk).update(status=Status.SENT, created_at=old)
    OutboundEmail.objects.filter(pk=pending.pk).update(created_at=old)
    assert outbox.purge_sent() == 1
    assert list(OutboundEmail.objects.values_list("pk", flat=True)) == [pending.pk]


def test_the_layout_names_the_post_in_the_recipients_language(tokyo):
    email = outbox.queue_email(
        to="a@example.com", template="test_message", context={"post": tokyo}, language="ja", post=tokyo
    )
    assert "在日米国大使館" in email.body_text and "在日米国大使館" in email.body_html
    assert "U.S. Embassy Tokyo" not in email.body_text


def test_the_outbox_names_its_task_and_never_imports_the_tasks_module():
    """tasks.py imports the outbox; the outbox must not import tasks.py back (not even inside a function)."""
    tree = ast.parse(Path(outbox.__file__).read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not imported & {"tasks", "consular_portal.tasks"}, imported


def test_enqueue_publishes_the_send_task_on_the_mail_queue():
    published = []

    def record(sender=None, routing_key=None, **kwargs):
        published.append((sender, routing_key))

    before_task_publish.connect(record, weak=False)
    try:
        assert outbox.enqueue(123456789) is True
    finally:
        before_task_publish.disconnect(record)
    assert published == [("consular_portal.tasks.send_outbound_email", "mail")]


def test_eager_mode_sends_the_email_in_the_calling_process(smtp_mailer):
    email = outbox.queue_email(to="eager@example.com", template="test_message", context={}, language="en")
    celery_app.conf.task_always_eager = True
    try:
        assert outbox.enqueue(email.pk) is True
    finally:
        celery_app.conf.task_always_eager = False
    [message] = smtp_mailer.wait_for(1)
    assert message["To"] == "eager@example.com"
    email.refresh_from_db()
    assert email.status == Status.SENT

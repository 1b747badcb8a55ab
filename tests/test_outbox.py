"""The outbox in-process: rendering, the allow-list, claiming, backoff and purge; one SMTP connection kept
per process and replaced when the server drops it."""

import ast
import datetime as dt
import time
from pathlib import Path

import pytest
from celery.signals import before_task_publish
from django.db import connection
from django.test.utils import CaptureQueriesContext
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


@pytest.fixture
def kept_smtp(settings, mailbox):
    """The portal's own SMTP backend (what an smtp:// EMAIL_URL gives) talking to the real SMTP peer."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "consular_portal.mail_backends.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": mailbox.port, "timeout": 5},
        }
    }
    yield mailbox
    outbox.close_process_mailer()


def queued(count, prefix="kept"):
    return [
        outbox.queue_email(to=f"{prefix}{i}@example.com", template="test_message", context={}, language="en")
        for i in range(count)
    ]


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


def test_one_process_sends_every_email_over_one_smtp_connection(kept_smtp):
    emails = queued(10)
    assert [outbox.deliver(email.pk) for email in emails] == [Status.SENT] * 10
    messages = kept_smtp.wait_for(10)
    assert sorted(m["X-Outbox-Id"] for m in messages) == sorted(str(email.pk) for email in emails)
    assert kept_smtp.connections == 1


def test_after_the_server_drops_the_connection_the_next_email_is_sent_once_on_a_new_one(kept_smtp):
    first, second = queued(2)
    assert outbox.deliver(first.pk) == Status.SENT
    kept_smtp.wait_for(1)
    kept_smtp.stop()  # the server goes away with the worker's connection open, and comes back
    kept_smtp.start()
    assert outbox.deliver(second.pk) == Status.SENT
    [_first, message] = kept_smtp.wait_for(2)
    assert message["X-Outbox-Id"] == str(second.pk)
    second.refresh_from_db()
    assert (second.status, second.attempts, second.last_error) == (Status.SENT, 1, "")
    assert kept_smtp.connections == 2


def test_a_server_that_hangs_up_after_every_message_gets_each_email_once(kept_smtp):
    kept_smtp.hang_up_after_each_message()
    emails = queued(5)
    for email in emails:
        assert outbox.deliver(email.pk) == Status.SENT
        kept_smtp.wait_for(emails.index(email) + 1)
        time.sleep(0.05)  # the server has closed the connection the next email finds
    assert len(kept_smtp.messages) == 5 and kept_smtp.connections == 5
    assert set(OutboundEmail.objects.values_list("attempts", flat=True)) == {1}


def test_an_idle_connection_is_replaced_before_the_next_email(kept_smtp, settings):
    settings.MAILERS["default"]["OPTIONS"]["max_idle"] = 0
    first, second = queued(2)
    assert outbox.deliver(first.pk) == Status.SENT
    time.sleep(0.01)
    assert outbox.deliver(second.pk) == Status.SENT
    assert len(kept_smtp.wait_for(2)) == 2 and kept_smtp.connections == 2


def test_a_server_that_is_down_is_a_failure_recorded_for_retry_not_a_loop(kept_smtp):
    email, = queued(1)
    kept_smtp.stop()
    try:
        assert outbox.deliver(email.pk) == Status.RETRY
    finally:
        kept_smtp.start()
    email.refresh_from_db()
    assert email.attempts == 1 and "Connection refused" in email.last_error
    OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    assert outbox.deliver(email.pk) == Status.SENT
    assert len(kept_smtp.wait_for(1)) == 1


def test_the_embedded_default_still_writes_each_email_to_the_mail_folder(settings, tmp_path):
    settings.MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                    "OPTIONS": {"file_path": str(tmp_path)}}
    }
    emails = queued(3, prefix="file")
    assert [outbox.deliver(email.pk) for email in emails] == [Status.SENT] * 3
    lines = [line for path in tmp_path.iterdir() for line in path.read_text().splitlines()]
    assert sorted(line for line in lines if line.startswith("To: ")) == [f"To: file{i}@example.com" for i in range(3)]


@pytest.mark.django_db(transaction=True)
def test_a_worker_sends_every_email_over_one_connection_per_pool_process(celery_worker, mailbox):
    since = celery_worker.log_position()
    emails = queued(30, prefix="worker")
    # Every task ran; a task whose row an earlier task had sent with its batch did nothing.
    results = celery_worker.wait_finished(outbox.SEND_TASK, 30, since=since)
    assert "'sent'" in results and set(results) <= {"'sent'", "None"}
    assert len(mailbox.wait_for(30)) == 30
    time.sleep(0.5)  # anything sent twice would arrive now
    assert sorted(m["X-Outbox-Id"] for m in mailbox.messages) == sorted(str(email.pk) for email in emails)
    assert 1 <= mailbox.connections <= len(celery_worker.pool_processes()) < 30
    assert set(OutboundEmail.objects.filter(pk__in=[e.pk for e in emails]).values_list("status", flat=True)) == {
        Status.SENT}


def test_a_task_sends_every_due_row_in_batches_of_one_claim_and_one_update(kept_smtp):
    emails = queued(30, prefix="batch")
    with CaptureQueriesContext(connection) as queries:
        assert outbox.deliver_due(emails[0].pk, batch=10) == Status.SENT
    # Three batches of ten (a claim and an update each) and the claim that found nothing more: not two
    # statements per email.
    assert len(queries) == 7, [q["sql"][:60] for q in queries]
    messages = kept_smtp.wait_for(30)
    assert sorted(m["X-Outbox-Id"] for m in messages) == sorted(str(email.pk) for email in emails)
    assert kept_smtp.connections == 1
    assert set(OutboundEmail.objects.values_list("status", "attempts")) == {(Status.SENT, 1)}


def test_the_task_of_a_row_an_earlier_batch_sent_sends_nothing(kept_smtp):
    first, second = queued(2)
    assert outbox.deliver_due(first.pk) == Status.SENT
    assert len(kept_smtp.wait_for(2)) == 2
    assert outbox.deliver_due(second.pk) is None
    assert outbox.deliver_due(first.pk) is None
    time.sleep(0.2)
    assert len(kept_smtp.messages) == 2
    assert set(OutboundEmail.objects.values_list("status", "attempts")) == {(Status.SENT, 1)}


def test_a_task_sends_its_own_row_first_then_the_longest_waiting(kept_smtp):
    older, old, own = queued(3)
    OutboundEmail.objects.filter(pk=older.pk).update(next_attempt_at=timezone.now() - dt.timedelta(minutes=2))
    OutboundEmail.objects.filter(pk=old.pk).update(next_attempt_at=timezone.now() - dt.timedelta(minutes=1))
    assert outbox.deliver_due(own.pk, batch=2) == Status.SENT
    assert [m["X-Outbox-Id"] for m in kept_smtp.wait_for(3)] == [str(own.pk), str(older.pk), str(old.pk)]


def test_rows_claimed_by_another_worker_or_not_due_are_left_alone(kept_smtp):
    claimed, waiting, due = queued(3)
    OutboundEmail.objects.filter(pk=claimed.pk).update(status=Status.SENDING, claimed_at=timezone.now())
    OutboundEmail.objects.filter(pk=waiting.pk).update(
        status=Status.RETRY, next_attempt_at=timezone.now() + dt.timedelta(minutes=5))
    assert outbox.deliver_due(claimed.pk) is None
    [message] = kept_smtp.wait_for(1)
    assert message["X-Outbox-Id"] == str(due.pk)
    assert dict(OutboundEmail.objects.values_list("pk", "status")) == {
        claimed.pk: Status.SENDING, waiting.pk: Status.RETRY, due.pk: Status.SENT}


def test_a_server_that_hangs_up_mid_batch_gets_each_email_of_the_batch_once(kept_smtp, monkeypatch):
    kept_smtp.hang_up_after_each_message()
    emails = queued(5)
    real_build = outbox.build_message

    def build_after_the_hang_up(email):
        time.sleep(0.05)  # the server has closed the connection the next email finds
        return real_build(email)

    monkeypatch.setattr(outbox, "build_message", build_after_the_hang_up)
    assert outbox.deliver_due(emails[0].pk) == Status.SENT
    kept_smtp.wait_for(5)
    time.sleep(0.2)  # anything sent twice would arrive now
    assert sorted(m["X-Outbox-Id"] for m in kept_smtp.messages) == sorted(str(email.pk) for email in emails)
    assert kept_smtp.connections == 5
    assert set(OutboundEmail.objects.values_list("status", "attempts", "last_error")) == {(Status.SENT, 1, "")}


def test_a_server_gone_mid_batch_leaves_the_tried_email_for_retry_and_gives_the_rest_back(kept_smtp, monkeypatch):
    emails = queued(5)
    real_build, built = outbox.build_message, []

    def build_and_stop_the_server_before_the_third(email):
        built.append(email.pk)
        if len(built) == 3:
            kept_smtp.stop()
        return real_build(email)

    monkeypatch.setattr(outbox, "build_message", build_and_stop_the_server_before_the_third)
    try:
        assert outbox.deliver_due(emails[0].pk) == Status.SENT
    finally:
        kept_smtp.start()
    tried, untried = emails[2], emails[3:]
    assert len(built) == 3, "no email is tried once the server is gone"
    rows = {row.pk: row for row in OutboundEmail.objects.all()}
    assert [rows[e.pk].status for e in emails[:2]] == [Status.SENT] * 2
    assert (rows[tried.pk].status, rows[tried.pk].attempts) == (Status.RETRY, 1)
    assert rows[tried.pk].next_attempt_at > timezone.now() + dt.timedelta(seconds=20)  # its backoff
    assert [(rows[e.pk].status, rows[e.pk].attempts) for e in untried] == [(Status.QUEUED, 0)] * 2

    assert outbox.deliver_due() is None  # the next task sends the two given back; the tried one waits
    kept_smtp.wait_for(4)
    time.sleep(0.2)
    assert sorted(m["X-Outbox-Id"] for m in kept_smtp.messages) == sorted(
        str(e.pk) for e in emails if e.pk != tried.pk)
    assert OutboundEmail.objects.get(pk=tried.pk).status == Status.RETRY


def test_a_task_whose_time_is_up_gives_back_the_rows_it_has_not_tried(kept_smtp):
    emails = queued(4)
    assert outbox.deliver_due(emails[0].pk, seconds=0) == Status.SENT
    [message] = kept_smtp.wait_for(1)
    assert message["X-Outbox-Id"] == str(emails[0].pk)
    assert sorted(OutboundEmail.objects.values_list("status", "attempts")) == [
        (Status.QUEUED, 0)] * 3 + [(Status.SENT, 1)]

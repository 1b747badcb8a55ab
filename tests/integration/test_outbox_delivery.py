"""The outbox on the real services: PostgreSQL, Redis, a Celery worker process and an SMTP peer."""

import time

import pytest
from django.db import transaction

from consular_portal import outbox
from consular_portal.models import OutboundEmail

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for_status(email_id, status, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = OutboundEmail.objects.get(pk=email_id)
        if row.status == status:
            return row
        time.sleep(0.1)
    raise AssertionError(f"email {email_id} is {row.status}, not {status}, after {timeout}s")


def test_worker_delivers_email_once_in_the_recipients_language(celery_worker, mailbox):
    since = celery_worker.log_position()
    with transaction.atomic():
        email = outbox.queue_email(
            to="hanako@example.com", template="test_message", context={}, language="ja"
        )
    [message] = mailbox.wait_for(1, to="hanako@example.com")
    row = wait_for_status(email.pk, OutboundEmail.Status.SENT)

    assert "領事ポータル" in message["Subject"]
    assert "テストメッセージ" in message.get_body(("plain",)).get_content()
    assert 'lang="ja"' in message.get_body(("html",)).get_content()
    assert row.attempts == 1 and row.sent_at is not None
    # Enqueue the same row again, twice: both deliveries run, the claim refuses them, nothing more is sent.
    assert outbox.enqueue(email.pk) and outbox.enqueue(email.pk)
    assert celery_worker.wait_finished(outbox.SEND_TASK, 3, since=since) == ["'sent'", "None", "None"]
    assert len(mailbox.messages) == 1
    assert OutboundEmail.objects.get(pk=email.pk).attempts == 1


def test_nothing_is_sent_before_the_transaction_commits_or_when_it_rolls_back(celery_worker, mailbox):
    since = celery_worker.log_position()
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.queue_email(to="rolled-back@example.com", template="test_message", context={}, language="en")
        raise RuntimeError("the business change failed")
    outbox.queue_email(to="kept@example.com", template="test_message", context={}, language="en")
    mailbox.wait_for(1, to="kept@example.com")
    # The one delivery the worker ran is the kept email's: the rolled-back one was never handed out.
    assert celery_worker.wait_finished(outbox.SEND_TASK, 1, since=since) == ["'sent'"]
    assert not OutboundEmail.objects.filter(to="rolled-back@example.com").exists()
    assert [str(m["To"]) for m in mailbox.messages] == ["kept@example.com"]

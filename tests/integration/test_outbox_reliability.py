"""The outbox when things break: Redis down, SMTP down, a worker killed. Mail is delayed, never lost, never
sent twice."""

import datetime as dt
import os
import signal
import time

import pytest
from django.db import transaction
from django.utils import timezone

from consular_portal import outbox
from consular_portal.celery import app as celery_app
from consular_portal.models import OutboundEmail
from tests.form_data import fraud_form_data

from .test_outbox_delivery import wait_for_status

pytestmark = pytest.mark.django_db(transaction=True)
Status = OutboundEmail.Status


def test_email_queued_while_redis_is_down_is_sent_by_the_sweep_once_redis_is_back(
    celery_worker, mailbox, redis_server
):
    since = celery_worker.log_position()
    redis_server.stop()
    try:
        started = time.monotonic()
        with transaction.atomic():
            email = outbox.queue_email(to="outage@example.com", template="test_message", context={}, language="en")
        assert time.monotonic() - started < 5, "a broker outage must not hold up the caller"
        assert OutboundEmail.objects.get(pk=email.pk).status == Status.QUEUED
    finally:
        redis_server.start()
    celery_worker.wait_ready(celery_app)
    assert OutboundEmail.objects.get(pk=email.pk).attempts == 0, "nothing reached the worker while Redis was down"

    assert outbox.requeue_due(grace_seconds=0) == 1
    [message] = mailbox.wait_for(1, to="outage@example.com")
    assert wait_for_status(email.pk, Status.SENT).attempts == 1
    # The sweep's delivery is the only one the worker ran: the enqueue during the outage never reached it.
    assert celery_worker.wait_finished(outbox.SEND_TASK, 1, since=since) == ["'sent'"]

    # A second sweep finds nothing due; a delivery handed out anyway is refused by the claim.
    assert outbox.requeue_due(grace_seconds=0) == 0
    assert outbox.enqueue(email.pk)
    assert celery_worker.wait_finished(outbox.SEND_TASK, 2, since=since) == ["'sent'", "None"]
    assert len(mailbox.messages) == 1


def test_smtp_outage_is_retried_with_backoff_and_sent_once_smtp_is_back(celery_worker, mailbox, smtp):
    smtp.stop()
    try:
        email = outbox.queue_email(to="retry@example.com", template="test_message", context={}, language="en")
        row = wait_for_status(email.pk, Status.RETRY)
        assert row.attempts == 1
        assert "Connection refused" in row.last_error or "Errno" in row.last_error
        assert row.next_attempt_at > row.updated_at  # waits before the next attempt
        # Not due yet: the sweep leaves it alone.
        assert outbox.requeue_due(grace_seconds=0) == 0
    finally:
        smtp.start()
    OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=row.updated_at)  # the backoff has passed
    assert outbox.requeue_due(grace_seconds=0) == 1
    mailbox.wait_for(1, to="retry@example.com")
    row = wait_for_status(email.pk, Status.SENT)
    assert row.attempts == 2 and row.last_error == ""


def test_concurrent_deliveries_of_one_row_send_it_once(celery_worker, mailbox):
    since = celery_worker.log_position()
    email = outbox.queue_email(to="once@example.com", template="test_message", context={}, language="en")
    for _ in range(10):
        assert outbox.enqueue(email.pk)
    mailbox.wait_for(1, to="once@example.com")
    wait_for_status(email.pk, Status.SENT)
    # All eleven deliveries ran (the one queued on commit and the ten more): one sent, ten found it claimed.
    results = celery_worker.wait_finished(outbox.SEND_TASK, 11, since=since)
    assert sorted(results) == ["'sent'"] + ["None"] * 10
    assert len(mailbox.messages) == 1
    assert OutboundEmail.objects.get(pk=email.pk).attempts == 1


def test_a_worker_killed_mid_send_loses_nothing_and_sends_once(celery_worker, mailbox):
    since = celery_worker.log_position()
    mailbox.slow_down(5)  # the SMTP conversation hangs at RCPT: the worker is caught mid-send
    email = outbox.queue_email(to="killed@example.com", template="test_message", context={}, language="en")
    wait_for_status(email.pk, Status.SENDING)
    for pid in celery_worker.pool_processes():
        os.kill(pid, signal.SIGKILL)
    mailbox.slow_down(0)
    celery_worker.wait_ready(celery_app)
    # The task comes back (late ack, rejected on worker loss), finds the row claimed and leaves it.
    assert celery_worker.wait_finished(outbox.SEND_TASK, 1, since=since) == ["None"]
    row = OutboundEmail.objects.get(pk=email.pk)
    assert row.status == Status.SENDING and row.attempts == 1
    assert mailbox.messages == []

    # Once the hard time limit has long passed, the sweep hands the abandoned row out again.
    assert outbox.requeue_due(grace_seconds=0) == 0, "not before the time limit has passed"
    OutboundEmail.objects.filter(pk=email.pk).update(claimed_at=timezone.now() - dt.timedelta(hours=1))
    assert outbox.requeue_due(grace_seconds=0) == 1
    mailbox.wait_for(1, to="killed@example.com")
    assert wait_for_status(email.pk, Status.SENT).attempts == 2
    assert celery_worker.wait_finished(outbox.SEND_TASK, 2, since=since) == ["None", "'sent'"]
    assert len(mailbox.messages) == 1


def test_a_fraud_report_sent_while_redis_is_down_succeeds_and_reaches_the_officers_later(
    client, celery_worker, mailbox, redis_server, posts
):
    from consular_portal.models import FraudReport

    redis_server.stop()
    try:
        response = client.post(
            "/en/fraud/",
            fraud_form_data(description="A caller asked me to pay my MRV fee to them."),
            follow=True,
        )
    finally:
        redis_server.start()
    assert response.status_code == 200
    report = FraudReport.objects.get()
    assert report.reference in response.content.decode()
    notification = OutboundEmail.objects.get(to=posts["tokyo"].officer_mailbox)
    assert notification.status == Status.QUEUED

    celery_worker.wait_ready(celery_app)
    assert outbox.requeue_due(grace_seconds=0) == 1
    [message] = mailbox.wait_for(1, to=posts["tokyo"].officer_mailbox)
    assert report.reference in message.get_body(("plain",)).get_content()
    assert wait_for_status(notification.pk, Status.SENT).attempts == 1

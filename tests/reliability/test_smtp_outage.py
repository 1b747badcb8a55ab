"""The SMTP server down, then up: mail waits in the outbox with growing backoff and is delivered once it is
back; none lost, none sent twice."""

import pytest

from consular_portal import outbox
from consular_portal.models import OutboundEmail

from .conftest import delivered_once, wait_until

pytestmark = pytest.mark.django_db(transaction=True)
Status = OutboundEmail.Status


def test_mail_waits_with_backoff_while_smtp_is_down_and_is_delivered_once_when_it_is_back(
    start_worker, mailbox
):
    start_worker("smtp-outage", beat=True)
    mailbox.stop()
    try:
        rows = [
            outbox.queue_email(to=f"outage{i}@example.com", template="test_message", context={}, language="en")
            for i in range(20)
        ]
        # Each row failed at least twice, and waited longer before its second retry than before its first.
        wait_until(lambda: OutboundEmail.objects.filter(attempts__gte=2).count() == 20, timeout=30,
                   what="two failed attempts for every row")
        assert mailbox.messages == []
        for row in OutboundEmail.objects.all():
            assert row.status in (Status.RETRY, Status.SENDING) and "Connection refused" in row.last_error
            if row.status == Status.RETRY:
                assert (row.next_attempt_at - row.updated_at).total_seconds() >= 0.9  # base 1 s, doubling
    finally:
        mailbox.start()
    delivered_once(mailbox, rows)
    assert not OutboundEmail.objects.exclude(status=Status.SENT).exists()
    assert min(OutboundEmail.objects.values_list("attempts", flat=True)) >= 2

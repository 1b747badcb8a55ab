"""A worker killed with SIGKILL in the middle of sending (nothing acked, its claim left behind): another
worker delivers the email once, after the claim and the broker's visibility timeout lapse."""

import pytest

from consular_portal import outbox
from consular_portal.models import OutboundEmail

from .conftest import delivered_once, wait_until

pytestmark = pytest.mark.django_db(transaction=True)
Status = OutboundEmail.Status
# The dead worker's claim lapses after 6 s (its task could not have run longer than the 5 s hard limit).
SHORT_CLAIM = {"CELERY_TASK_SOFT_TIME_LIMIT": "4", "CELERY_TASK_TIME_LIMIT": "5", "OUTBOX_CLAIM_TIMEOUT_SECONDS": "6"}


def test_an_email_whose_worker_is_killed_mid_send_is_delivered_once_by_another(start_worker, mailbox):
    doomed = start_worker("doomed", concurrency=1, **SHORT_CLAIM)
    mailbox.slow_down(60)  # the SMTP conversation hangs at RCPT: the worker is caught mid-send
    email = outbox.queue_email(to="killed@example.com", template="test_message", context={}, language="en")
    wait_until(lambda: OutboundEmail.objects.get(pk=email.pk).status == Status.SENDING, what="the send under way")
    doomed.kill()
    mailbox.slow_down(0)
    assert mailbox.messages == []

    survivor = start_worker("survivor", beat=True, concurrency=1, **SHORT_CLAIM)
    delivered_once(mailbox, [email])
    row = OutboundEmail.objects.get(pk=email.pk)
    assert row.attempts == 2 and row.last_error == ""
    assert "'sent'" in survivor.finished(outbox.SEND_TASK)

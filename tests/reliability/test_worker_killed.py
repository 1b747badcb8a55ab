"""A worker killed with SIGKILL in the middle of sending (nothing acked, its claim left behind): another
worker delivers the email once, after the claim and the broker's visibility timeout lapse."""

import pytest

from consular_portal import outbox
from consular_portal.models import OutboundEmail

from .conftest import delivered_once, wait_until

pytestmark = pytest.mark.django_db(transaction=True)
Status = OutboundEmail.Status


def test_an_email_whose_worker_is_killed_mid_send_is_delivered_once_by_another(start_worker, mailbox):
    doomed = start_worker("doomed", concurrency=1)
    mailbox.slow_down(60)  # the SMTP conversation hangs at RCPT: the worker is caught mid-send
    email = outbox.queue_email(to="killed@example.com", template="test_message", context={}, language="en")
    wait_until(lambda: OutboundEmail.objects.get(pk=email.pk).status == Status.SENDING, what="the send under way")
    doomed.kill()
    mailbox.slow_down(0)
    assert mailbox.messages == []

    survivor = start_worker("survivor", beat=True, concurrency=1)
    delivered_once(mailbox, [email])
    row = OutboundEmail.objects.get(pk=email.pk)
    assert row.attempts == 2 and row.last_error == ""
    assert "'sent'" in survivor.finished(outbox.SEND_TASK)

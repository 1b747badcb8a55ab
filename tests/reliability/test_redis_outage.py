"""Redis (cache and broker) stopped while 200 public forms of four kinds are sent: every visitor sees the form
received and every row is stored; the emails cannot be enqueued meanwhile, and once Redis is back the outbox
sweep sends each of them exactly once."""

import time

import pytest

from appointments.models import InPersonRequest
from consular_portal.models import FraudReport, OutboundEmail, SurveyResponse
from inquiries.models import LiveAssistanceRequest
from tests.site.public_forms import UNLIMITED, QuickClient, form_url, is_success, valid_data

from .conftest import delivered_once

pytestmark = pytest.mark.django_db(transaction=True)
Status = OutboundEmail.Status

KINDS = {  # each form and the table its submissions land in
    "feedback": SurveyResponse,
    "fraud": FraudReport,
    "assistance/tokyo": LiveAssistanceRequest,
    "in-person/tokyo": InPersonRequest,
}
COUNT = 200


def test_forms_sent_while_redis_is_down_are_all_received_and_their_emails_sent_once_it_is_back(
    start_worker, mailbox, redis_server, posts, settings
):
    for name, rate in UNLIMITED.items():
        setattr(settings, name, rate)
    # A sweep every 5 s: each one hands the worker every row still waiting, so a shorter interval only
    # queues the same 280 rows again before the first tasks are done.
    start_worker("redis-outage", beat=True, OUTBOX_SWEEP_SECONDS="5")
    client = QuickClient()
    names = list(KINDS)
    redis_server.stop()
    started = time.monotonic()
    try:
        for number in range(COUNT):
            name = names[number % len(names)]
            response = client.post(form_url(name), valid_data(name, number))
            assert is_success(name, response), (name, response.status_code, response.content[:2000])
        outage = time.monotonic() - started
        assert mailbox.messages == []  # nothing could be enqueued
    finally:
        redis_server.start()

    for name, model in KINDS.items():
        assert model.objects.count() == COUNT // len(KINDS), name
    rows = list(OutboundEmail.objects.exclude(status=Status.SUPPRESSED))
    assert len(rows) >= COUNT // 2  # at least the applicants of the two services that answer them
    assert OutboundEmail.objects.filter(status=Status.SENT).count() == 0
    delivered_once(mailbox, rows)
    print(f"\noutage {outage:.1f} s for {COUNT} submissions, {len(rows)} emails delivered once after")

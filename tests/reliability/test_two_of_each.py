"""Two gunicorn web processes and two workers on the same database and Redis: 50 expedite requests approved at
the same moment into one slot of capacity 10 (through the officers' decide view, half through each web
process) book exactly 10 places, and every email is sent exactly once."""

import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from appointments.models import AppointmentSlot, ExpediteRequest
from consular_portal.models import OutboundEmail
from tests.factories import ExpediteRequestFactory, SlotFactory

from .conftest import delivered_once, wait_until

pytestmark = pytest.mark.django_db(transaction=True)
COUNT, CAPACITY = 50, 10
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_COOKIE = re.compile(rf"{settings.CSRF_COOKIE_NAME}=([^;]+)")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def send(url, cookies, data=None):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Cookie": "; ".join(f"{k}={v}" for k, v in
                                                                                 cookies.items())})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=60) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode(errors="replace")


def test_two_web_processes_and_two_workers_book_a_slot_to_capacity_and_send_each_email_once(
    start_web, start_worker, mailbox, tokyo_policy, officer_tokyo
):
    post = tokyo_policy.post
    requests = [ExpediteRequestFactory(post=post, number=n) for n in range(COUNT)]
    slot = SlotFactory(post=post, capacity=CAPACITY)
    officer = Client()
    officer.force_login(officer_tokyo)  # the session is in the shared database: both web processes know it
    session = {settings.SESSION_COOKIE_NAME: officer.cookies[settings.SESSION_COOKIE_NAME].value}
    webs = [start_web(), start_web()]
    # No worker dies here: a claim lapses only after a minute, so a send slowed by the loaded machine is never
    # taken for a dead worker's and claimed again.
    start_worker("first", beat=True, OUTBOX_CLAIM_TIMEOUT_SECONDS="60")
    start_worker("second", OUTBOX_CLAIM_TIMEOUT_SECONDS="60")
    ready = threading.Barrier(COUNT)

    def approve(number):
        web, expedite = webs[number % 2], requests[number]
        status, headers, page = send(web.url + reverse("admin:appointments_expediterequest_change",
                                                       args=[expedite.pk]), session)
        assert status == 200 and 'value="approve"' in page, (status, page[:500])
        cookies = {**session, settings.CSRF_COOKIE_NAME: CSRF_COOKIE.search(headers["Set-Cookie"]).group(1)}
        data = {"action": "approve", "slot": slot.pk, "csrfmiddlewaretoken": TOKEN.search(page).group(1)}
        ready.wait(timeout=120)  # every officer's page is open: now they all approve
        status, _headers, page = send(web.url + reverse("admin:appointments_expediterequest_decide",
                                                        args=[expedite.pk]), cookies, data)
        return status, "This slot is full now: choose another." in page

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=COUNT) as pool:
        results = list(pool.map(approve, range(COUNT)))
    took = time.monotonic() - started

    assert sorted(results) == [(200, True)] * (COUNT - CAPACITY) + [(302, False)] * CAPACITY
    assert AppointmentSlot.objects.get(pk=slot.pk).booked == CAPACITY
    approved = ExpediteRequest.objects.filter(status=ExpediteRequest.Status.APPROVED)
    assert approved.count() == CAPACITY and set(approved.values_list("slot", flat=True)) == {slot.pk}
    decisions = wait_until(lambda: OutboundEmail.objects.filter(template="expedite_decision").count() == CAPACITY
                           or None, what="the decision emails queued")
    assert decisions
    rows = list(OutboundEmail.objects.exclude(status=OutboundEmail.Status.SUPPRESSED))
    delivered_once(mailbox, rows)  # acknowledgements and decisions, through both workers
    print(f"\n{COUNT} concurrent approvals through two web processes in {took:.1f} s, {len(rows)} emails once")

"""Redis (cache and broker) stopped while 200 public forms of five kinds are sent through a gunicorn web process:
every visitor sees the page that says the form was received, at once, and every row is stored; no email can be
enqueued meanwhile, and once Redis is back the outbox sweep (the beat's entry, run by the worker) sends each of
them exactly once."""

import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from kombu import pools

from appointments.models import InPersonRequest
from consular_portal.celery import app as celery_app
from consular_portal.models import FraudReport, OutboundEmail, SurveyResponse
from inquiries.models import Inquiry, LiveAssistanceRequest
from tests.site.public_forms import form_url, is_success, valid_data

from .conftest import delivered_once

pytestmark = pytest.mark.django_db(transaction=True)
Status = OutboundEmail.Status

KINDS = {  # each form and the table its submissions land in
    "feedback": SurveyResponse,
    "fraud": FraudReport,
    "assistance/tokyo": LiveAssistanceRequest,
    "in-person/tokyo": InPersonRequest,
    "inquiry": Inquiry,
}
COUNT = 200
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_COOKIE = re.compile(rf"{settings.CSRF_COOKIE_NAME}=([^;]+)")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Response:
    """What the visitor's browser got: the status, the redirect's target, the page."""

    def __init__(self, status, headers, body):
        self.status_code, self.headers, self.content = status, headers, body

    def __getitem__(self, name):
        return self.headers[name]


def send(url, cookies=None, data=None):
    body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
    request = urllib.request.Request(url, data=body)
    if cookies:
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=60) as response:
            return Response(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers, error.read())


def arrivals(mailbox, rows, restarted):
    """What arrived at the peer compared with the rows: the ids that came more than once, and the state of each
    row whose email did not come (a failure's message)."""
    got, expected = Counter(m["X-Outbox-Id"] for m in mailbox.messages), Counter(str(row.pk) for row in rows)
    missing = OutboundEmail.objects.filter(pk__in=list(expected - got)).values("pk", "status", "attempts",
                                                                                "last_error")
    return (f"more than once: {dict(got - expected)}; not arrived: {list(missing)}; "
            f"the worker {'was started again' if restarted else 'stayed up'}")


def test_forms_sent_while_redis_is_down_are_all_received_and_their_emails_sent_once_it_is_back(
    start_web, start_worker, mailbox, redis_server, posts, inquiry_policies
):
    web = start_web(workers=2)
    worker = start_worker("redis-outage", beat=True)
    names = list(KINDS)
    redis_server.stop()
    started = time.monotonic()
    try:
        forms = {}  # each form as a visitor opens it while Redis is down: its CSRF cookie and token
        for name in names:
            page = send(web.url + form_url(name))
            assert page.status_code == 200, (name, page.status_code, page.content[:2000])
            cookie = CSRF_COOKIE.search(page.headers["Set-Cookie"]).group(1)
            forms[name] = {settings.CSRF_COOKIE_NAME: cookie}, TOKEN.search(page.content.decode()).group(1)

        def submit(number):
            name = names[number % len(names)]
            cookies, token = forms[name]
            begun = time.monotonic()
            response = send(web.url + form_url(name), cookies, {**valid_data(name, number),
                                                                "csrfmiddlewaretoken": token})
            return name, response, time.monotonic() - begun

        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(submit, range(COUNT)))
        outage = time.monotonic() - started
        for name, response, _took in results:
            assert is_success(name, response), (name, response.status_code, response.content[:2000])
        slowest = max(took for _name, _response, took in results)
        assert slowest < 5, f"a form took {slowest:.1f} s to answer while Redis was down"
        for name, model in KINDS.items():
            assert model.objects.count() == COUNT // len(KINDS), name
        assert mailbox.messages == []  # nothing could be enqueued
        assert not OutboundEmail.objects.exclude(status__in=[Status.QUEUED, Status.SUPPRESSED]).exists()
    finally:
        redis_server.start()
        # This process's pooled broker connections (the fixtures ping workers through them) were to the Redis
        # that stopped: drop them as Celery does in a forked child, so the next ping connects anew (also when
        # an assertion above failed, so that the next test finds a working broker).
        pools.reset()
        celery_app._after_fork()
    back = time.monotonic()
    restarted = worker.process.poll() is not None
    if restarted:
        # Celery 5.7 stops a worker that loses the broker while a task of its is not yet acknowledged ("Unrecoverable
        # error: AttributeError ... 'hostname'" as it restores the task); its supervisor starts it again, as
        # docker-compose's "restart: unless-stopped" does, and the sweep sends what is waiting.
        worker.start(celery_app)

    rows = list(OutboundEmail.objects.exclude(status=Status.SUPPRESSED))
    # Every applicant who gave an address is told their form was received, each once.
    applicants = {f"applicant{n}@example.com" for n in range(COUNT) if names[n % len(names)] in
                  ("assistance/tokyo", "in-person/tokyo")}
    assert applicants <= {row.to for row in rows}
    try:
        delivered_once(mailbox, rows)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n{arrivals(mailbox, rows, restarted)}") from exc
    delivered = time.monotonic() - back
    assert Counter((str(m["To"]), str(m["Subject"])) for m in mailbox.messages) == Counter(
        (row.to, row.subject) for row in rows)
    print(f"\noutage {outage:.1f} s for {COUNT} submissions through gunicorn (slowest answer {slowest:.2f} s), "
          f"{len(rows)} emails each delivered once {delivered:.1f} s after Redis was back"
          f"{' (the worker had stopped and was started again)' if restarted else ''}")

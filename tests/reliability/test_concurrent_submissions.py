"""200 public forms sent at the same moment over loopback to a gunicorn web process: every one is received
(its redirect to the page that says so) and every row is stored."""

import http.cookiejar
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from appointments.models import InPersonRequest
from consular_portal.models import FraudReport, SurveyResponse
from inquiries.models import LiveAssistanceRequest
from tests.site.public_forms import form_url, valid_data

pytestmark = pytest.mark.django_db(transaction=True)

KINDS = {"feedback": SurveyResponse, "fraud": FraudReport, "assistance/tokyo": LiveAssistanceRequest,
         "in-person/tokyo": InPersonRequest}
COUNT = 200
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def visitor():
    """A browser of its own: cookies kept, redirects shown rather than followed."""
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect)


def send(opener, url, data=None):
    body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
    try:
        with opener.open(urllib.request.Request(url, data=body), timeout=60) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode(errors="replace")


def test_200_forms_sent_at_once_are_all_received_and_stored(start_web, posts):
    web = start_web(workers=2)
    names = list(KINDS)
    jobs = [(names[n % len(names)], valid_data(names[n % len(names)], n)) for n in range(COUNT)]
    ready = threading.Barrier(COUNT)

    def submit(job):
        name, data = job
        opener = visitor()
        status, _headers, body = send(opener, web.url + form_url(name))
        assert status == 200, (name, status)
        ready.wait(timeout=120)  # every visitor has the form open: now they all send it
        status, headers, body = send(opener, web.url + form_url(name), {**data, "csrfmiddlewaretoken":
                                                                         TOKEN.search(body).group(1)})
        return name, status, headers.get("Location", ""), body[:300]

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=COUNT) as pool:
        results = list(pool.map(submit, jobs))
    took = time.monotonic() - started
    failures = [r for r in results if r[1] not in (302, 303)]
    assert failures == [], failures[:5]
    for name, model in KINDS.items():
        assert model.objects.count() == COUNT // len(KINDS), name
    print(f"\n{COUNT} concurrent submissions (form opened, then sent) in {took:.1f} s")

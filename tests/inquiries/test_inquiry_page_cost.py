"""What the status inquiry pages cost, counted: SQL queries and template renders once the cached parts are
filled; and an officer's edit of a post's policy shows on the next page."""

import re

import pytest
from django.db import connection
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from inquiries.models import InquiryPolicy

pytestmark = pytest.mark.django_db

ANSWERED = "/en/inquiries/?post=tokyo&route=interview&route_start=2026-01-05"


@pytest.fixture(autouse=True)
def _language_reset():
    yield
    translation.deactivate()


def cost(request):
    rendered = []

    def count(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(count)
    try:
        with CaptureQueriesContext(connection) as queries:
            response = request()
    finally:
        template_rendered.disconnect(count)
    return response.status_code, len(queries), len(rendered)


@pytest.mark.parametrize(("path", "queries", "renders"), [
    ("/en/inquiries/", 1, 2),           # the policies with their version; the blank check form is cached
    # The policies with their routes and whether the post publishes processing times, in one query; the form
    # as sent is cached with the post and route, the date is written in (it was 3 queries and the form rendered).
    (ANSWERED, 1, 2),
    ("/en/inquiries/ask/", 1, 2),       # the blank inquiry form (15 fields, 4 fieldsets) is cached
    ("/en/inquiries/ask/?post=tokyo&route=interview&route_start=2026-01-05", 1, 2),
])
def test_an_inquiry_page_costs_what_it_did(client, tokyo, path, queries, renders):
    client.get(path)
    status, counted, rendered = cost(lambda: client.get(path))
    assert (status, counted) == (200, queries)
    if renders is not None:
        assert rendered == renders


def test_a_policy_edit_shows_on_the_next_blank_page(client, tokyo):
    assert "U.S. Embassy Tokyo" in client.get("/en/inquiries/ask/").content.decode()
    policy = InquiryPolicy.objects.get(post=tokyo)
    policy.accepting = False
    policy.save()
    body = client.get("/en/inquiries/ask/").content.decode()
    choices = re.search(r'<select name="post".*?</select>', body, re.S).group(0)
    assert 'value="tokyo"' not in choices and 'value="osaka-kobe"' in choices

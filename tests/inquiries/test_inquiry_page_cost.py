"""What the status inquiry pages cost, counted: SQL queries and template renders once the cached parts are
filled; and an officer's edit of a post's policy shows on the next page."""

import re

import pytest
from django.utils import timezone

from consular_portal.models import Post
from inquiries.models import InquiryPolicy, InquiryRoute, ProcessingTime
from tests.page_costs import cost

pytestmark = pytest.mark.django_db

ANSWERED = "/en/inquiries/?post=tokyo&route=interview&route_start=2026-01-05"


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


def _date_control(body):
    return re.search(r'<input type="date" name="route_start"[^>]*>', body).group(0)


def test_each_answer_shows_its_own_date_in_the_one_cached_form(client, tokyo):
    first = client.get("/en/inquiries/?post=tokyo&route=interview&route_start=2026-01-05").content.decode()
    status, counted, _rendered = cost(
        lambda: client.get("/en/inquiries/?post=tokyo&route=interview&route_start=01/05/2026"))
    second = client.get("/en/inquiries/?post=tokyo&route=interview&route_start=01/05/2026").content.decode()
    assert 'value="2026-01-05"' in _date_control(first)
    assert 'value="01/05/2026"' in _date_control(second)  # as typed, as a form sent back shows it
    assert "inquiry-route-start" not in first + second
    assert (status, counted) == (200, 1)
    ask = client.get("/en/inquiries/ask/?post=tokyo&route=mail&route_start=2025-12-01").content.decode()
    assert 'value="2025-12-01"' in _date_control(ask)
    assert re.search(r'<input[^>]*name="route" value="mail"[^>]*checked', ask)


def test_route_processing_time_and_post_edits_show_on_the_next_answer(client, tokyo):
    path = "/en/inquiries/?post=tokyo&route=interview&route_start=2026-11-20"
    body = client.get(path).content.decode()
    assert "Dec. 8, 2026" in body and 'id="check-processing-times"' not in body
    route = InquiryRoute.objects.get(policy__post=tokyo, route="interview")
    route.amount = 12
    route.save()
    ProcessingTime.objects.create(post=tokyo, service="I-130", completed_within=6, case_inquiry_date="2026-05-01")
    Post.objects.filter(pk=tokyo.pk).update(name="U.S. Embassy in Tokyo", updated_at=timezone.now())
    body = client.get(path).content.decode()
    assert "Dec. 10, 2026" in body and 'id="check-processing-times"' in body
    assert '<option value="tokyo" selected>U.S. Embassy in Tokyo</option>' in body


def test_each_answer_has_its_own_first_date_and_link_in_the_one_cached_answer(client, tokyo):
    """The answer is kept once per post, route and outcome: the first date and the link to the form are this
    request's."""
    import datetime as dt

    from django.utils import formats

    from consular_portal.business_calendar import add_business_days

    early = [client.get(f"/en/inquiries/?post=tokyo&route=interview&route_start={start}").content.decode()
             for start in ("2026-11-20", "2026-11-24")]
    for body, start in zip(early, (dt.date(2026, 11, 20), dt.date(2026, 11, 24)), strict=True):
        first = formats.date_format(add_business_days(tokyo, start, 10), "DATE_FORMAT")
        assert f"You can inquire on or after {first}" in body
    now = [client.get(f"/en/inquiries/?post=tokyo&route=interview&route_start={start}").content.decode()
           for start in ("2026-01-05", "2026-02-02")]
    assert "route_start=2026-01-05" in now[0] and "route_start=2026-02-02" not in now[0]
    assert "route_start=2026-02-02" in now[1] and "route_start=2026-01-05" not in now[1]
    assert not re.search("inquiry-(first-date|form-link)-of-the-answer", "".join(early + now))

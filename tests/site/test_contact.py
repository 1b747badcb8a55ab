"""The contact page: open or closed at a given instant, in the post's time zone, by its business calendar."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.test import RequestFactory
from django.utils import translation

from consular_portal import views
from consular_portal.contact import contact_status

pytestmark = pytest.mark.django_db

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
UTC = dt.UTC


def tokyo_time(*args):
    return dt.datetime(*args, tzinfo=TOKYO)


@pytest.mark.parametrize(
    ("instant", "open_now", "opens_at"),
    [
        # An ordinary Tuesday.
        (tokyo_time(2026, 5, 12, 10, 0), True, None),
        (tokyo_time(2026, 5, 12, 17, 59), True, None),
        (tokyo_time(2026, 5, 12, 9, 59), False, tokyo_time(2026, 5, 12, 10, 0)),
        (tokyo_time(2026, 5, 12, 18, 0), False, tokyo_time(2026, 5, 13, 10, 0)),
        # The instant is read in Tokyo time, whatever zone it is given in: 01:30 UTC is 10:30 in Tokyo.
        (dt.datetime(2026, 5, 12, 1, 30, tzinfo=UTC), True, None),
        (dt.datetime(2026, 5, 12, 0, 30, tzinfo=UTC), False, tokyo_time(2026, 5, 12, 10, 0)),
        (dt.datetime(2026, 5, 12, 12, 0, tzinfo=zoneinfo.ZoneInfo("America/New_York")), False,
         tokyo_time(2026, 5, 13, 10, 0)),
        # Friday evening: next opening is Monday.
        (tokyo_time(2026, 5, 15, 18, 30), False, tokyo_time(2026, 5, 18, 10, 0)),
        # Golden Week (Japanese holidays, with the substitute holiday on Wednesday 6 May).
        (tokyo_time(2026, 5, 4, 12, 0), False, tokyo_time(2026, 5, 7, 10, 0)),
        (tokyo_time(2026, 5, 6, 11, 0), False, tokyo_time(2026, 5, 7, 10, 0)),
        # Labor Thanksgiving Day (Japan), Monday 23 November.
        (tokyo_time(2026, 11, 23, 11, 0), False, tokyo_time(2026, 11, 24, 10, 0)),
        # US holidays close the post too: Thanksgiving, and Independence Day observed on Friday 3 July.
        (tokyo_time(2026, 11, 26, 11, 0), False, tokyo_time(2026, 11, 27, 10, 0)),
        (tokyo_time(2026, 7, 3, 11, 0), False, tokyo_time(2026, 7, 6, 10, 0)),
        # Year end: 31 December to 3 January closed; opens Monday 4 January.
        (tokyo_time(2026, 12, 30, 17, 0), True, None),
        (tokyo_time(2026, 12, 31, 11, 0), False, tokyo_time(2027, 1, 4, 10, 0)),
    ],
)
def test_open_or_closed_at_fixed_instants(tokyo, instant, open_now, opens_at):
    status = contact_status(tokyo, instant)
    assert status.has_hours
    assert status.open_now is open_now
    assert status.opens_at == opens_at
    assert status.local_now.tzinfo == TOKYO


def test_shanghai_has_no_published_hours(shanghai):
    status = contact_status(shanghai, tokyo_time(2026, 5, 12, 11, 0))
    assert not status.has_hours and not status.open_now and status.opens_at is None


def render_contact(slug, instant, language="en"):
    request = RequestFactory().get("/contact/", {"post": slug})
    with translation.override(language):
        response = views.contact(request, clock=lambda: instant)
    return response.content.decode()


def test_page_says_open_now(tokyo):
    html = render_contact("tokyo", tokyo_time(2026, 5, 12, 10, 30))
    assert "Open now" in html and "Closed now" not in html
    assert "Monday to Friday, 10:00 to 18:00 (Japan time)" in html
    assert "Closed on U.S. and Japanese holidays." in html


def test_page_says_closed_and_when_it_opens_after_a_holiday(tokyo):
    html = render_contact("tokyo", tokyo_time(2026, 5, 4, 12, 0))
    assert "Closed now — opens Thursday, May 7, 2026, 10 a.m. (Japan time)" in html
    assert "Open now" not in html


def test_page_says_closed_on_thanksgiving_in_japanese(tokyo):
    html = render_contact("tokyo", dt.datetime(2026, 11, 26, 3, 0, tzinfo=UTC), language="ja")
    assert "現在受付時間外 — 次の受付開始：2026年11月27日10:00（金曜日） (日本時間)" in html
    assert "月曜日～金曜日 10:00～18:00 (日本時間)" in html


def test_page_in_chinese_says_open(tokyo):
    html = render_contact("tokyo", tokyo_time(2026, 5, 12, 10, 30), language="zh-hans")
    assert "现在办公中" in html


def test_page_says_shanghai_has_published_no_hours_but_shows_its_phones(shanghai):
    html = render_contact("shanghai", tokyo_time(2026, 5, 12, 11, 0))
    assert "has not published hours" in html
    assert "Open now" not in html and "Closed now" not in html
    assert "4008-872-333" in html and "+86-21-3881-4611" in html


# The USCIS Contact Center, the online tools to try first -------------------------------------------------


def section(html, element_id):
    """The text of the element with ``element_id`` up to its closing tag (its inner tags dropped), whitespace
    collapsed. (For elements with no element of their own kind inside.)"""
    start = html.index(f'id="{element_id}"')
    tag = html[html.rindex("<", 0, start) + 1:start].split()[0]
    inner = html[html.index(">", start) + 1:html.index(f"</{tag}>", start)]
    return " ".join(re.sub(r"<[^>]+>", " ", inner).split())


def test_the_contact_centres_hours_in_japan_time_in_summer_and_in_winter(tokyo):
    # July: Eastern daylight time (UTC-4), so 08:00 in New York is 21:00 in Tokyo.
    summer = render_contact("tokyo", tokyo_time(2026, 7, 15, 11, 0))
    assert section(summer, "centre-hours") == "Monday to Friday, 08:00 to 20:00 (Eastern time)"
    assert section(summer, "centre-local-hours") == "Monday to Friday, 21:00 to 09:00 the next day (Japan time)"
    # January: Eastern standard time (UTC-5): an hour later in Tokyo.
    winter = render_contact("tokyo", tokyo_time(2026, 1, 14, 11, 0))
    assert section(winter, "centre-hours") == "Monday to Friday, 08:00 to 20:00 (Eastern time)"
    assert section(winter, "centre-local-hours") == "Monday to Friday, 22:00 to 10:00 the next day (Japan time)"


def test_the_contact_centres_hours_in_china_time_and_in_the_week_daylight_saving_time_begins(shanghai):
    summer = render_contact("shanghai", dt.datetime(2026, 8, 3, 9, 0, tzinfo=UTC))
    assert section(summer, "centre-local-hours") == "Monday to Friday, 20:00 to 08:00 the next day (China time)"
    winter = render_contact("shanghai", dt.datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    assert section(winter, "centre-local-hours") == "Monday to Friday, 21:00 to 09:00 the next day (China time)"
    # Thursday 5 March 2026: daylight saving time begins in the US on Sunday 8 March, so next week's Monday to
    # Wednesday open an hour earlier in China than this Thursday and Friday.
    change = render_contact("shanghai", dt.datetime(2026, 3, 5, 9, 0, tzinfo=UTC))
    assert section(change, "centre-local-hours") == (
        "Monday to Wednesday, 20:00 to 08:00 the next day (China time) "
        "Thursday, Friday, 21:00 to 09:00 the next day (China time)")


def test_the_contact_centres_numbers_are_phone_links(tokyo):
    html = render_contact("tokyo", tokyo_time(2026, 7, 15, 11, 0))
    assert section(html, "centre-phones") == (
        "Toll free (in the United States): 800-375-5283 TTY: 800-767-1833 Outside the United States: 212-620-3418")
    for href, number in [("tel:+18003755283", "800-375-5283"), ("tel:+18007671833", "800-767-1833"),
                         ("tel:+12126203418", "212-620-3418")]:
        assert f'href="{href}">{number}</a>' in html


def tool_links(html):
    start = html.index('id="online-tools"')
    return re.findall(r'href="([^"]+)">([^<]+)</a>', html[start:html.index("</ul>", start)])


def test_the_online_tools_of_a_post_that_offers_every_service(tokyo):
    html = render_contact("tokyo", tokyo_time(2026, 7, 15, 11, 0))
    assert "Try our online tools first" in html
    assert tool_links(html) == [
        ("/en/passports/status/", "Passport status"),
        ("/en/inquiries/", "Visa application status inquiries"),
        ("/en/cases/status/", "Case status"),
        ("/en/processing-times/", "Processing times"),
        ("/en/appointments/tokyo/in-person/", "In-person appointment requests"),
        ("/en/assistance/tokyo/", "Live assistance"),
    ]


def test_the_online_tools_of_a_post_that_offers_fewer(posts):
    shanghai = tool_links(render_contact("shanghai", tokyo_time(2026, 7, 15, 11, 0)))
    assert [title for _path, title in shanghai] == [
        "Case status", "Processing times", "In-person appointment requests", "Live assistance"]
    beijing = tool_links(render_contact("beijing", tokyo_time(2026, 7, 15, 11, 0)))
    assert beijing == [("/en/cases/status/", "Case status"), ("/en/processing-times/", "Processing times")]


def test_the_page_says_the_call_center_no_longer_answers_visa_status_questions(posts):
    html = render_contact("tokyo", tokyo_time(2026, 7, 15, 11, 0))
    note = section(html, "status-questions")
    assert note.startswith("Our call center no longer answers questions about the status of non-immigrant and "
                           "immigrant visa applications.")
    assert '<a class="usa-link" href="/en/inquiries/">Ask about your application' in html
    # A post that takes no status inquiries has no such note.
    assert 'id="status-questions"' not in render_contact("shanghai", tokyo_time(2026, 7, 15, 11, 0))


def test_a_posts_contact_page_reads_only_the_post(client, posts):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/en/contact/?post=tokyo")  # the layout's cached parts are filled by the first page
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/en/contact/?post=tokyo")
    assert page.status_code == 200 and "USCIS Contact Center" in page.content.decode()
    assert len(queries) == 1

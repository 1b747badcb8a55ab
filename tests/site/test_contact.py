"""The contact page: open or closed at a given instant, in the post's time zone, by its business calendar."""

import datetime as dt
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

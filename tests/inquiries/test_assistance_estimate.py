"""When an officer contacts a live-assistance request: later when the queue is longer, never on a weekend or a
US or host-country holiday, counted from the post's next opening. Real dates of 2026."""

import datetime as dt
import zoneinfo

import pytest

from consular_portal.models import Post
from consular_portal.post_data import POSTS
from inquiries.assistance_estimate import contact_estimate, first_working_day

pytestmark = pytest.mark.pure

JST = zoneinfo.ZoneInfo("Asia/Tokyo")
CST = zoneinfo.ZoneInfo("Asia/Shanghai")
D = dt.date


def post(slug):
    return Post(**next(p for p in POSTS if p["slug"] == slug))


TOKYO, SHANGHAI = post("tokyo"), post("shanghai")


def tokyo(*args):
    return dt.datetime(*args, tzinfo=JST)


@pytest.mark.parametrize(("at", "expected", "why"), [
    (tokyo(2026, 5, 12, 11, 0), D(2026, 5, 12), "open now (Tuesday 11:00): today"),
    (tokyo(2026, 5, 12, 8, 0), D(2026, 5, 12), "before opening: today's opening"),
    (tokyo(2026, 5, 12, 19, 0), D(2026, 5, 13), "after closing: tomorrow"),
    (tokyo(2026, 5, 15, 19, 0), D(2026, 5, 18), "Friday evening: Monday"),
    (tokyo(2026, 5, 1, 19, 0), D(2026, 5, 7), "Golden Week: 4, 5 and the substitute holiday 6 May"),
    (tokyo(2026, 7, 2, 18, 30), D(2026, 7, 6), "Independence Day observed on Friday 3 July (a US holiday)"),
    (tokyo(2026, 12, 30, 18, 0), D(2027, 1, 4), "year end: 31 December to 3 January"),
])
def test_the_queue_starts_on_the_posts_next_opening(at, expected, why):
    assert first_working_day(TOKYO, at) == expected, why


def test_a_post_without_published_hours_starts_on_the_next_business_day():
    # Shanghai has no contact hours: Saturday 3 October 2026 is in China's National Day holidays (1 to 7 October).
    assert first_working_day(SHANGHAI, dt.datetime(2026, 10, 3, 10, 0, tzinfo=CST)) == D(2026, 10, 8)
    assert first_working_day(SHANGHAI, dt.datetime(2026, 5, 12, 23, 0, tzinfo=CST)) == D(2026, 5, 12)


@pytest.mark.parametrize(("ahead", "expected"), [
    (0, D(2026, 5, 12)),    # the first request of the queue: today
    (19, D(2026, 5, 12)),   # the 20th: still today at 20 a day
    (20, D(2026, 5, 13)),   # the 21st: tomorrow
    (59, D(2026, 5, 14)),
    (60, D(2026, 5, 15)),
    (80, D(2026, 5, 18)),   # over the weekend
    (200, D(2026, 5, 27)),  # ten business days on, over Memorial Day (US), Monday 25 May
])
def test_a_longer_queue_moves_the_estimate_later(ahead, expected):
    assert contact_estimate(post=TOKYO, at=tokyo(2026, 5, 12, 11, 0), ahead=ahead, per_day=20) == expected


def test_the_estimate_never_moves_earlier_as_the_queue_grows():
    at = tokyo(2026, 4, 27, 12, 0)
    estimates = [contact_estimate(post=TOKYO, at=at, ahead=n, per_day=7) for n in range(150)]
    assert estimates == sorted(estimates) and estimates[0] < estimates[-1]


@pytest.mark.parametrize(("at", "ahead", "expected", "why"), [
    (tokyo(2026, 4, 28, 11, 0), 20, D(2026, 4, 30), "Showa Day, 29 April (Japan)"),
    (tokyo(2026, 4, 28, 11, 0), 60, D(2026, 5, 7), "Golden Week, 2 to 6 May (Japan)"),
    (tokyo(2026, 11, 20, 11, 0), 20, D(2026, 11, 24), "Labor Thanksgiving Day, Monday 23 November (Japan)"),
    (tokyo(2026, 11, 25, 11, 0), 20, D(2026, 11, 27), "Thanksgiving, Thursday 26 November (US)"),
    (tokyo(2026, 1, 16, 11, 0), 20, D(2026, 1, 20), "Martin Luther King Jr. Day, 19 January (US)"),
    (tokyo(2026, 12, 29, 11, 0), 40, D(2027, 1, 4), "31 December to 3 January (Japan), New Year's Day (US)"),
])
def test_the_estimate_skips_us_and_japanese_holidays(at, ahead, expected, why):
    assert contact_estimate(post=TOKYO, at=at, ahead=ahead, per_day=20) == expected, why


def test_the_estimate_skips_chinese_public_holidays_at_a_post_in_china():
    # Wednesday 30 September 2026: the National Day holidays run from 1 to 7 October; Thursday 8 October is next.
    at = dt.datetime(2026, 9, 30, 11, 0, tzinfo=CST)
    assert contact_estimate(post=SHANGHAI, at=at, ahead=0, per_day=10) == D(2026, 9, 30)
    assert contact_estimate(post=SHANGHAI, at=at, ahead=10, per_day=10) == D(2026, 10, 8)


@pytest.mark.parametrize(("ahead", "per_day"), [(-1, 5), (0, 0)])
def test_impossible_figures_are_refused(ahead, per_day):
    with pytest.raises(ValueError):
        contact_estimate(post=TOKYO, at=tokyo(2026, 5, 12, 11, 0), ahead=ahead, per_day=per_day)

"""Business days and opening hours against real calendars: US federal holidays plus the host country's."""

import datetime as dt
import zoneinfo

import pytest

from consular_portal.business_calendar import (
    add_business_days,
    business_days_between,
    is_business_day,
    is_open,
    next_opening,
)
from consular_portal.models import Post

pytestmark = pytest.mark.pure

UTC = dt.UTC
JST = zoneinfo.ZoneInfo("Asia/Tokyo")
D = dt.date


def post(slug):
    from consular_portal.post_data import POSTS

    data = next(p for p in POSTS if p["slug"] == slug)
    return Post(**data)


TOKYO, SHANGHAI = post("tokyo"), post("shanghai")


@pytest.mark.parametrize(
    ("where", "start", "n", "expected", "why"),
    [
        (TOKYO, D(2026, 4, 28), 1, D(2026, 4, 30), "Showa Day (29 April)"),
        (TOKYO, D(2026, 5, 1), 1, D(2026, 5, 7), "Golden Week: 4, 5 May and the substitute holiday on 6 May"),
        (TOKYO, D(2026, 11, 20), 1, D(2026, 11, 24), "Labor Thanksgiving Day (Japan), Monday 23 November"),
        (TOKYO, D(2026, 11, 20), 2, D(2026, 11, 25), "two business days over the Japanese holiday"),
        (TOKYO, D(2026, 11, 25), 1, D(2026, 11, 27), "US Thanksgiving, Thursday 26 November"),
        (TOKYO, D(2026, 7, 2), 1, D(2026, 7, 6), "US Independence Day observed on Friday 3 July"),
        (TOKYO, D(2026, 12, 30), 1, D(2027, 1, 4), "New Year in Japan: 31 December, 1 January, weekend"),
        (TOKYO, D(2027, 1, 8), 1, D(2027, 1, 12), "Coming of Age Day (Japan), 11 January 2027"),
        (TOKYO, D(2026, 10, 1), 1, D(2026, 10, 2), "Chinese National Day is a working day in Tokyo"),
        (SHANGHAI, D(2026, 9, 30), 1, D(2026, 10, 8), "National Day Golden Week, 1–7 October"),
        (SHANGHAI, D(2026, 10, 9), 1, D(2026, 10, 13), "US Columbus Day, 12 October"),
        (SHANGHAI, D(2026, 2, 13), 1, D(2026, 2, 24), "Spring Festival and its rest days, 16–23 February"),
        (SHANGHAI, D(2026, 11, 20), 1, D(2026, 11, 23), "Japanese holidays do not close Shanghai"),
        (SHANGHAI, D(2026, 11, 25), 1, D(2026, 11, 27), "US Thanksgiving closes Shanghai too"),
        (SHANGHAI, D(2026, 5, 8), -1, D(2026, 5, 7), "counting backwards"),
        (SHANGHAI, D(2026, 5, 6), -1, D(2026, 4, 30), "backwards over Labour Day, 1–5 May"),
        (TOKYO, D(2026, 11, 23), 0, D(2026, 11, 24), "zero days from a holiday is the next business day"),
    ],
)
def test_add_business_days_matches_real_calendars(where, start, n, expected, why):
    assert add_business_days(where, start, n) == expected, why


@pytest.mark.parametrize(
    ("where", "day", "expected"),
    [
        (TOKYO, D(2026, 11, 23), False),
        (TOKYO, D(2026, 11, 26), False),
        (TOKYO, D(2026, 11, 24), True),
        (TOKYO, D(2027, 1, 2), False),
        (TOKYO, D(2026, 12, 31), False),
        (TOKYO, D(2026, 11, 28), False),
        (SHANGHAI, D(2026, 10, 10), False),  # a Chinese make-up working Saturday: the consulate keeps its weekend
        (SHANGHAI, D(2026, 6, 19), False),  # Dragon Boat Festival and Juneteenth on the same day
        (SHANGHAI, D(2026, 9, 25), False),  # Mid-Autumn Festival
        (SHANGHAI, D(2026, 11, 23), True),
    ],
)
def test_is_business_day(where, day, expected):
    assert is_business_day(where, day) is expected


def test_business_days_between_counts_only_working_days():
    assert business_days_between(TOKYO, D(2026, 11, 20), D(2026, 11, 27)) == 3  # 24, 25, 27
    assert business_days_between(TOKYO, D(2026, 11, 27), D(2026, 11, 20)) == 0


def utc(*args):
    return dt.datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("at", "expected", "why"),
    [
        (utc(2026, 11, 24, 1, 0), True, "10:00 JST on a Tuesday: opening time"),
        (utc(2026, 11, 24, 0, 59), False, "09:59 JST"),
        (utc(2026, 11, 24, 8, 59), True, "17:59 JST"),
        (utc(2026, 11, 24, 9, 0), False, "18:00 JST: closed"),
        (utc(2026, 11, 23, 3, 0), False, "noon JST on Labor Thanksgiving Day"),
        (utc(2026, 11, 26, 3, 0), False, "noon JST on US Thanksgiving"),
        (utc(2026, 11, 27, 1, 30), True, "10:30 JST on the Friday after Thanksgiving"),
        (utc(2026, 11, 28, 3, 0), False, "Saturday"),
        (utc(2026, 5, 6, 3, 0), False, "substitute holiday of Golden Week"),
        (utc(2026, 11, 29, 23, 30), False, "Sunday in UTC but 08:30 Monday in Tokyo: not yet open"),
        (utc(2026, 11, 30, 0, 30), False, "09:30 Monday JST"),
        (utc(2026, 11, 30, 1, 30), True, "10:30 Monday JST while it is still Sunday evening in New York"),
        (utc(2027, 1, 1, 3, 0), False, "New Year's Day"),
    ],
)
def test_tokyo_call_centre_is_open(at, expected, why):
    assert is_open(TOKYO, at) is expected, why


def test_next_opening_skips_weekend_and_holidays():
    friday_evening = utc(2026, 11, 20, 10, 0)  # 19:00 JST on Friday; Monday the 23rd is a holiday
    assert next_opening(TOKYO, friday_evening) == dt.datetime(2026, 11, 24, 10, 0, tzinfo=JST)
    before_opening = utc(2026, 11, 24, 0, 0)  # 09:00 JST the same day
    assert next_opening(TOKYO, before_opening) == dt.datetime(2026, 11, 24, 10, 0, tzinfo=JST)


def test_a_post_without_published_hours_is_never_open():
    assert is_open(SHANGHAI, utc(2026, 11, 24, 3, 0)) is False
    assert next_opening(SHANGHAI, utc(2026, 11, 24, 3, 0)) is None

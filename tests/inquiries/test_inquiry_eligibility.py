"""The first date one may inquire, by route, on real dates around US and Japanese holidays and month ends (the
post's calendar: weekends, US federal and Japanese public and bank holidays)."""

import datetime as dt

import pytest

from inquiries.inquiry_rules import add_months, evaluate, first_inquiry_date, follow_up_date
from inquiries.models import InquiryRoute, Route, WaitUnit

pytestmark = pytest.mark.django_db

D = dt.date
SEEDED = {  # the Embassy's notice, as every post is seeded
    Route.INTERVIEW: (10, WaitUnit.BUSINESS_DAYS),
    Route.MAIL: (10, WaitUnit.BUSINESS_DAYS),
    Route.TREATY_TRADER: (1, WaitUnit.MONTHS),
    Route.ADDITIONAL_DOCUMENTS: (15, WaitUnit.DAYS),
}


@pytest.mark.parametrize(("route", "start", "first"), [
    # Interview on Monday 14 September 2026: Respect for the Aged Day (21), the citizens' holiday (22) and the
    # autumn equinox (23) are not counted.
    (Route.INTERVIEW, D(2026, 9, 14), D(2026, 10, 1)),
    # Interview on Friday 20 November 2026: Labour Thanksgiving Day (JP, 23) and Thanksgiving (US, 26).
    (Route.INTERVIEW, D(2026, 11, 20), D(2026, 12, 8)),
    # Interview on a Saturday before Golden Week: 4, 5 May and the substitute holiday of 6 May 2026.
    (Route.INTERVIEW, D(2026, 5, 2), D(2026, 5, 20)),
    # An interview day with no holiday in the 10 days: two calendar weeks.
    (Route.INTERVIEW, D(2026, 6, 1), D(2026, 6, 15)),
    # Documents received by mail on 24 December 2026: Christmas (US), 31 December, 1 January (bank holidays),
    # Coming of Age Day (JP, 11 January 2027).
    (Route.MAIL, D(2026, 12, 24), D(2027, 1, 13)),
    # Received on 14 January 2027: Martin Luther King Jr. Day (US, 18 January) is not counted.
    (Route.MAIL, D(2027, 1, 14), D(2027, 1, 29)),
    # One month after 31 January is the last day of February, in a common and in a leap year.
    (Route.TREATY_TRADER, D(2026, 1, 31), D(2026, 2, 28)),
    (Route.TREATY_TRADER, D(2028, 1, 31), D(2028, 2, 29)),
    (Route.TREATY_TRADER, D(2026, 3, 31), D(2026, 4, 30)),
    (Route.TREATY_TRADER, D(2026, 12, 15), D(2027, 1, 15)),
    # 15 calendar days, holidays or not (across Golden Week).
    (Route.ADDITIONAL_DOCUMENTS, D(2026, 4, 25), D(2026, 5, 10)),
    (Route.ADDITIONAL_DOCUMENTS, D(2026, 12, 20), D(2027, 1, 4)),
])
def test_the_first_inquiry_date_follows_the_post_calendar(tokyo, route, start, first):
    amount, unit = SEEDED[route]
    assert first_inquiry_date(route=InquiryRoute(route=route, amount=amount, unit=unit), start=start,
                              post=tokyo) == first


@pytest.mark.parametrize(("day", "months", "expected"), [
    (D(2026, 1, 31), 1, D(2026, 2, 28)),
    (D(2024, 1, 31), 1, D(2024, 2, 29)),
    (D(2026, 8, 31), 1, D(2026, 9, 30)),
    (D(2026, 11, 30), 3, D(2027, 2, 28)),
    (D(2026, 5, 15), 12, D(2027, 5, 15)),
])
def test_months_end_on_the_last_day_of_a_shorter_month(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(("last", "expected"), [
    (D(2026, 12, 30), D(2027, 1, 6)),   # 31 December and 1 January are not business days
    (D(2026, 7, 2), D(2026, 7, 8)),     # Independence Day observed (US, Friday 3 July)
    (D(2026, 7, 16), D(2026, 7, 22)),   # Marine Day (JP, Monday 20 July)
])
def test_a_follow_up_waits_three_business_days(tokyo, last, expected):
    policy = tokyo.inquiry_policy
    assert policy.follow_up_business_days == 3
    assert follow_up_date(policy=policy, last_sent_on=last, post=tokyo) == expected


def test_the_seeded_policy_is_the_notice_and_eligibility_starts_on_the_first_date(tokyo):
    policy = tokyo.inquiry_policy
    assert {r.route: (r.amount, r.unit) for r in policy.routes.all()} == SEEDED
    before = evaluate(policy, route_code=Route.INTERVIEW, start=D(2026, 9, 14), today=D(2026, 9, 30))
    on = evaluate(policy, route_code=Route.INTERVIEW, start=D(2026, 9, 14), today=D(2026, 10, 1))
    assert (before.eligible, before.first_date) == (False, D(2026, 10, 1))
    assert (on.eligible, on.first_date) == (True, D(2026, 10, 1))


def test_a_route_the_post_turned_off_is_not_offered(tokyo):
    policy = tokyo.inquiry_policy
    policy.routes.filter(route=Route.ADDITIONAL_DOCUMENTS).update(active=False)
    assert evaluate(policy, route_code=Route.ADDITIONAL_DOCUMENTS, start=D(2026, 1, 5), today=D(2026, 3, 1)) is None

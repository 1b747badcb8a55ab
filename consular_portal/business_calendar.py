"""Business days and opening hours of a post.

A post works Monday to Friday, except on US federal holidays (it is a US mission) and on the host
country's public holidays (for Japan also the year-end bank holidays, 31 December and 2–3 January, when
the Embassy and the call centre are closed). Contact hours are read in the post's own time zone.
"""

import datetime as dt
from functools import lru_cache

import holidays

WEEKEND = {5, 6}
HOST_CATEGORIES = {"JP": ("public", "bank")}


@lru_cache(maxsize=64)
def _holidays(country, year):
    us = holidays.country_holidays("US", years=year)
    host = holidays.country_holidays(country, years=year, categories=HOST_CATEGORIES.get(country, ("public",)))
    return frozenset(us) | frozenset(host)


def holiday_dates(country, year):
    return _holidays(country, year)


def is_business_day(post, day):
    return day.weekday() not in WEEKEND and day not in _holidays(post.country, day.year)


def add_business_days(post, day, n):
    """The date ``n`` business days after ``day`` (before it when ``n`` is negative); n=0 returns ``day``
    itself when it is a business day, else the next one."""
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    if remaining == 0:
        while not is_business_day(post, day):
            day += dt.timedelta(days=1)
        return day
    while remaining:
        day += dt.timedelta(days=step)
        if is_business_day(post, day):
            remaining -= 1
    return day


def business_days_between(post, start, end):
    """Business days after ``start`` up to and including ``end`` (0 when end <= start)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_business_day(post, day)
    return count


def _hours_on(post, day):
    """(opens, closes) times of the post on a local date, or None when closed all day."""
    if not is_business_day(post, day):
        return None
    for entry in post.contact_hours:
        if day.weekday() in entry["days"]:
            return dt.time.fromisoformat(entry["opens"]), dt.time.fromisoformat(entry["closes"])
    return None


def is_open(post, at):
    """Whether the post's contact channels are open at the aware instant ``at``."""
    local = at.astimezone(post.tz)
    hours = _hours_on(post, local.date())
    return hours is not None and hours[0] <= local.time() < hours[1]


def next_opening(post, at, horizon_days=30):
    """The next instant (aware, in the post's time zone) at which the post opens, after ``at``; None if it
    has no contact hours in the coming ``horizon_days``."""
    local = at.astimezone(post.tz)
    for offset in range(horizon_days + 1):
        day = local.date() + dt.timedelta(days=offset)
        hours = _hours_on(post, day)
        if hours is None:
            continue
        opens = dt.datetime.combine(day, hours[0], tzinfo=post.tz)
        if opens > local:
            return opens
    return None

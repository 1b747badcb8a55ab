"""What the contact page says about a post: its hours in its own time zone, and whether it is open now."""

import datetime as dt
from dataclasses import dataclass

from django.utils import formats
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import business_calendar

TIME_ZONE_NAMES = {
    "Asia/Tokyo": gettext_lazy("Japan time"),
    "Asia/Shanghai": gettext_lazy("China time"),
}


@dataclass(frozen=True)
class ContactStatus:
    has_hours: bool
    open_now: bool
    opens_at: dt.datetime | None  # in the post's time zone; None when open or no hours ahead
    local_now: dt.datetime


def contact_status(post, at):
    """Open or closed at the aware instant ``at``, by the post's hours and business-day calendar."""
    local_now = at.astimezone(post.tz)
    if not post.contact_hours:
        return ContactStatus(has_hours=False, open_now=False, opens_at=None, local_now=local_now)
    if business_calendar.is_open(post, at):
        return ContactStatus(has_hours=True, open_now=True, opens_at=None, local_now=local_now)
    return ContactStatus(
        has_hours=True, open_now=False, opens_at=business_calendar.next_opening(post, at), local_now=local_now
    )


def time_zone_name(post):
    return str(TIME_ZONE_NAMES.get(post.time_zone, post.time_zone))


def day_range(days):
    """'Monday to Friday' for consecutive days, else the days listed: 'Monday, Wednesday'."""
    days = sorted(days)
    names = [str(WEEKDAYS[d]) for d in days]
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return _("%(first)s to %(last)s") % {"first": names[0], "last": names[-1]}
    return _(", ").join(names)


def hours_lines(post):
    """One line per entry of the post's contact hours, e.g. 'Monday to Friday, 10:00 to 18:00'."""
    return [
        _("%(days)s, %(opens)s to %(closes)s")
        % {"days": day_range(entry["days"]), "opens": entry["opens"], "closes": entry["closes"]}
        for entry in post.contact_hours
    ]


def format_opening(moment):
    """'Monday, May 4, 2026, 10 a.m.' in the active language."""
    return _("%(weekday)s, %(date_time)s") % {
        "weekday": formats.date_format(moment, "l"),
        "date_time": formats.date_format(moment, "DATETIME_FORMAT"),
    }

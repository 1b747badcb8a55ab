"""What the contact page says about a post: its hours in its own time zone, whether it is open now, the
USCIS Contact Center's hours read in the post's time zone, and the online services to try first."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import business_calendar

TIME_ZONE_NAMES = {
    "Asia/Tokyo": gettext_lazy("Japan time"),
    "Asia/Shanghai": gettext_lazy("China time"),
    "America/New_York": gettext_lazy("Eastern time"),
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


# The USCIS Contact Center (the seed's contact page): representatives answer Monday to Friday, 8:00 to 20:00
# Eastern time, which follows US daylight saving time; its numbers are US numbers, dialled from abroad with +1.
@dataclass(frozen=True)
class ContactCentre:
    time_zone: str
    days: tuple
    opens: dt.time
    closes: dt.time
    phones: tuple  # (label, number as printed)

    @property
    def tz(self):
        return zoneinfo.ZoneInfo(self.time_zone)


CONTACT_CENTRE = ContactCentre(
    time_zone="America/New_York", days=(0, 1, 2, 3, 4), opens=dt.time(8), closes=dt.time(20),
    phones=(
        (gettext_lazy("Toll free (in the United States)"), "800-375-5283"),
        (gettext_lazy("TTY"), "800-767-1833"),
        (gettext_lazy("Outside the United States"), "212-620-3418"),
    ),
)


@dataclass(frozen=True)
class HoursInZone:
    """One run of the centre's days read in another time zone: ``days`` are the local weekdays it opens on,
    ``next_day`` whether it closes on the following local day."""

    days: tuple
    opens: dt.time
    closes: dt.time
    next_day: bool


def centre_week(at, centre=CONTACT_CENTRE):
    """The centre's date at the aware instant ``at``: the contact page shows its hours of the seven days from
    this date (``centre_hours_in``)."""
    return at.astimezone(centre.tz).date()


def centre_hours_in(tz, at, centre=CONTACT_CENTRE):
    """The centre's hours of the coming seven days (from the centre's date at ``at``) in the time zone ``tz``,
    one entry per run of days with the same local times (one entry a week, except across a change of daylight
    saving time)."""
    start = centre_week(at, centre)
    runs = []
    for offset in range(7):
        day = start + dt.timedelta(days=offset)
        if day.weekday() not in centre.days:
            continue
        opens = dt.datetime.combine(day, centre.opens, tzinfo=centre.tz).astimezone(tz)
        closes = dt.datetime.combine(day, centre.closes, tzinfo=centre.tz).astimezone(tz)
        times = (opens.time(), closes.time(), closes.date() > opens.date())
        if runs and runs[-1][1] == times:
            runs[-1][0].append(opens.weekday())
        else:
            runs.append(([opens.weekday()], times))
    return [HoursInZone(tuple(days), *times) for days, times in sorted(runs, key=lambda run: run[0][0])]


def hours_in_zone_line(hours):
    """'Monday to Friday, 21:00 to 09:00 the next day' in the active language."""
    values = {"days": day_range(hours.days), "opens": f"{hours.opens:%H:%M}", "closes": f"{hours.closes:%H:%M}"}
    if hours.next_day:
        return _("%(days)s, %(opens)s to %(closes)s the next day") % values
    return _("%(days)s, %(opens)s to %(closes)s") % values


def contact_centre(post, at, centre=CONTACT_CENTRE):
    """What the contact page shows of the centre: its own hours, the same hours in the post's time zone this
    week (they move by an hour when US daylight saving time begins or ends), and its phones."""
    return {
        "hours": [hours_in_zone_line(h) for h in centre_hours_in(centre.tz, at, centre)],
        "time_zone_name": str(TIME_ZONE_NAMES.get(centre.time_zone, centre.time_zone)),
        "local_hours": [hours_in_zone_line(h) for h in centre_hours_in(post.tz, at, centre)],
        "phones": [{"label": str(label), "number": number, "href": "tel:+1" + "".join(filter(str.isdigit, number))}
                   for label, number in centre.phones],
    }


def _link(name, **kwargs):
    """The path of a URL name, or None while that service is not part of the portal."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def online_tools(post):
    """The portal's online services a visitor of ``post``'s contact page can try before calling: (title,
    description, path), only those that exist and that the post offers."""
    from .models import Post

    tools = []
    if post.offers(Post.Service.PASSPORT_TRACKING):
        tools.append((_("Passport status"), _("Where your passport is after your visa interview."),
                      _link("passports:status")))
    if post.offers(Post.Service.STATUS_INQUIRY):
        tools.append((_("Visa application status inquiries"),
                      _("Ask about a pending visa application, once the waiting time has passed."),
                      _link("inquiries:check")))
    tools.append((_("Case status"), _("The status of a case, by its receipt number."), _link("cases:status")))
    tools.append((_("Processing times"), _("How long most cases take, and from when you may ask about yours."),
                  _link("processing_times:list")))
    if post.offers(Post.Service.EXPEDITE):
        tools.append((_("In-person appointment requests"),
                      _("For a service that cannot be given by phone or email."),
                      _link("appointments:in_person_form", post=post.slug)))
    if post.services:
        tools.append((_("Live assistance"), _("Ask for an officer to contact you when your question needs one."),
                      _link("assistance:request", post=post.slug)))
    return [{"title": title, "description": text, "path": path} for title, text, path in tools if path]


def status_inquiries_path(post):
    """The status inquiry page, for the note that the call centre no longer answers status questions."""
    from .models import Post

    return _link("inquiries:check") if post.offers(Post.Service.STATUS_INQUIRY) else None


def contact_additions(post, at):
    """The contact page's context beyond the post's own hours and phones."""
    return {
        "centre": contact_centre(post, at),
        "online_tools": online_tools(post),
        "status_inquiries_path": status_inquiries_path(post),
    }

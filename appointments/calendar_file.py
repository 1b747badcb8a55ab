"""The appointment as an iCalendar file (RFC 5545), made with ``icalendar``: attached to the email that books or
moves it, and offered on the applicant's page.

The event is at the slot's time in the post's time zone (with its VTIMEZONE, so a calendar in another zone shows
the right instant), at the post's address, named by the reference. Nothing the applicant typed is in it. Its UID
is the request's, so a moved appointment replaces the earlier one in the applicant's calendar (a higher
SEQUENCE).
"""

import datetime as dt

from django.utils import timezone, translation
from django.utils.translation import gettext

from consular_portal.post_text import translated

APPOINTMENT_MINUTES = 30
CONTENT_TYPE = "text/calendar"


def calendar_filename(request):
    return f"{request.reference}.ics"


def appointment_calendar(request):
    """The .ics text of the request's appointment (the request holds a slot)."""
    from icalendar import Calendar, Event

    post, slot = request.post, request.slot
    starts = slot.starts_at.astimezone(post.tz)
    with translation.override(request.language):
        post_name = translated(post.name)
        summary = gettext("Appointment at %(post)s (%(reference)s)") % {
            "post": post_name, "reference": request.reference}
        description = gettext("Reference %(reference)s. Bring your passport and the documents about your "
                              "request.") % {"reference": request.reference}
    calendar = Calendar()
    calendar.add("prodid", "-//Consular Portal//Appointments//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{request.reference}@consular-portal")
    event.add("sequence", request.events.count())
    event.add("dtstamp", timezone.now())
    event.add("dtstart", starts)
    event.add("dtend", starts + dt.timedelta(minutes=APPOINTMENT_MINUTES))
    event.add("summary", summary)
    event.add("location", post.address or post_name)
    event.add("description", description)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


def calendar_attachment(request):
    """``(filename, content, content_type)`` for ``outbox.queue_email(attachments=...)``."""
    return calendar_filename(request), appointment_calendar(request), CONTENT_TYPE

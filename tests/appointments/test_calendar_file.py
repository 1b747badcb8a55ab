"""The appointment in the applicant's calendar: an .ics file made with icalendar, attached to the email that
books it and offered on the applicant's page, at the right instant in the post's time zone."""

import datetime as dt
import zoneinfo

import pytest
from django.conf import settings
from django.test import Client
from icalendar import Calendar

from appointments import booking
from appointments.in_person_booking import in_person_accept
from appointments.in_person_links import in_person_path
from appointments.links import request_path
from appointments.models import AppointmentSlot
from consular_portal.models import OutboundEmail
from consular_portal.outbox import build_message
from tests.factories import ExpediteRequestFactory, SlotFactory, in_person_request, local_today

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def the_event(ics):
    calendar = Calendar.from_ical(ics)
    [event] = calendar.walk("VEVENT")
    return calendar, event


@pytest.mark.django_db
def test_the_approval_email_carries_the_appointment_at_0930_shanghai_time_at_the_posts_address(
        shanghai_policy, officer_shanghai):
    post = shanghai_policy.post
    day = local_today(post) + dt.timedelta(days=4)
    slot = AppointmentSlot.objects.create(
        post=post, starts_at=dt.datetime.combine(day, dt.time(9, 30), tzinfo=SHANGHAI))
    request = ExpediteRequestFactory(post=post, residence_region="CN-SH", language="zh-hans",
                                     justification="Call +86 21 0000 0000 to pay the fee")
    booking.request_approve(request=request, officer=officer_shanghai, slot=slot)

    email = OutboundEmail.objects.get(template="expedite_decision")
    [attachment] = email.attachments
    assert attachment["filename"] == f"{request.reference}.ics" and attachment["content_type"] == "text/calendar"
    calendar, event = the_event(attachment["content"])
    starts = event.decoded("dtstart")
    assert starts.astimezone(SHANGHAI).replace(tzinfo=None) == dt.datetime.combine(day, dt.time(9, 30))
    assert starts.astimezone(dt.UTC).time() == dt.time(1, 30)  # the instant, wherever the calendar is
    assert event["dtstart"].params["TZID"] == "Asia/Shanghai"
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert event.decoded("dtend") - starts == dt.timedelta(minutes=30)
    assert str(event["location"]) == post.address and "1038 West Nanjing Road" in post.address
    assert request.reference in str(event["summary"]) and request.reference in str(event["uid"])
    for typed in (request.full_name, "+86 21 0000 0000", request.email):
        assert typed not in attachment["content"]

    # The applicant's page offers the same appointment.
    client = Client()
    page = client.get(request_path(request)).content.decode()
    assert 'href="appointment.ics"' in page
    download = client.get(request_path(request) + "appointment.ics")
    assert download.status_code == 200 and download["Content-Type"].startswith("text/calendar")
    assert f'filename="{request.reference}.ics"' in download["Content-Disposition"]
    assert "no-store" in download["Cache-Control"]
    _calendar, offered = the_event(download.content)
    assert offered.decoded("dtstart") == starts and str(offered["uid"]) == str(event["uid"])

    # The message sent carries it as a text/calendar part.
    message = build_message(email).message()
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_filename() == f"{request.reference}.ics"


@pytest.mark.django_db
def test_no_appointment_no_calendar_file(tokyo_policy, officer_tokyo):
    request = ExpediteRequestFactory(post=tokyo_policy.post)
    client = Client()
    assert 'appointment.ics' not in client.get(request_path(request)).content.decode()
    assert client.get(request_path(request) + "appointment.ics").status_code == 404
    assert client.get("/en/appointments/requests/forged/appointment.ics").status_code == 404
    booking.request_refuse(request=request, officer=officer_tokyo, reason="not_urgent")
    assert client.get(request_path(request) + "appointment.ics").status_code == 404
    assert OutboundEmail.objects.get(template="expedite_decision").attachments == []


@pytest.mark.django_db(transaction=True)
def test_an_in_person_booking_reaches_the_inbox_with_its_calendar_file_in_tokyo_time(
        celery_worker, mailbox, tokyo, officer_tokyo):
    slot = SlotFactory(post=tokyo, capacity=2, in_days=6, hour=14)
    request = in_person_request(tokyo, 1, language="ja")
    in_person_accept(request=request, officer=officer_tokyo, slot=slot)
    decision = mailbox.wait_for(2, to=request.email)[1]
    [part] = [p for p in decision.walk() if p.get_content_type() == "text/calendar"]
    _calendar, event = the_event(part.get_payload(decode=True))
    assert event.decoded("dtstart").astimezone(zoneinfo.ZoneInfo("Asia/Tokyo")).time() == dt.time(14, 0)
    assert event.decoded("dtstart") == slot.starts_at
    assert "Akasaka" in str(event["location"])
    assert request.reference in str(event["summary"]) and "Applicant 1" not in part.get_payload(decode=True).decode()
    page = Client().get(in_person_path(request).replace("/ja/", "/en/", 1) + "appointment.ics")
    assert page.status_code == 200 and settings.SITE_URL not in page.content.decode()

"""Officers move a booked appointment to another slot or cancel it, on the request's change page: the new place
claimed and the old one released in one transaction, capacity never passed, the applicant told the new time with
a new calendar file."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from appointments import booking
from appointments.in_person_booking import in_person_accept
from appointments.models import ExpediteRequest, InPersonRequest
from consular_portal.models import OutboundEmail
from tests.factories import ExpediteRequestFactory, SlotFactory, in_person_request

pytestmark = pytest.mark.django_db


def booked_counts(*slots):
    for slot in slots:
        slot.refresh_from_db()
    return [slot.booked for slot in slots]


def test_an_officer_moves_an_approved_appointment_and_the_applicant_gets_the_new_time_and_calendar_file(
        client, tokyo_policy, officer_tokyo):
    post = tokyo_policy.post
    old, full, new = (SlotFactory(post=post, capacity=1, in_days=3, hour=hour) for hour in (9, 10, 11))
    request, other = ExpediteRequestFactory(post=post), ExpediteRequestFactory(post=post)
    booking.request_approve(request=request, officer=officer_tokyo, slot=old)
    booking.request_approve(request=other, officer=officer_tokyo, slot=full)
    client.force_login(officer_tokyo)
    change_url = reverse("admin:appointments_expediterequest_change", args=[request.pk])
    page = client.get(change_url).content.decode()
    assert 'value="reschedule"' in page and 'value="cancel"' in page and 'value="approve"' not in page

    decide = reverse("admin:appointments_expediterequest_decide", args=[request.pk])
    refused = client.post(decide, {"action": "reschedule", "slot": full.pk, "note": ""})
    assert refused.status_code == 200 and "This slot is full now" in refused.content.decode()
    same = client.post(decide, {"action": "reschedule", "slot": old.pk, "note": ""})
    assert "This is the slot booked now" in same.content.decode()
    assert booked_counts(old, full, new) == [1, 1, 0]

    moved = client.post(decide, {"action": "reschedule", "slot": new.pk, "note": ""})
    assert moved.status_code == 302
    assert booked_counts(old, full, new) == [0, 1, 1]
    request.refresh_from_db()
    assert request.status == "approved" and request.slot == new and not request.is_open
    assert "moved" in request.events.order_by("-pk").first().note

    email = OutboundEmail.objects.get(template="appointment_rescheduled")
    local_new, local_old = (s.starts_at.astimezone(post.tz) for s in (new, old))
    assert email.to == request.email and f"{local_new:%Y-%m-%d} 11:00" in email.body_text
    assert f"{local_old:%Y-%m-%d} 09:00" in email.body_text
    [event] = Calendar.from_ical(email.attachments[0]["content"]).walk("VEVENT")
    assert event.decoded("dtstart") == new.starts_at and event.decoded("dtstart").astimezone(post.tz).hour == 11
    first_ics = OutboundEmail.objects.get(template="expedite_decision", to=request.email).attachments[0]["content"]
    [first] = Calendar.from_ical(first_ics).walk("VEVENT")
    assert str(first["uid"]) == str(event["uid"]) and int(event["sequence"]) > int(first["sequence"])


def test_moving_never_passes_a_slots_capacity_and_a_refused_move_keeps_the_old_place(tokyo_policy, officer_tokyo):
    post = tokyo_policy.post
    a, b, target = (SlotFactory(post=post, capacity=1, in_days=5, hour=hour) for hour in (9, 10, 11))
    first, second = ExpediteRequestFactory(post=post), ExpediteRequestFactory(post=post)
    booking.request_approve(request=first, officer=officer_tokyo, slot=a)
    booking.request_approve(request=second, officer=officer_tokyo, slot=b)
    booking.appointment_reschedule(request=first, officer=officer_tokyo, slot=target)
    with pytest.raises(booking.SlotFull):
        booking.appointment_reschedule(request=second, officer=officer_tokyo, slot=target)
    assert booked_counts(a, b, target) == [0, 1, 1]
    assert ExpediteRequest.objects.get(pk=second.pk).slot == b
    assert not OutboundEmail.objects.filter(template="appointment_rescheduled", to=second.email).exists()


def test_an_officer_cancels_a_booked_in_person_appointment_with_a_reason_and_its_place_is_released(
        client, tokyo, officer_tokyo):
    slot = SlotFactory(post=tokyo, capacity=1, in_days=4, hour=15)
    request = in_person_request(tokyo, 1)
    in_person_accept(request=request, officer=officer_tokyo, slot=slot)
    client.force_login(officer_tokyo)
    decide = reverse("admin:appointments_inpersonrequest_decide", args=[request.pk])
    without_reason = client.post(decide, {"action": "cancel", "note": ""})
    assert "Tell the applicant why the appointment is cancelled." in without_reason.content.decode()
    assert booked_counts(slot) == [1]

    assert client.post(decide, {"action": "cancel", "note": "The consular section is closed that day."}
                       ).status_code == 302
    request.refresh_from_db()
    assert request.status == InPersonRequest.Status.CANCELLED and booked_counts(slot) == [0]
    email = OutboundEmail.objects.get(template="appointment_cancelled")
    assert email.to == request.email and "closed that day" in email.body_text and "15:00" in email.body_text
    change = client.get(reverse("admin:appointments_inpersonrequest_change", args=[request.pk])).content.decode()
    assert 'id="decision-form"' not in change  # nothing left to decide
    page_url = reverse("admin:appointments_inpersonrequest_changelist") + "?queue=cancelled"
    assert request.reference in client.get(page_url).content.decode()


def test_another_posts_officer_can_neither_move_nor_cancel(client, tokyo, officer_tokyo, officer_shanghai):
    slot, other = SlotFactory(post=tokyo, capacity=1), SlotFactory(post=tokyo, capacity=1, hour=11)
    request = in_person_request(tokyo, 1)
    in_person_accept(request=request, officer=officer_tokyo, slot=slot)
    client.force_login(officer_shanghai)
    decide = reverse("admin:appointments_inpersonrequest_decide", args=[request.pk])
    assert client.post(decide, {"action": "reschedule", "slot": other.pk}).status_code == 404
    assert client.post(decide, {"action": "cancel", "note": "x"}).status_code == 404
    request.refresh_from_db()
    assert request.status == "booked" and request.slot == slot and booked_counts(slot, other) == [1, 0]

"""In-person appointment requests: the public form, the officers' decisions (a slot booked within its capacity,
or a reason), the emails each one queues, and who may see them in the back office."""

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from appointments import booking, in_person_booking
from appointments.in_person_reminders import in_person_overdue_reminders_send
from appointments.models import AppointmentSlot, ExpediteRequest, InPersonRequest, InvalidTransition
from consular_portal.business_calendar import add_business_days
from consular_portal.models import OutboundEmail
from tests.factories import ExpediteRequestFactory, SlotFactory, in_person_request, local_today
from tests.form_data import in_person_form_data

pytestmark = pytest.mark.django_db


def form_url(post):
    return f"/en/appointments/{post.slug}/in-person/"


submitted = in_person_request


def decide_url(request):
    return reverse("admin:appointments_inpersonrequest_decide", args=[request.pk])


def change_url(request):
    return reverse("admin:appointments_inpersonrequest_change", args=[request.pk])


# The public form -----------------------------------------------------------------------------------------


def test_a_valid_request_is_stored_acknowledged_and_sent_to_the_officers(client, tokyo):
    response = client.post(form_url(tokyo), in_person_form_data(tokyo))
    request = InPersonRequest.objects.get()
    assert response.status_code == 302 and "/appointments/in-person/" in response["Location"]
    assert request.status == "submitted" and request.reason == "emergency_travel" and request.post == tokyo
    # Urgent: answered the next business day of the post.
    assert request.promised_by == add_business_days(tokyo, tokyo.local_today(request.created_at), 1)
    emails = {e.template: e for e in OutboundEmail.objects.all()}
    assert set(emails) == {"in_person_acknowledgement", "in_person_officer_notification"}
    assert emails["in_person_acknowledgement"].to == "taro.yamada@example.com"
    assert emails["in_person_officer_notification"].to == tokyo.officer_mailbox
    # The acknowledgement's link opens the applicant's page; nothing typed is on it.
    page = client.get(response["Location"])
    assert page.status_code == 200 and request.reference in page.content.decode()
    assert "Taro" not in page.content.decode() and "funeral" not in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    link = next(line for line in emails["in_person_acknowledgement"].body_text.splitlines() if "/in-person/" in line)
    assert client.get(link.strip().removeprefix(settings.SITE_URL)).status_code == 200


def test_the_blank_form_is_rendered_once_per_language_with_each_visitors_own_token(tokyo, shanghai):
    """The form before anything is typed is the markup ``{% crispy form %}`` writes for it, from the cache
    for every post and visitor of a language; each page's CSRF token is its own and is accepted."""
    import re

    from django.template.loader import render_to_string
    from django.test import Client

    from appointments.in_person_forms import InPersonRequestForm

    Client().get(form_url(shanghai))  # fills the cache
    client = Client(enforce_csrf_checks=True)
    html = client.get(form_url(tokyo)).content.decode()
    token = re.search(r'id="in-person-form".*?name="csrfmiddlewaretoken" value="([^"]+)"', html, re.S)[1]
    blank = InPersonRequestForm(initial={"language": "en"}, post=tokyo)
    assert render_to_string("uswds/crispy_form.html", {"form": blank, "csrf_token": token}) in html
    assert "csrf-token-of-the-request" not in html
    other = Client().get(form_url(tokyo)).content.decode()
    assert re.search(r'id="in-person-form".*?name="csrfmiddlewaretoken" value="([^"]+)"', other, re.S)[1] != token
    response = client.post(form_url(tokyo), {**in_person_form_data(tokyo), "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and InPersonRequest.objects.get().post == tokyo


@pytest.mark.parametrize(("overrides", "field"), [
    ({"reason": "tourism"}, "reason"),
    ({"reason": None}, "reason"),
    ({"details": ""}, "details"),
    ({"details": "x" * 2001}, "details"),
    ({"details": "bell\x07"}, "details"),
    ({"urgency": "yesterday"}, "urgency"),
    ({"preferred_from": "2020-01-01"}, "preferred_from"),
    ({"preferred_from": "not a date"}, "preferred_from"),
    ({"preferred_from": "2030-02-31"}, "preferred_from"),
    ({"preferred_until": None}, "preferred_until"),
    ({"full_name": ""}, "full_name"),
    ({"email": "not-an-address"}, "email"),
    ({"phone": "12"}, "phone"),
    ({"language": "xx"}, "language"),
])
def test_bad_input_comes_back_with_the_fields_error_and_stores_nothing(client, tokyo, overrides, field):
    response = client.post(form_url(tokyo), in_person_form_data(tokyo, **overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert 'class="usa-error-message"' in response.content.decode() or "usa-form-group--error" in \
        response.content.decode()
    assert not InPersonRequest.objects.exists() and not OutboundEmail.objects.exists()


def test_the_last_day_cannot_be_before_the_first_nor_past_ninety_days(client, tokyo):
    today = local_today(tokyo)
    before = in_person_form_data(tokyo, preferred_from=(today + dt.timedelta(days=5)).isoformat(),
                                 preferred_until=(today + dt.timedelta(days=4)).isoformat())
    assert "preferred_until" in client.post(form_url(tokyo), before).context["form"].errors
    far = in_person_form_data(tokyo, preferred_until=(today + dt.timedelta(days=91)).isoformat())
    assert "preferred_until" in client.post(form_url(tokyo), far).context["form"].errors


def test_the_form_is_reached_from_the_posts_appointments_page_and_unknown_posts_are_not_found(client, tokyo):
    policy_page = client.get(f"/en/appointments/{tokyo.slug}/").content.decode()
    assert f'href="/en/appointments/{tokyo.slug}/in-person/"' in policy_page
    page = client.get(form_url(tokyo))
    assert page.status_code == 200 and "satisfactory departure" in page.content.decode()
    assert client.get("/en/appointments/nowhere/in-person/").status_code == 404
    assert client.get("/en/appointments/in-person/not-a-token/").status_code == 404


# Decisions -----------------------------------------------------------------------------------------------


def test_accepting_books_the_slot_and_tells_the_time_in_the_posts_time_zone(tokyo, officer_tokyo):
    request = submitted(tokyo)
    slot = SlotFactory(post=tokyo, capacity=2, in_days=4, hour=9)
    decided = in_person_booking.in_person_accept(request=request, officer=officer_tokyo, slot=slot)
    slot.refresh_from_db()
    assert decided.status == "booked" and decided.slot == slot and slot.booked == 1
    assert decided.decided_by == officer_tokyo
    email = OutboundEmail.objects.get(template="in_person_decision")
    assert email.to == request.email
    assert f"{slot.starts_at.astimezone(tokyo.tz):%Y-%m-%d} 09:00 (Asia/Tokyo time)" in email.body_text
    with pytest.raises(InvalidTransition):
        in_person_booking.in_person_decline(request=decided, officer=officer_tokyo, reason="no_space")


def test_a_full_slot_cannot_be_booked_and_expedite_approvals_share_its_capacity(tokyo_policy, officer_tokyo):
    post = tokyo_policy.post
    slot = SlotFactory(post=post, capacity=2)
    booking.request_approve(request=ExpediteRequestFactory(post=post), officer=officer_tokyo, slot=slot)
    in_person_booking.in_person_accept(request=submitted(post, 1), officer=officer_tokyo, slot=slot)
    late = submitted(post, 2)
    with pytest.raises(booking.SlotFull):
        in_person_booking.in_person_accept(request=late, officer=officer_tokyo, slot=slot)
    late.refresh_from_db()
    slot.refresh_from_db()
    assert late.status == "submitted" and late.slot is None and slot.booked == 2
    assert not OutboundEmail.objects.filter(template="in_person_decision", to=late.email).exists()


def test_the_admin_refuses_a_full_slot_with_a_clear_error(client, tokyo, officer_tokyo):
    request = submitted(tokyo)
    slot = SlotFactory(post=tokyo, capacity=1)
    AppointmentSlot.objects.filter(pk=slot.pk).update(booked=1)
    client.force_login(officer_tokyo)
    response = client.post(decide_url(request), {"action": "accept", "slot": slot.pk})
    assert response.status_code == 200 and "This slot is full now: choose another." in response.content.decode()
    request.refresh_from_db()
    assert request.status == "submitted"


@pytest.mark.django_db(transaction=True)
def test_twelve_officers_accepting_at_once_into_a_slot_of_four_book_exactly_four(tokyo, officer_tokyo):
    requests = [submitted(tokyo, n) for n in range(12)]
    slot = SlotFactory(post=tokyo, capacity=4)
    start = threading.Barrier(len(requests))
    outcomes = {}

    def accept(request):
        try:
            start.wait()
            in_person_booking.in_person_accept(request=request, officer=officer_tokyo, slot=slot)
            outcomes[request.pk] = "booked"
        except booking.SlotFull:
            outcomes[request.pk] = "slot full"
        except Exception as exc:  # noqa: BLE001 - anything else is a failure of the test
            outcomes[request.pk] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(r,)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes.values()) == ["booked"] * 4 + ["slot full"] * 8
    slot.refresh_from_db()
    assert slot.booked == 4 and InPersonRequest.objects.filter(status="booked", slot=slot).count() == 4
    assert OutboundEmail.objects.filter(template="in_person_decision").count() == 4


def test_declining_needs_a_reason_and_the_email_gives_it(client, shanghai, officer_shanghai):
    request = submitted(shanghai)
    client.force_login(officer_shanghai)
    response = client.post(decide_url(request), {"action": "decline"})
    assert response.status_code == 200 and "Declining needs a reason." in response.content.decode()
    response = client.post(decide_url(request), {"action": "decline", "decline_reason": "other"})
    assert "Explain the reason to the applicant." in response.content.decode()
    response = client.post(decide_url(request), {"action": "decline", "decline_reason": "other_post",
                                                 "note": "The consulate in Guangzhou issues these documents."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "declined" and request.decline_reason == "other_post"
    email = OutboundEmail.objects.get(template="in_person_decision")
    assert "Another embassy or consulate handles this: contact it." in email.body_text
    assert "The consulate in Guangzhou issues these documents." in email.body_text
    assert request.reference in email.subject and "declined" in email.subject


def test_the_decision_form_suggests_the_earliest_slot_on_a_day_the_applicant_can_come(client, tokyo, officer_tokyo):
    request = submitted(tokyo, preferred_from=local_today(tokyo) + dt.timedelta(days=5),
                        preferred_until=local_today(tokyo) + dt.timedelta(days=6))
    SlotFactory(post=tokyo, in_days=3)
    within = SlotFactory(post=tokyo, in_days=6, hour=8)
    assert in_person_booking.slot_suggest(request=request) == within
    client.force_login(officer_tokyo)
    page = client.get(change_url(request))
    assert page.status_code == 200
    assert page.context["decision_form"]["slot"].initial == within.pk


# Who sees what -------------------------------------------------------------------------------------------


def test_officers_of_another_post_get_404_and_passport_staff_see_nothing(client, tokyo, officer_shanghai,
                                                                       passport_staff):
    request = submitted(tokyo)
    slot = SlotFactory(post=tokyo)
    client.force_login(officer_shanghai)
    assert client.get(change_url(request)).status_code == 404
    assert client.post(decide_url(request), {"action": "accept", "slot": slot.pk}).status_code == 404
    listing = client.get(reverse("admin:appointments_inpersonrequest_changelist"))
    assert listing.status_code == 200 and request.reference not in listing.content.decode()
    client.force_login(passport_staff)
    assert client.get(reverse("admin:appointments_inpersonrequest_changelist")).status_code == 403
    assert client.get(change_url(request)).status_code == 403
    assert client.post(decide_url(request), {"action": "accept", "slot": slot.pk}).status_code == 403
    request.refresh_from_db()
    assert request.status == "submitted"


def test_the_officers_queue_lists_open_requests_of_their_post(client, tokyo, officer_tokyo):
    open_request = submitted(tokyo, 1)
    done = submitted(tokyo, 2)
    in_person_booking.in_person_decline(request=done, officer=officer_tokyo, reason="not_needed")
    client.force_login(officer_tokyo)
    listing = client.get(reverse("admin:appointments_inpersonrequest_changelist")).content.decode()
    assert open_request.reference in listing and done.reference not in listing


# The daily reminder --------------------------------------------------------------------------------------


def test_overdue_requests_are_listed_to_the_posts_officers(tokyo, officer_tokyo):
    late = submitted(tokyo, 1)
    InPersonRequest.objects.filter(pk=late.pk).update(promised_by=local_today(tokyo) - dt.timedelta(days=2))
    submitted(tokyo, 2)
    assert in_person_overdue_reminders_send(posts=[tokyo]) >= 1
    reminders = OutboundEmail.objects.filter(template="in_person_overdue_reminder")
    assert tokyo.officer_mailbox in set(reminders.values_list("to", flat=True))
    assert all(late.reference in r.body_text for r in reminders)
    assert ExpediteRequest.objects.count() == 0

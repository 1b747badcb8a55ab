"""An applicant withdraws a request from its signed page: an approved request's place goes back to its slot at
once, both sides are told, and a withdrawn request can no longer be decided."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from appointments import booking
from appointments.in_person_booking import in_person_accept
from appointments.links import request_path
from appointments.models import ExpediteRequest, InPersonRequest, RefusalReason
from consular_portal.models import OutboundEmail
from tests.factories import ExpediteRequestFactory, SlotFactory, in_person_request


def csrf_client():
    return Client(enforce_csrf_checks=True)


def confirm_and_withdraw(client, page_path):
    """Open the page, follow "Withdraw this request", and press the confirmation's button (no JavaScript)."""
    page = client.get(page_path).content.decode()
    assert 'href="withdraw/"' in page and "Withdraw this request" in page
    confirmation = client.get(page_path + "withdraw/")
    assert confirmation.status_code == 200
    html = confirmation.content.decode()
    assert '<form method="post" id="withdraw-form">' in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return html, client.post(page_path + "withdraw/", {"csrfmiddlewaretoken": token})


@pytest.mark.django_db
def test_withdrawing_an_approved_request_frees_its_slot_for_another_applicant_and_emails_both_sides(
        shanghai_policy, officer_shanghai):
    post = shanghai_policy.post
    slot = SlotFactory(post=post, capacity=1, hour=9)
    first, second = (ExpediteRequestFactory(post=post, residence_region="CN-SH") for _ in range(2))
    booking.request_approve(request=first, officer=officer_shanghai, slot=slot)
    with pytest.raises(booking.SlotFull):
        booking.request_approve(request=second, officer=officer_shanghai, slot=slot)

    client = csrf_client()
    html, response = confirm_and_withdraw(client, request_path(first))
    assert "will be cancelled and offered to others" in html
    assert response.status_code == 302 and response["Location"].endswith("?withdrawn=1")
    first.refresh_from_db()
    slot.refresh_from_db()
    assert first.status == "withdrawn" and slot.booked == 0
    assert first.decided_by == officer_shanghai  # who approved it stays on record
    assert list(first.events.values_list("from_status", "to_status"))[-1] == ("approved", "withdrawn")
    page = client.get(response["Location"]).content.decode()
    assert "Your request is withdrawn." in page and "Withdrawn." in page and 'href="withdraw/"' not in page

    to_applicant = OutboundEmail.objects.get(template="appointment_withdrawn")
    to_officers = OutboundEmail.objects.get(template="appointment_withdrawn_officers")
    assert to_applicant.to == first.email and first.reference in to_applicant.subject
    assert to_officers.to == post.officer_mailbox and first.reference in to_officers.subject
    local = slot.starts_at.astimezone(post.tz)
    assert f"{local:%Y-%m-%d %H:%M}" in to_applicant.body_text and "Asia/Shanghai" in to_applicant.body_text
    assert "released" in to_officers.body_text and first.full_name not in to_applicant.body_text

    booking.request_approve(request=second, officer=officer_shanghai, slot=slot)  # the freed place
    slot.refresh_from_db()
    assert slot.booked == 1 and ExpediteRequest.objects.get(pk=second.pk).slot == slot


@pytest.mark.django_db
def test_the_officers_queue_shows_it_withdrawn_and_it_cannot_be_decided(tokyo_policy, officer_tokyo, client):
    post = tokyo_policy.post
    request = ExpediteRequestFactory(post=post)
    slot = SlotFactory(post=post, capacity=2)
    csrf_client_ = csrf_client()
    confirm_and_withdraw(csrf_client_, request_path(request))
    request.refresh_from_db()
    assert request.status == "withdrawn" and not request.is_open

    client.force_login(officer_tokyo)
    queue = client.get(reverse("admin:appointments_expediterequest_changelist") + "?queue=withdrawn")
    assert request.reference in queue.content.decode()
    open_queue = client.get(reverse("admin:appointments_expediterequest_changelist")).content.decode()
    assert request.reference not in open_queue
    change = client.get(reverse("admin:appointments_expediterequest_change", args=[request.pk])).content.decode()
    assert 'id="decision-form"' not in change

    decide = reverse("admin:appointments_expediterequest_decide", args=[request.pk])
    for forged in ({"action": "approve", "slot": slot.pk}, {"action": "refuse", "refusal_reason": "not_urgent"},
                   {"action": "cancel", "note": "x"}, {"action": "reschedule", "slot": slot.pk}):
        client.post(decide, forged)
    request.refresh_from_db()
    slot.refresh_from_db()
    assert request.status == "withdrawn" and slot.booked == 0 and request.slot is None
    with pytest.raises(booking.InvalidTransition):
        booking.request_approve(request=request, officer=officer_tokyo, slot=slot)
    with pytest.raises(booking.InvalidTransition):
        booking.appointment_withdraw(request=request)


@pytest.mark.django_db
def test_a_decided_request_offers_no_withdrawal_and_a_forged_one_changes_nothing(tokyo_policy, officer_tokyo):
    request = ExpediteRequestFactory(post=tokyo_policy.post)
    booking.request_refuse(request=request, officer=officer_tokyo, reason=RefusalReason.NOT_URGENT)
    client = Client()
    path = request_path(request)
    assert 'href="withdraw/"' not in client.get(path).content.decode()
    assert client.post(path + "withdraw/").status_code == 302
    request.refresh_from_db()
    assert request.status == "refused"
    assert not OutboundEmail.objects.filter(template__startswith="appointment_withdrawn").exists()


@pytest.mark.django_db
def test_a_wrong_or_forged_link_withdraws_nothing(tokyo_policy):
    request = ExpediteRequestFactory(post=tokyo_policy.post)
    client = Client()
    for token in ("x", request_path(request).split("/")[-2] + "x"):
        assert client.get(f"/en/appointments/requests/{token}/withdraw/").status_code == 404
        assert client.post(f"/en/appointments/requests/{token}/withdraw/").status_code == 404
        assert client.get(f"/en/appointments/in-person/{token}/withdraw/").status_code == 404
    # An expedite request's link does not open the in-person route.
    token = request_path(request).split("/")[-2]
    assert client.post(f"/en/appointments/in-person/{token}/withdraw/").status_code == 404
    request.refresh_from_db()
    assert request.status == "submitted"


def plain(message):
    return message.get_body(("plain",)).get_content()


@pytest.mark.django_db(transaction=True)
def test_an_in_person_appointment_withdrawn_is_released_and_both_sides_receive_the_email(
        celery_worker, mailbox, tokyo, officer_tokyo):
    slot = SlotFactory(post=tokyo, capacity=1, in_days=4, hour=10)
    request = in_person_request(tokyo, 1, language="ja")
    in_person_accept(request=request, officer=officer_tokyo, slot=slot)
    mailbox.wait_for(2, to=request.email)  # acknowledgement and decision

    client = csrf_client()
    link = next(line for line in plain(mailbox.wait_for(1, to=request.email)[0]).splitlines()
                if "/in-person/" in line).strip().removeprefix(settings.SITE_URL)
    _html, response = confirm_and_withdraw(client, link.replace("/ja/", "/en/", 1))
    assert response.status_code == 302
    request.refresh_from_db()
    slot.refresh_from_db()
    assert request.status == InPersonRequest.Status.WITHDRAWN and slot.booked == 0

    applicant = mailbox.wait_for(3, to=request.email)[2]
    [officers] = [m for m in mailbox.wait_for(2, to=tokyo.officer_mailbox) if "withdrawn" in m["Subject"]]
    assert request.reference in applicant["Subject"] and request.reference in officers["Subject"]
    assert "Applicant 1" not in plain(applicant)
    assert "10:00" in plain(officers)
    second = in_person_request(tokyo, 2)
    in_person_accept(request=second, officer=officer_tokyo, slot=slot)
    slot.refresh_from_db()
    assert slot.booked == 1

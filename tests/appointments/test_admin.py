"""The officers' back office: posts kept apart, the queue, decisions offering only legal transitions, slots."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from appointments.models import AppointmentSlot, ExpediteRequest
from consular_portal.models import OutboundEmail
from tests.factories import ExpediteRequestFactory, SlotFactory, officer

pytestmark = pytest.mark.django_db


def changelist():
    return reverse("admin:appointments_expediterequest_changelist")


def change(request):
    return reverse("admin:appointments_expediterequest_change", args=[request.pk])


def document(request):
    return reverse("admin:appointments_expediterequest_document", args=[request.pk, request.documents.get().pk])


def decide(request):
    return reverse("admin:appointments_expediterequest_decide", args=[request.pk])


@pytest.fixture
def shanghai_request(shanghai_policy):
    return ExpediteRequestFactory(post=shanghai_policy.post, number=7, full_name="Wang Fang", residence_region="CN-SH")


@pytest.fixture
def tokyo_request(tokyo_policy):
    return ExpediteRequestFactory(post=tokyo_policy.post, number=8, full_name="Suzuki Ichiro")


def test_a_tokyo_officer_cannot_see_or_open_a_shanghai_request(client, officer_tokyo, shanghai_request,
                                                               tokyo_request):
    client.force_login(officer_tokyo)
    listing = client.get(changelist())
    assert listing.status_code == 200
    body = listing.content.decode()
    assert tokyo_request.reference in body and shanghai_request.reference not in body
    assert shanghai_request.reference not in client.get(changelist(), {"queue": "all"}).content.decode()
    assert client.get(change(shanghai_request)).status_code == 404
    assert client.get(document(shanghai_request)).status_code == 404
    assert client.post(decide(shanghai_request), {"action": "refuse", "refusal_reason": "not_urgent"}).status_code \
        == 404
    shanghai_request.refresh_from_db()
    assert shanghai_request.status == "submitted"
    # Searching by the other post's reference or passport number finds nothing either.
    found = client.get(changelist(), {"q": shanghai_request.reference, "queue": "all"}).content.decode()
    assert change(shanghai_request) not in found and "0 results" in found


def test_the_shanghai_officer_opens_the_request_and_its_proof(client, officer_shanghai, shanghai_request):
    client.force_login(officer_shanghai)
    page = client.get(change(shanghai_request))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Wang Fang" in body and document(shanghai_request) in body  # proof one click away
    response = client.get(document(shanghai_request))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "sandbox" in response["Content-Security-Policy"] and "no-store" in response["Cache-Control"]


def test_passport_staff_cannot_see_requests_at_all(client, passport_staff, shanghai_request, tokyo_request):
    client.force_login(passport_staff)
    assert client.get(changelist()).status_code == 403
    assert client.get(change(tokyo_request)).status_code == 403
    assert client.get(document(tokyo_request)).status_code == 403
    assert client.post(decide(tokyo_request), {"action": "review"}).status_code == 403
    assert "Expedite requests" not in client.get(reverse("admin:index")).content.decode()


def test_the_public_cannot_open_proof(client, shanghai_request):
    response = client.get(document(shanghai_request))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_queue_lists_open_requests_most_urgent_first_with_promised_date_and_overdue_flag(
        client, officer_tokyo, tokyo_policy):
    post = tokyo_policy.post
    later = ExpediteRequestFactory(post=post, number=1, travel_in_days=12)
    sooner = ExpediteRequestFactory(post=post, number=2, travel_in_days=3)
    overdue = ExpediteRequestFactory(post=post, number=3, travel_in_days=12)
    ExpediteRequest.objects.filter(pk=overdue.pk).update(promised_by=dt.date(2020, 1, 2))
    decided = ExpediteRequestFactory(post=post, number=4, travel_in_days=1)
    ExpediteRequest.objects.filter(pk=decided.pk).update(status="refused")
    client.force_login(officer_tokyo)
    body = client.get(changelist()).content.decode()
    assert decided.reference not in body
    assert body.index(sooner.reference) < body.index(later.reference) < body.index(overdue.reference)
    assert "2020-01-02" in body or "Jan. 2, 2020" in body
    assert body.count('alt="True"') >= 1  # the overdue flag
    travel = client.get(changelist(), {"travel": "7"}).content.decode()
    assert sooner.reference in travel and later.reference not in travel
    refused = client.get(changelist(), {"queue": "refused"}).content.decode()
    assert decided.reference in refused and sooner.reference not in refused
    by_passport = client.get(changelist(), {"q": later.passport_number}).content.decode()
    assert later.reference in by_passport and sooner.reference not in by_passport
    by_name = client.get(changelist(), {"q": "Applicant 2"}).content.decode()
    assert sooner.reference in by_name and later.reference not in by_name


def test_the_decision_form_offers_only_legal_transitions(client, officer_tokyo, tokyo_request, tokyo_policy):
    slot = SlotFactory(post=tokyo_policy.post, capacity=2)
    client.force_login(officer_tokyo)
    body = client.get(change(tokyo_request)).content.decode()
    for action in ("review", "approve", "refuse", "withdraw"):
        assert f'value="{action}"' in body
    assert f'<option value="{slot.pk}" selected>' in body  # the earliest suitable slot is suggested
    client.post(decide(tokyo_request), {"action": "review"})
    body = client.get(change(tokyo_request)).content.decode()
    assert 'value="review"' not in body and 'value="approve"' in body
    response = client.post(decide(tokyo_request), {"action": "approve", "slot": slot.pk})
    assert response.status_code == 302
    tokyo_request.refresh_from_db()
    assert tokyo_request.status == "approved" and tokyo_request.decided_by == officer_tokyo
    body = client.get(change(tokyo_request)).content.decode()
    # An approved appointment can still be moved, cancelled or withdrawn, but not decided again.
    for action in ("review", "approve", "refuse"):
        assert f'value="{action}"' not in body
    for action in ("reschedule", "cancel", "withdraw"):
        assert f'value="{action}"' in body
    # A forged POST of an illegal transition changes nothing.
    assert client.post(decide(tokyo_request), {"action": "refuse", "refusal_reason": "not_urgent"}).status_code == 200
    tokyo_request.refresh_from_db()
    assert tokyo_request.status == "approved"
    assert OutboundEmail.objects.filter(template="expedite_decision").count() == 1


def test_refusing_in_the_admin_needs_a_reason(client, officer_tokyo, tokyo_request):
    client.force_login(officer_tokyo)
    response = client.post(decide(tokyo_request), {"action": "refuse", "refusal_reason": ""})
    assert response.status_code == 200 and "A refusal needs a reason." in response.content.decode()
    response = client.post(decide(tokyo_request), {"action": "refuse", "refusal_reason": "other", "note": ""})
    assert "Explain the reason to the applicant." in response.content.decode()
    tokyo_request.refresh_from_db()
    assert tokyo_request.status == "submitted"
    client.post(decide(tokyo_request), {"action": "refuse", "refusal_reason": "other", "note": "Too late."})
    tokyo_request.refresh_from_db()
    assert tokyo_request.status == "refused" and tokyo_request.decision_note == "Too late."


def test_approving_into_a_full_slot_says_so(client, officer_tokyo, tokyo_policy):
    post = tokyo_policy.post
    first, second = ExpediteRequestFactory(post=post, number=1), ExpediteRequestFactory(post=post, number=2)
    slot = SlotFactory(post=post, capacity=1)
    client.force_login(officer_tokyo)
    assert client.post(decide(first), {"action": "approve", "slot": slot.pk}).status_code == 302
    response = client.post(decide(second), {"action": "approve", "slot": slot.pk})
    assert response.status_code == 200
    assert "This slot is full now: choose another." in response.content.decode()
    second.refresh_from_db()
    assert second.status == "submitted"


def suggested_slot(page):
    """The slot the decision form offers as selected, as an officer sees it."""
    return re.search(r'<option value="(\d+)" selected>', page.content.decode()).group(1)


def test_two_officers_offered_the_same_last_place_the_second_is_told_the_slot_is_full(
        client, officer_tokyo, tokyo_policy):
    post = tokyo_policy.post
    colleague = officer(post, username="officer-tokyo-2")
    first, second = ExpediteRequestFactory(post=post, number=1), ExpediteRequestFactory(post=post, number=2)
    last_place = SlotFactory(post=post, capacity=2)
    last_place.booked = 1
    last_place.save()
    later = SlotFactory(post=post, capacity=1, in_days=4)
    other = Client()
    client.force_login(officer_tokyo)
    other.force_login(colleague)
    # Both open their request: the same last free place is offered to each.
    assert suggested_slot(client.get(change(first))) == str(last_place.pk)
    assert suggested_slot(other.get(change(second))) == str(last_place.pk)
    emails_before = OutboundEmail.objects.count()

    assert client.post(decide(first), {"action": "approve", "slot": last_place.pk}).status_code == 302
    response = other.post(decide(second), {"action": "approve", "slot": last_place.pk, "note": "Kept."})

    assert response.status_code == 200
    body = response.content.decode()
    assert "This slot is full now: choose another." in body and 'id="decision-form"' in body
    # The form comes back offering what is still free, with the note typed kept.
    assert f'<option value="{later.pk}"' in body and f'<option value="{last_place.pk}"' not in body
    assert "Kept.</textarea>" in body
    second.refresh_from_db()
    last_place.refresh_from_db()
    assert (second.status, second.slot, second.decided_by) == ("submitted", None, None)
    assert list(second.events.values_list("to_status", flat=True)) == ["submitted"]
    assert last_place.booked == last_place.capacity == 2
    assert OutboundEmail.objects.count() == emails_before + 1  # the first decision's email only
    # The second officer picks the other slot.
    assert other.post(decide(second), {"action": "approve", "slot": later.pk}).status_code == 302
    second.refresh_from_db()
    assert second.status == "approved" and second.slot == later


def test_a_slot_that_has_started_is_refused_with_a_clear_message(client, officer_tokyo, tokyo_policy):
    post = tokyo_policy.post
    request = ExpediteRequestFactory(post=post, number=1)
    started = SlotFactory(post=post, capacity=3, in_days=-1)
    client.force_login(officer_tokyo)
    response = client.post(decide(request), {"action": "approve", "slot": started.pk})
    assert response.status_code == 200 and "This slot has already started: choose another." in response.content.decode()
    request.refresh_from_db()
    assert request.status == "submitted"


def test_earlier_requests_and_expedites_of_the_applicant_are_shown(client, officer_tokyo, tokyo_policy):
    post = tokyo_policy.post
    earlier = ExpediteRequestFactory(post=post, number=5, appointment_number="OLD")
    ExpediteRequest.objects.filter(pk=earlier.pk).update(status="approved")
    current = ExpediteRequestFactory(post=post, number=5, appointment_number="NEW")
    assert current.previous_expedite_flag
    client.force_login(officer_tokyo)
    body = client.get(change(current)).content.decode()
    assert earlier.reference in body and 'id="previous-expedite-flag"' in body
    assert "Earlier expedited appointments approved: 1" in body


def test_earlier_expedites_of_the_same_organisation_or_organiser_are_shown(client, officer_tokyo, tokyo_policy,
                                                                          shanghai_policy):
    tokyo, shanghai = tokyo_policy.post, shanghai_policy.post
    group = {"is_group": True, "organiser_name": "Tanaka Ken"}
    same_org = ExpediteRequestFactory(post=tokyo, number=1, organisation="Example Trading Co.",
                            organiser_email="tanaka@example.com", **group)
    same_organiser = ExpediteRequestFactory(post=tokyo, number=2, organisation="Another Name KK",
                                  organiser_email="Tanaka@Example.com", **group)
    refused = ExpediteRequestFactory(post=tokyo, number=3, organisation="Example Trading Co.", **group)
    unrelated = ExpediteRequestFactory(post=tokyo, number=4, organisation="Unrelated Ltd.", **group)
    elsewhere = ExpediteRequestFactory(post=shanghai, number=5, organisation="EXAMPLE TRADING CO.",
                                       residence_region="CN-SH", **group)
    ExpediteRequest.objects.filter(pk__in=[same_org.pk, same_organiser.pk, unrelated.pk, elsewhere.pk]).update(
        status="approved", decided_at=dt.datetime(2025, 3, 4, tzinfo=dt.UTC))
    ExpediteRequest.objects.filter(pk=refused.pk).update(status="refused")
    # A new request of another member of the same organisation, sent by another organiser's address.
    current = ExpediteRequestFactory(post=tokyo, number=6, organisation=" example trading co. ",
                                     organiser_email="sato@example.com", **group)
    assert current.previous_expedite_flag  # the officer is warned, as the seed says
    client.force_login(officer_tokyo)

    body = client.get(change(current)).content.decode()
    section = body.split('id="earlier-expedites"', 1)[1].split("</div>", 1)[0]
    assert same_org.reference in section and "same organisation" in section
    assert refused.reference not in section and unrelated.reference not in section
    assert same_organiser.reference not in section  # another organisation and another organiser
    assert elsewhere.reference not in section and "Also at posts you cannot see: 1." in section
    assert "Earlier expedited appointments approved: 2" in section
    assert 'id="previous-expedite-flag"' in body

    # The same organiser (by email, whatever the case) counts too.
    by_organiser = ExpediteRequestFactory(post=tokyo, number=7, organisation="", organiser_email="TANAKA@example.com",
                                          **group)
    assert by_organiser.previous_expedite_flag
    section = client.get(change(by_organiser)).content.decode().split('id="earlier-expedites"', 1)[1]
    section = section.split("</div>", 1)[0]
    assert same_org.reference in section and same_organiser.reference in section
    assert "same group organiser" in section and "Earlier expedited appointments approved: 2" in section
    # A request with no earlier expedite says so.
    section = client.get(change(unrelated)).content.decode().split('id="earlier-expedites"', 1)[1]
    assert "None" in section.split("</div>", 1)[0]


def test_officers_create_a_days_slots_in_bulk_and_see_bookings(client, officer_tokyo, tokyo, shanghai):
    client.force_login(officer_tokyo)
    url = reverse("admin:appointments_appointmentslot_bulk")
    form = client.get(url).content.decode()
    assert "U.S. Embassy Tokyo" in form and "Shanghai" not in form
    response = client.post(url, {"post": tokyo.pk, "day": "2030-06-03", "first": "09:00", "last": "10:30",
                                 "every_minutes": "30", "capacity": "5"})
    assert response.status_code == 302
    slots = list(AppointmentSlot.objects.filter(post=tokyo).order_by("starts_at"))
    assert [s.local_start().strftime("%H:%M") for s in slots] == ["09:00", "09:30", "10:00", "10:30"]
    assert all(s.capacity == 5 for s in slots)
    refused = client.post(url, {"post": shanghai.pk, "day": "2030-06-03", "first": "09:00", "last": "10:00",
                                "every_minutes": "30", "capacity": "5"})
    assert refused.status_code == 200 and not AppointmentSlot.objects.filter(post=shanghai).exists()
    listing = client.get(reverse("admin:appointments_appointmentslot_changelist")).content.decode()
    assert "2030-06-03 Mon 09:00" in listing


def test_officers_edit_only_their_posts_policy(client, officer_tokyo, tokyo_policy, shanghai_policy):
    client.force_login(officer_tokyo)
    assert client.get(reverse("admin:appointments_expeditepolicy_change", args=[tokyo_policy.pk])).status_code == 200
    assert client.get(reverse("admin:appointments_expeditepolicy_change",
                              args=[shanghai_policy.pk])).status_code == 404

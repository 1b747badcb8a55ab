"""Decisions: legal transitions only, who and when recorded, slots never booked past capacity."""

import datetime as dt
import threading

import pytest
from django.db import connection

from appointments import booking
from appointments.models import AppointmentSlot, ExpediteRequest, InvalidTransition, RefusalReason, RequestEvent
from consular_portal.models import OutboundEmail
from tests.factories import ExpediteRequestFactory, SlotFactory


@pytest.mark.django_db
def test_approving_books_the_slot_records_who_and_when_and_emails_the_applicant(tokyo_policy, officer_tokyo):
    request = ExpediteRequestFactory(post=tokyo_policy.post, language="ja")
    slot = SlotFactory(post=tokyo_policy.post, capacity=2)
    booking.request_approve(request=request, officer=officer_tokyo, slot=slot)
    request.refresh_from_db()
    slot.refresh_from_db()
    assert request.status == "approved" and request.slot == slot and slot.booked == 1
    assert request.decided_by == officer_tokyo and request.decided_at is not None
    event = RequestEvent.objects.get(request=request, to_status="approved")
    assert event.actor == officer_tokyo and event.from_status == "submitted"
    email = OutboundEmail.objects.get(template="expedite_decision")
    assert email.to == request.email and email.language == "ja"
    local = slot.starts_at.astimezone(slot.post.tz)
    assert "承認" in email.subject and f"{local:%Y-%m-%d %H:%M}" in email.body_text


@pytest.mark.django_db
def test_refusing_needs_a_reason_and_tells_the_applicant_in_their_language(shanghai_policy, officer_shanghai):
    request = ExpediteRequestFactory(post=shanghai_policy.post, language="zh-hans", residence_region="CN-SH")
    with pytest.raises(InvalidTransition):
        booking.request_refuse(request=request, officer=officer_shanghai, reason="", note="")
    with pytest.raises(InvalidTransition):
        booking.request_refuse(request=request, officer=officer_shanghai, reason=RefusalReason.OTHER, note=" ")
    booking.request_refuse(request=request, officer=officer_shanghai, reason=RefusalReason.RECENT_REFUSAL,
                           note="Bring new information to your interview.")
    request.refresh_from_db()
    assert request.status == "refused" and request.refusal_reason == "recent_refusal"
    email = OutboundEmail.objects.get(template="expedite_decision")
    assert email.language == "zh-hans" and "未获批准" in email.subject
    assert "Bring new information to your interview." in email.body_text


@pytest.mark.django_db
def test_only_legal_transitions(tokyo_policy, officer_tokyo):
    request = ExpediteRequestFactory(post=tokyo_policy.post)
    assert set(request.allowed_transitions()) == {"under_review", "approved", "refused", "withdrawn"}
    booking.request_start_review(request=request, officer=officer_tokyo)
    request.refresh_from_db()
    assert "under_review" not in request.allowed_transitions()
    with pytest.raises(InvalidTransition):
        booking.request_start_review(request=request, officer=officer_tokyo)
    booking.request_refuse(request=request, officer=officer_tokyo, reason=RefusalReason.NOT_URGENT)
    slot = SlotFactory(post=tokyo_policy.post)
    with pytest.raises(InvalidTransition):
        booking.request_approve(request=request, officer=officer_tokyo, slot=slot)
    with pytest.raises(InvalidTransition):
        booking.request_withdraw(request=request)
    slot.refresh_from_db()
    assert slot.booked == 0
    assert list(RequestEvent.objects.filter(request=request).values_list("to_status", flat=True)) == [
        "submitted", "under_review", "refused"]


@pytest.mark.django_db
def test_a_full_slot_a_past_slot_and_another_posts_slot_are_refused(tokyo_policy, shanghai_policy, officer_tokyo):
    first, second = ExpediteRequestFactory.create_batch(2, post=tokyo_policy.post)
    slot = SlotFactory(post=tokyo_policy.post, capacity=1)
    booking.request_approve(request=first, officer=officer_tokyo, slot=slot)
    with pytest.raises(booking.SlotFull):
        booking.request_approve(request=second, officer=officer_tokyo, slot=slot)
    with pytest.raises(booking.SlotFull):
        past = SlotFactory(post=tokyo_policy.post, in_days=-1)
        booking.request_approve(request=second, officer=officer_tokyo, slot=past)
    with pytest.raises(booking.SlotFull):
        booking.request_approve(request=second, officer=officer_tokyo, slot=SlotFactory(post=shanghai_policy.post))
    second.refresh_from_db()
    assert second.status == "submitted" and second.slot is None


@pytest.mark.django_db
def test_the_earliest_slot_with_space_before_travel_is_suggested(tokyo_policy):
    post = tokyo_policy.post
    request = ExpediteRequestFactory(post=post, travel_in_days=6)
    full = SlotFactory(post=post, in_days=1, capacity=1)
    AppointmentSlot.objects.filter(pk=full.pk).update(booked=1)
    SlotFactory(post=post, in_days=-1)
    expected = SlotFactory(post=post, in_days=2, hour=10)
    SlotFactory(post=post, in_days=2, hour=11)
    SlotFactory(post=post, in_days=9)
    assert booking.slot_suggest(request=request) == expected


@pytest.mark.django_db
def test_slots_for_a_day_are_created_in_bulk_once(tokyo):
    day = dt.date(2030, 6, 3)
    created = booking.slots_create_day(post=tokyo, day=day, first=dt.time(9), last=dt.time(11), every_minutes=30,
                                       capacity=4)
    assert [s.starts_at.astimezone(tokyo.tz).strftime("%H:%M") for s in created] == [
        "09:00", "09:30", "10:00", "10:30", "11:00"]
    again = booking.slots_create_day(post=tokyo, day=day, first=dt.time(9), last=dt.time(12), every_minutes=30,
                                     capacity=4)
    assert len(again) == 2 and AppointmentSlot.objects.filter(post=tokyo).count() == 7


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_approvals_into_a_slot_of_five_book_exactly_five(tokyo_policy, officer_tokyo):
    post = tokyo_policy.post
    requests = [ExpediteRequestFactory(post=post, number=n) for n in range(20)]
    slot = SlotFactory(post=post, capacity=5)
    start = threading.Barrier(20)
    outcomes = {}

    def approve(request):
        try:
            start.wait()
            booking.request_approve(request=request, officer=officer_tokyo, slot=slot)
            outcomes[request.pk] = "booked"
        except booking.SlotFull:
            outcomes[request.pk] = "slot full"
        except Exception as exc:  # noqa: BLE001 - anything else is a failure of the test
            outcomes[request.pk] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(r,)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes.values()) == ["booked"] * 5 + ["slot full"] * 15
    slot.refresh_from_db()
    assert slot.booked == 5
    assert ExpediteRequest.objects.filter(status="approved", slot=slot).count() == 5
    assert ExpediteRequest.objects.filter(status="submitted", slot__isnull=True).count() == 15
    assert OutboundEmail.objects.filter(template="expedite_decision").count() == 5


@pytest.mark.django_db(transaction=True)
def test_two_officers_deciding_the_same_request_at_once_decide_it_once(tokyo_policy, officer_tokyo):
    post = tokyo_policy.post
    request = ExpediteRequestFactory(post=post)
    slots = [SlotFactory(post=post, capacity=3, hour=9), SlotFactory(post=post, capacity=3, hour=10)]
    start = threading.Barrier(2)
    outcomes = []

    def approve(slot):
        try:
            start.wait()
            booking.request_approve(request=request, officer=officer_tokyo, slot=slot)
            outcomes.append("approved")
        except InvalidTransition:
            outcomes.append("already decided")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(s,)) for s in slots]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["already decided", "approved"]
    assert sum(AppointmentSlot.objects.values_list("booked", flat=True)) == 1

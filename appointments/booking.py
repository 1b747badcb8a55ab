"""Officers' decisions and the slots they book.

Every decision is a ``consular_portal.review.transitions.transition``: it locks the request so two officers
cannot decide it twice, and the decision, its event and the applicant's email are one transaction. An
approval claims a place in the slot with one conditional UPDATE (``booked < capacity``): PostgreSQL re-checks
the condition after any concurrent update, so a slot is never booked past its capacity.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext

from consular_portal.review.models import InvalidTransition
from consular_portal.review.transitions import lock, record_event, transition

from . import emails
from .models import AppointmentSlot, ExpediteRequest

Status = ExpediteRequest.Status


class SlotFull(Exception):
    """The slot has no space left (or is in the past): choose another."""


def request_start_review(*, request, officer):
    return transition(obj=request, to=Status.UNDER_REVIEW, actor=officer)


def slot_claim(*, slot, post_id):
    """Take one place in ``slot`` (a future slot of the post ``post_id``) with one conditional UPDATE, inside
    the caller's transaction; the slot as it is now. Raises SlotFull. Every service that books a slot (expedite
    approvals, in-person appointments) books it here, so together they never pass its capacity."""
    now = timezone.now()
    claimed = AppointmentSlot.objects.filter(
        pk=slot.pk, post_id=post_id, starts_at__gt=now, booked__lt=F("capacity")
    ).update(booked=F("booked") + 1, updated_at=now)
    if not claimed:
        raise SlotFull(str(slot.pk))
    return AppointmentSlot.objects.select_related("post").get(pk=slot.pk)


def request_approve(*, request, officer, slot):
    """Book ``slot`` for the request and tell the applicant. Raises SlotFull or InvalidTransition."""

    def book(locked):
        locked.slot = slot_claim(slot=slot, post_id=locked.post_id)

    return transition(obj=request, to=Status.APPROVED, actor=officer, apply=book)


def request_refuse(*, request, officer, reason, note=""):
    return transition(obj=request, to=Status.REFUSED, actor=officer, note=note,
                      apply=lambda locked: locked.keep_refusal_reason(reason=reason, note=note))


def slot_release(*, slot_id):
    """Give back one place of the slot, inside the caller's transaction (never below zero)."""
    now = timezone.now()
    AppointmentSlot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1, updated_at=now)


def _release_appointment(locked):
    """The place of a request that holds an appointment goes back to its slot (the request keeps the slot it
    had, for the record)."""
    if locked.status == locked.APPOINTMENT_STATUS and locked.slot_id is not None:
        slot_release(slot_id=locked.slot_id)


def appointment_withdraw(*, request, actor=None):
    """The applicant withdraws an open request or gives up its appointment (an officer may record it for
    them): the slot's place is released in the same transaction, and the applicant and the post's officers are
    emailed. Works for expedite and in-person requests. Raises InvalidTransition once decided otherwise."""
    return transition(obj=request, to="withdrawn", actor=actor, apply=_release_appointment)


def appointment_cancel(*, request, officer, note=""):
    """The post cancels an approved appointment: its place is released and the applicant emailed."""

    def cancel(locked):
        if locked.status != locked.APPOINTMENT_STATUS:
            raise InvalidTransition(f"{locked.reference}: no appointment to cancel")
        _release_appointment(locked)
        locked.decision_note = note.strip()

    return transition(obj=request, to="cancelled", actor=officer, note=note, apply=cancel)


def appointment_reschedule(*, request, officer, slot, note=""):
    """Move an approved appointment to ``slot``: the new place is claimed (SlotFull if there is none) and the old
    one released in one transaction, the change recorded and the applicant emailed the new time and calendar
    file. Raises InvalidTransition if the request holds no appointment now, or already holds this slot."""
    from . import appointment_emails

    with transaction.atomic():
        locked = lock(request)
        if locked.status != locked.APPOINTMENT_STATUS or locked.slot_id is None or locked.slot_id == slot.pk:
            raise InvalidTransition(f"{locked.reference}: no appointment to move to this slot")
        old = locked.slot
        locked.slot = slot_claim(slot=slot, post_id=locked.post_id)
        slot_release(slot_id=old.pk)
        if note.strip():
            locked.decision_note = note.strip()
        locked.save(update_fields=["slot", "decision_note", "updated_at"])
        with translation.override(settings.LANGUAGE_CODE):
            moved = gettext("Appointment moved from %(old)s to %(new)s.") % {
                "old": f"{old.local_start():%Y-%m-%d %H:%M}", "new": f"{locked.slot.local_start():%Y-%m-%d %H:%M}"}
        record_event(locked, locked.status, officer, f"{moved} {note.strip()}".strip())
        appointment_emails.send_rescheduled(locked, previous_slot=old)
    return locked


request_withdraw = appointment_withdraw  # the expedite service's name for it


def request_link_renew(*, request, actor):
    """Send the applicant a new link to the request; every earlier link stops opening it."""
    with transaction.atomic():
        locked = lock(request)
        locked.link_renew()
        locked.save(update_fields=["link_version", "updated_at"])
        with translation.override(settings.LANGUAGE_CODE):
            record_event(locked, locked.status, actor, gettext("New link sent to the applicant; earlier links closed."))
        if locked.status in (Status.APPROVED, Status.REFUSED):
            emails.send_decision(locked)  # the decision again, with the new link
        else:
            emails.send_acknowledgement(locked)
    return locked


def slots_available(*, post, now=None):
    now = now or timezone.now()
    return AppointmentSlot.objects.filter(post=post, starts_at__gt=now, booked__lt=F("capacity")).order_by(
        "starts_at"
    )


def slot_suggest(*, request, now=None):
    """The earliest slot with space before the travel date, else the earliest with space at all."""
    available = slots_available(post=request.post, now=now)
    before_travel = available.filter(starts_at__date__lt=request.travel_date).first()
    return before_travel or available.first()


def slots_create_day(*, post, day, first, last, every_minutes, capacity):
    """Slots from ``first`` to ``last`` (local times, inclusive) every ``every_minutes`` on ``day``; slots
    that already exist are left as they are. Returns the new slots."""
    start = dt.datetime.combine(day, first, tzinfo=post.tz)
    end = dt.datetime.combine(day, last, tzinfo=post.tz)
    existing = set(AppointmentSlot.objects.filter(post=post, starts_at__gte=start, starts_at__lte=end)
                   .values_list("starts_at", flat=True))
    new, at = [], start
    while at <= end:
        if at not in existing:
            new.append(AppointmentSlot(post=post, starts_at=at, capacity=capacity))
        at += dt.timedelta(minutes=every_minutes)
    return AppointmentSlot.objects.bulk_create(new)

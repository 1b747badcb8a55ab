"""In-person appointment requests: submitted by the public, accepted with a slot or declined by an officer.

Every decision is a ``consular_portal.review.transitions.transition`` (the request locked, the decision, its
event and the applicant's email in one transaction). Accepting claims a place in the slot with
``booking.slot_claim``, the conditional UPDATE expedite approvals use, so the two services together never book
a slot past its capacity, however many officers accept at once.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from consular_portal.business_calendar import add_business_days
from consular_portal.references import save_with_new_reference
from consular_portal.review.transitions import transition
from consular_portal.text import normalise_newlines

from . import in_person_emails
from .booking import SlotFull, slot_claim, slots_available
from .models import InPersonRequest, InPersonRequestEvent
from .models.in_person import ANSWER_DAYS

REFERENCE_PREFIX = "APT"
Status = InPersonRequest.Status

__all__ = ["SlotFull", "in_person_accept", "in_person_decline", "in_person_submit", "promised_answer_date",
           "slot_suggest"]


def promised_answer_date(*, post, urgency, submitted_at):
    """``ANSWER_DAYS[urgency]`` business days of the post after the day it was sent (the post's date)."""
    return add_business_days(post, post.local_today(submitted_at), ANSWER_DAYS[urgency])


def in_person_submit(*, post, fields, language):
    """Store a request from cleaned form data with its first event, the acknowledgement and the officers'
    notification; all or nothing."""
    now = timezone.now()
    with transaction.atomic():
        request = InPersonRequest(
            post=post, language=language,
            promised_by=promised_answer_date(post=post, urgency=fields["urgency"], submitted_at=now),
            **{**fields, "details": normalise_newlines(fields["details"]).strip(),
               "full_name": fields["full_name"].strip()},
        )
        save_with_new_reference(request, REFERENCE_PREFIX)
        InPersonRequestEvent.objects.create(request=request, to_status=request.status)
        in_person_emails.send_acknowledgement(request)
        in_person_emails.send_officer_notification(request)
    return request


def in_person_accept(*, request, officer, slot, note=""):
    """Book ``slot`` for the request and tell the applicant. Raises SlotFull or InvalidTransition."""

    def book(locked):
        locked.slot = slot_claim(slot=slot, post_id=locked.post_id)
        locked.decision_note = note.strip()

    return transition(obj=request, to=Status.BOOKED, actor=officer, note=note, apply=book)


def in_person_decline(*, request, officer, reason, note=""):
    """Decline with one of ``InPersonDeclineReason`` (OTHER needs a note) and tell the applicant."""
    return transition(obj=request, to=Status.DECLINED, actor=officer, note=note,
                      apply=lambda locked: locked.keep_decline_reason(reason=reason, note=note))


def slot_suggest(*, request, now=None):
    """The earliest slot with space on the days the applicant can come (the post's dates), else the earliest
    with space at all."""
    available = slots_available(post=request.post, now=now)
    tz = request.post.tz
    start = dt.datetime.combine(request.preferred_from, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(request.preferred_until + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    return available.filter(starts_at__gte=start, starts_at__lt=end).first() or available.first()

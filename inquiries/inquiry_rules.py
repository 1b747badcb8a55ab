"""Who may ask about a pending visa application, and from when; sending an inquiry and answering it.

``first_inquiry_date`` is the one pure function of the waiting time: from a route of the post's policy (an amount
of business days, calendar days or months) and the date it counts from, the first date the applicant may
inquire. Business days are the post's (``consular_portal.business_calendar``: weekends, US and host-country
holidays). "10 business days after the interview" is the 10th business day after the interview day; "1 month
after 31 January" is the last day of February.

An inquiry sent before that date is stored as ``ineligible``: no email, never in the officers' queue (the
notice's rule: such inquiries get no answer). An eligible one is acknowledged, the post's officers are told,
and a new inquiry on the same case is refused until ``follow_up_business_days`` after the last one.
"""

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from consular_portal.business_calendar import add_business_days
from consular_portal.references import save_with_new_reference
from consular_portal.review.transitions import transition
from consular_portal.text import normalise_newlines

from . import inquiry_emails
from .models import Inquiry, InquiryEvent, InquiryPolicy, WaitUnit

REFERENCE_PREFIX = "INQ"
Status = Inquiry.Status

__all__ = ["Decision", "FollowUpTooSoon", "add_months", "evaluate", "first_inquiry_date", "follow_up_date",
           "follow_up_refused_until", "inquiry_answer", "inquiry_submit", "policy_for"]


class FollowUpTooSoon(Exception):
    """A new inquiry on a case asked about less than the follow-up wait ago."""

    def __init__(self, until):
        super().__init__(f"follow up from {until}")
        self.until = until


def add_months(day, months):
    """The same day ``months`` later, or the last day of that month when it is shorter (31 January + 1 month is
    28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def first_inquiry_date(*, route, start, post):
    """The first date an applicant whose application took ``route`` (an ``InquiryRoute``: ``amount`` ``unit``)
    on ``start`` may inquire, by ``post``'s calendar."""
    if route.unit == WaitUnit.BUSINESS_DAYS:
        return add_business_days(post, start, route.amount)
    if route.unit == WaitUnit.MONTHS:
        return add_months(start, route.amount)
    return start + dt.timedelta(days=route.amount)


def follow_up_date(*, policy, last_sent_on, post):
    """The first date a new inquiry on a case last asked about on ``last_sent_on`` is accepted."""
    return add_business_days(post, last_sent_on, policy.follow_up_business_days)


@dataclass(frozen=True)
class Decision:
    eligible: bool
    first_date: dt.date
    route: object  # the InquiryRoute evaluated


def evaluate(policy, *, route_code, start, today):
    """Whether an applicant of ``route_code`` counted from ``start`` may inquire on ``today`` (None: the post
    does not offer the route)."""
    route = policy.route(route_code)
    if route is None:
        return None
    first = first_inquiry_date(route=route, start=start, post=policy.post)
    return Decision(eligible=today >= first, first_date=first, route=route)


def policy_for(post):
    """The post's policy with its routes (one query), or None when it has none or is not accepting."""
    policy = (InquiryPolicy.objects.select_related("post").prefetch_related("routes")
              .filter(post=post, accepting=True).first())
    return policy


def follow_up_refused_until(*, policy, case_number, today):
    """The date a new inquiry on ``case_number`` at the policy's post is accepted from, if that is after
    ``today``; None when one may be sent now."""
    last = (Inquiry.objects.filter(post=policy.post, case_number=case_number)
            .exclude(status=Status.INELIGIBLE).order_by("-created_at").values_list("created_at", flat=True).first())
    if last is None:
        return None
    until = follow_up_date(policy=policy, last_sent_on=policy.post.local_today(last), post=policy.post)
    return until if until > today else None


def inquiry_submit(*, policy, fields, language):
    """Store an inquiry from cleaned form data. Ineligible by the policy: stored as such, nothing sent.
    Eligible: the acknowledgement and the officers' notification are queued with it; raises FollowUpTooSoon
    when the case was asked about within the follow-up wait. All or nothing."""
    post = policy.post
    now = timezone.now()
    today = post.local_today(now)
    decision = evaluate(policy, route_code=fields["route"], start=fields["route_start"], today=today)
    if decision is None:
        raise ValueError(f"{post.slug} offers no route {fields['route']}")
    with transaction.atomic():
        inquiry = Inquiry(
            post=post, language=language, eligible_from=decision.first_date,
            status=Status.OPEN if decision.eligible else Status.INELIGIBLE,
            promised_by=add_business_days(post, today, policy.answer_business_days) if decision.eligible else today,
            **{**fields, "question": normalise_newlines(fields["question"]).strip(),
               "full_name": fields["full_name"].strip()},
        )
        if decision.eligible:
            # One follow-up check per case at a time: the lock is the post's policy row.
            InquiryPolicy.objects.select_for_update().filter(pk=policy.pk).first()
            until = follow_up_refused_until(policy=policy, case_number=inquiry.case_number, today=today)
            if until is not None:
                raise FollowUpTooSoon(until)
        save_with_new_reference(inquiry, REFERENCE_PREFIX)
        InquiryEvent.objects.create(inquiry=inquiry, to_status=inquiry.status)
        if decision.eligible:
            inquiry_emails.send_acknowledgement(inquiry)
            inquiry_emails.send_officer_notification(inquiry)
    return inquiry


def inquiry_answer(*, inquiry, officer, text, standard_reply=None):
    """Answer an open inquiry with ``text`` (or, when it is empty, ``standard_reply`` in the applicant's
    language), email it to the applicant and close the inquiry. Raises InvalidTransition if it is not open,
    ValueError if there is nothing to send."""

    def keep(locked):
        answer = normalise_newlines(text or "").strip()
        if not answer and standard_reply is not None:
            answer = standard_reply.text_in(locked.language).strip()
        if not answer:
            raise ValueError("an answer needs a text")
        locked.answer, locked.standard_reply = answer, standard_reply

    return transition(obj=inquiry, to=Status.ANSWERED, actor=officer, note="", apply=keep)


def inquiry_withdraw(inquiry):
    """The applicant takes back an open inquiry through its link: it leaves the officers' queue and both sides
    are emailed. Raises InvalidTransition once answered or already withdrawn."""
    return transition(obj=inquiry, to=inquiry.Status.WITHDRAWN, actor=None)

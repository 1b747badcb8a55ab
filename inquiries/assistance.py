"""Live-assistance requests: sent by the public, answered by an officer of the post.

``assistance_submit`` stores a request with the date by which an officer will contact the applicant: the
post's open requests are counted under a lock of the post's row, so two requests sent at once get two
places in the queue, and ``assistance_estimate.contact_estimate`` turns the place into a business day of the
post. ``assistance_answer`` is a ``consular_portal.review.transitions.transition``: the answer kept, the
request done, its event and the applicant's email in one transaction.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from consular_portal.models import Post
from consular_portal.references import save_with_new_reference
from consular_portal.review.models import InvalidTransition
from consular_portal.review.transitions import transition
from consular_portal.text import normalise_newlines

from . import assistance_emails
from .assistance_estimate import contact_estimate
from .models import LiveAssistanceRequest, LiveAssistanceRequestEvent

REFERENCE_PREFIX = "LA"
Status = LiveAssistanceRequest.Status

__all__ = ["assistance_answer", "assistance_submit", "daily_capacity", "queue_ahead", "takes_live_assistance"]


def takes_live_assistance(post):
    """A post takes live-assistance requests if it offers any service online (it has officers who answer)."""
    return bool(post.services)


def daily_capacity(post):
    """The requests the post's officers answer a business day."""
    return settings.LIVE_ASSISTANCE_REQUESTS_PER_DAY


def queue_ahead(post):
    """The post's open requests: those an officer answers before a new one."""
    return LiveAssistanceRequest.objects.filter(post=post, status__in=LiveAssistanceRequest.open_statuses()).count()


def assistance_submit(*, post, fields, language, now=None):
    """Store a request from cleaned form data with its estimate, its first event, the acknowledgement and the
    officers' notification; all or nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        Post.objects.select_for_update().filter(pk=post.pk).first()  # one request of a post counted at a time
        ahead = queue_ahead(post)
        request = LiveAssistanceRequest(
            post=post, language=language, queue_ahead=ahead,
            promised_by=contact_estimate(post=post, at=now, ahead=ahead, per_day=daily_capacity(post)),
            topic=fields["topic"], details=normalise_newlines(fields["details"]).strip(),
            full_name=fields["full_name"].strip(), email=fields["email"], phone=fields.get("phone") or "",
        )
        save_with_new_reference(request, REFERENCE_PREFIX)
        LiveAssistanceRequestEvent.objects.create(request=request, to_status=request.status)
        assistance_emails.send_acknowledgement(request)
        assistance_emails.send_officer_notification(request)
    return request


def assistance_answer(*, request, officer, answer):
    """Keep the officer's answer, mark the request done and email the answer. Raises InvalidTransition when
    it is done already or the answer is empty."""
    answer = normalise_newlines(answer or "").strip()

    def keep(locked):
        if not answer:
            raise InvalidTransition("an answer is needed")
        locked.answer = answer

    return transition(obj=request, to=Status.DONE, actor=officer, apply=keep)

"""The expedite service's emails: which email, to whom, with what context. All through the outbox."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from consular_portal.outbox import queue_email

from .calendar_file import calendar_attachment
from .links import request_url


def _admin_url(request):
    path = reverse("admin:appointments_expediterequest_change", args=[request.pk])
    return f"{request.site_url.rstrip('/')}{path}"


def _applicant_addresses(request):
    addresses = [request.email]
    if request.is_group and request.organiser_email and request.organiser_email.lower() != request.email.lower():
        addresses.append(request.organiser_email)
    return addresses


def _to_applicant(request, template, context=None, attachments=()):
    with translation.override(request.language):
        link = request_url(request)
    for address in _applicant_addresses(request):
        queue_email(
            to=address,
            template=template,
            context={"request": request, "post": request.post, "link": link, **(context or {})},
            language=request.language,
            post=request.post,
            reply_to=request.post.email,
            attachments=attachments,
        )


def send_acknowledgement(request):
    """To the applicant (and a group's organiser): the reference and the signed link."""
    _to_applicant(request, "expedite_acknowledgement", {"policy": request.post.expedite_policy})


def send_officer_notification(request, *, decision=None):
    """To the post's officer mailbox: a new request to review."""
    if not request.post.officer_mailbox:
        return
    queue_email(
        to=request.post.officer_mailbox,
        template="expedite_officer_notification",
        context={"request": request, "post": request.post, "admin_url": _admin_url(request),
                 "flags": decision.flags if decision else []},
        language=settings.LANGUAGE_CODE,
        post=request.post,
    )


def send_decision(request):
    """To the applicant in their language: the new appointment time (with its calendar file), or the reason for
    the refusal."""
    approved = request.status == request.Status.APPROVED and request.slot_id
    _to_applicant(request, "expedite_decision", attachments=[calendar_attachment(request)] if approved else ())


def send_overdue_reminder(*, post, requests, to):
    """To one officer (or the post's mailbox): the requests past their promised answer date."""
    site_url = next((r.site_url for r in requests if r.site_url), "")
    path = reverse("admin:appointments_expediterequest_changelist")
    queue_email(
        to=to,
        template="expedite_overdue_reminder",
        context={"post": post, "requests": requests, "queue_url": f"{site_url.rstrip('/')}{path}"},
        language=settings.LANGUAGE_CODE,
        post=post,
    )

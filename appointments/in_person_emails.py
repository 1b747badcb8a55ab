"""The in-person appointment service's emails, all through the outbox. Those to the applicant quote nothing
they typed (emails/applicant_base); the officers' ones mark the typed text as sent by the public."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from consular_portal.outbox import queue_email
from consular_portal.site_url import absolute_url

from .calendar_file import calendar_attachment
from .in_person_links import in_person_url


def _to_applicant(request, template, attachments=()):
    with translation.override(request.language):
        link = in_person_url(request)
    queue_email(
        to=request.email, template=template, context={"request": request, "post": request.post, "link": link},
        language=request.language, post=request.post, reply_to=request.post.email, attachments=attachments,
    )


def send_acknowledgement(request):
    """To the applicant: the reference, the date we answer by and the signed link to the request's page."""
    _to_applicant(request, "in_person_acknowledgement")


def send_decision(request):
    """To the applicant: the appointment booked (in the post's time zone, with its calendar file), or why the
    request is declined."""
    booked = request.status == request.Status.BOOKED and request.slot_id
    _to_applicant(request, "in_person_decision", attachments=[calendar_attachment(request)] if booked else ())


def send_officer_notification(request):
    """To the post's officer mailbox: a new request to decide."""
    if not request.post.officer_mailbox:
        return
    queue_email(
        to=request.post.officer_mailbox, template="in_person_officer_notification",
        context={"request": request, "post": request.post,
                 "admin_url": absolute_url(reverse("admin:appointments_inpersonrequest_change", args=[request.pk]))},
        language=settings.LANGUAGE_CODE, post=request.post,
    )


def send_overdue_reminder(*, post, requests, to):
    """To one officer (or the post's mailbox): the requests past their promised answer date."""
    queue_email(
        to=to, template="in_person_overdue_reminder",
        context={"post": post, "requests": requests,
                 "queue_url": absolute_url(reverse("admin:appointments_inpersonrequest_changelist"))},
        language=settings.LANGUAGE_CODE, post=post,
    )

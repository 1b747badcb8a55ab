"""The live-assistance service's emails, all through the outbox. Those to the applicant quote nothing they
typed (emails/applicant_base): the reference, the post, the estimate and, once answered, the officer's answer;
the officers' notice marks the typed text as sent by the public."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from consular_portal.outbox import queue_email
from consular_portal.site_url import absolute_url

from .assistance_links import assistance_url


def _to_applicant(request, template):
    with translation.override(request.language):
        link = assistance_url(request)
    queue_email(
        to=request.email, template=template, context={"request": request, "post": request.post, "link": link},
        language=request.language, post=request.post, reply_to=request.post.email,
    )


def send_acknowledgement(request):
    """To the applicant: the reference, the date by which an officer will contact them and the signed link."""
    _to_applicant(request, "live_assistance_acknowledgement")


def send_answer(request):
    """To the applicant: the officer's answer."""
    _to_applicant(request, "live_assistance_answer")


def send_officer_notification(request):
    """To the post's officer mailbox: a new request in the queue."""
    if not request.post.officer_mailbox:
        return
    queue_email(
        to=request.post.officer_mailbox, template="live_assistance_officer_notification",
        context={"request": request, "post": request.post,
                 "admin_url": absolute_url(reverse("admin:inquiries_liveassistancerequest_change", args=[request.pk]))},
        language=settings.LANGUAGE_CODE, post=request.post,
    )

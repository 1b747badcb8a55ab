"""The status inquiry emails, all through the outbox. Those to the applicant quote nothing they typed
(emails/applicant_base): the reference, the post, the dates and the officer's answer only; the officers' ones
mark the typed text as sent by the public."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from consular_portal.outbox import queue_email
from consular_portal.review.reminders import officer_addresses
from consular_portal.site_url import absolute_url

from .inquiry_links import inquiry_url


def _to_applicant(inquiry, template):
    with translation.override(inquiry.language):
        link = inquiry_url(inquiry)
    queue_email(
        to=inquiry.email, template=template, context={"inquiry": inquiry, "post": inquiry.post, "link": link},
        language=inquiry.language, post=inquiry.post, reply_to=inquiry.post.email,
    )


def send_acknowledgement(inquiry):
    """To the applicant: the reference, the date we answer by and the signed link to the inquiry's page."""
    _to_applicant(inquiry, "inquiry_acknowledgement")


def send_answer(inquiry):
    """To the applicant: the officer's answer, in the language they chose."""
    _to_applicant(inquiry, "inquiry_answer")


def send_withdrawn(inquiry):
    """To the applicant a confirmation; to the post's officer mailbox (as for a withdrawn expedite request)
    that there is nothing left to answer."""
    _to_applicant(inquiry, "inquiry_withdrawn")
    if inquiry.post.officer_mailbox:
        queue_email(
            to=inquiry.post.officer_mailbox, template="inquiry_withdrawn_officers",
            context={"inquiry": inquiry, "post": inquiry.post,
                     "admin_url": absolute_url(reverse("admin:inquiries_inquiry_change", args=[inquiry.pk]))},
            language=settings.LANGUAGE_CODE, post=inquiry.post,
        )


def send_officer_notification(inquiry):
    """To the post's officer mailbox and each of its officers: a new inquiry to answer."""
    admin_url = absolute_url(reverse("admin:inquiries_inquiry_change", args=[inquiry.pk]))
    for address in officer_addresses(inquiry.post):
        queue_email(
            to=address, template="inquiry_officer_notification",
            context={"inquiry": inquiry, "post": inquiry.post, "admin_url": admin_url},
            language=settings.LANGUAGE_CODE, post=inquiry.post,
        )


def send_overdue_reminder(*, post, inquiries, to):
    """To one officer (or the post's mailbox): the inquiries past their promised answer date."""
    queue_email(
        to=to, template="inquiry_overdue_reminder",
        context={"post": post, "inquiries": inquiries,
                 "queue_url": absolute_url(reverse("admin:inquiries_inquiry_changelist"))},
        language=settings.LANGUAGE_CODE, post=post,
    )

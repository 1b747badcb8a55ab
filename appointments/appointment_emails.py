"""Emails about an appointment request after it was sent, for both services (expedite and in-person): withdrawn
(to the applicant and the post's officers), cancelled by the post and moved (to the applicant, with the new
calendar file). All through the outbox; those to the applicant quote nothing they typed."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from consular_portal.outbox import queue_email
from consular_portal.site_url import absolute_url

from .calendar_file import calendar_attachment


def _is_expedite(request):
    return request._meta.model_name == "expediterequest"


def applicant_link(request):
    from .in_person_links import in_person_url
    from .links import request_url

    with translation.override(request.language):
        return request_url(request) if _is_expedite(request) else in_person_url(request)


def _admin_url(request):
    path = reverse(f"admin:appointments_{request._meta.model_name}_change", args=[request.pk])
    if _is_expedite(request) and request.site_url:
        return f"{request.site_url.rstrip('/')}{path}"
    return absolute_url(path)


def _applicant_addresses(request):
    if _is_expedite(request):
        from .emails import _applicant_addresses as expedite_addresses

        return expedite_addresses(request)
    return [request.email]


def _to_applicant(request, template, context, attachments=()):
    link = applicant_link(request)
    for address in _applicant_addresses(request):
        queue_email(
            to=address, template=template,
            context={"request": request, "post": request.post, "link": link,
                     "expedite": _is_expedite(request), **context},
            language=request.language, post=request.post, reply_to=request.post.email, attachments=attachments,
        )


def send_change(request, *, previous):
    """A request withdrawn (``previous``: the status it left) or its appointment cancelled by the post."""
    had_appointment = previous == request.APPOINTMENT_STATUS
    context = {"slot": request.slot if had_appointment else None}
    if request.status == "cancelled":
        _to_applicant(request, "appointment_cancelled", context)
        return
    _to_applicant(request, "appointment_withdrawn", context)
    if request.post.officer_mailbox:
        queue_email(
            to=request.post.officer_mailbox, template="appointment_withdrawn_officers",
            context={"request": request, "post": request.post, "admin_url": _admin_url(request),
                     "expedite": _is_expedite(request), **context},
            language=settings.LANGUAGE_CODE, post=request.post,
        )


def send_rescheduled(request, *, previous_slot):
    """The appointment moved: the new time, and the calendar file that replaces the earlier one."""
    _to_applicant(request, "appointment_rescheduled", {"slot": request.slot, "previous_slot": previous_slot},
                  attachments=[calendar_attachment(request)])

"""What an applicant does with a request after sending it, through its signed link (expedite and in-person
alike): withdraw it (a confirmation page, then a POST), and download its appointment as a calendar file."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_http_methods, require_safe

from consular_portal.access import private_page
from consular_portal.review.withdraw import WITHDRAWN, withdraw_page

from .booking import appointment_withdraw
from .calendar_file import CONTENT_TYPE, appointment_calendar, calendar_filename
from .in_person_links import in_person_from_token, in_person_path
from .links import request_from_token, request_path

SERVICES = {  # the kind of request in the URL: how its link loads it and where its page is
    "expedite": (request_from_token, request_path),
    "in-person": (in_person_from_token, in_person_path),
}


def can_withdraw(request_obj):
    """While it is open or holds an appointment."""
    return WITHDRAWN in request_obj.allowed_transitions()


def has_appointment(request_obj):
    return request_obj.status == request_obj.APPOINTMENT_STATUS and request_obj.slot_id is not None


def _load(service, token):
    load, page_path = SERVICES[service]
    return load(token), page_path


@private_page
@require_http_methods(["GET", "POST"])
def withdraw(request, token, service):
    """GET asks to confirm (and says what happens to an appointment); the POST of its button withdraws."""
    request_obj, page_path = _load(service, token)
    return withdraw_page(
        request, request_obj, page_path=page_path(request_obj),
        withdraw=lambda obj: appointment_withdraw(request=obj), template="appointments/withdraw_confirm.html",
        context={"request_obj": request_obj, "has_appointment": has_appointment(request_obj)},
    )


@private_page
@require_safe
def calendar(request, token, service):
    """The appointment's .ics file (the one the booking email carries), while the request holds it."""
    request_obj, _ = _load(service, token)
    if not has_appointment(request_obj):
        raise Http404("no appointment")
    response = HttpResponse(appointment_calendar(request_obj), content_type=f"{CONTENT_TYPE}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{calendar_filename(request_obj)}"'
    return response

"""The applicant's signed link to one request (made and loaded by consular_portal.access)."""

import datetime as dt

from django.conf import settings
from django.urls import reverse

from consular_portal.access import make_token, object_from_token

SALT = "appointments.request"


def request_token(request):
    return make_token(request, salt=SALT)


def request_path(request):
    return reverse("appointments:request_detail", kwargs={"token": request_token(request)})


def request_url(request):
    return f"{request.site_url.rstrip('/')}{request_path(request)}"


def request_from_token(token):
    """The request the token was signed for, or 404: forged, older than the links' lifetime, or replaced."""
    from .models import ExpediteRequest

    return object_from_token(
        ExpediteRequest.objects.select_related("post", "category", "slot__post"), token, salt=SALT,
        max_age=dt.timedelta(days=settings.APPLICANT_LINK_MAX_AGE_DAYS),
    )

"""The applicant's signed link to one in-person appointment request (made and loaded by consular_portal.access)."""

import datetime as dt

from django.conf import settings
from django.urls import reverse

from consular_portal.access import make_token, object_from_token
from consular_portal.site_url import absolute_url

SALT = "appointments.in-person"


def in_person_path(request):
    return reverse("appointments:in_person_detail", kwargs={"token": make_token(request, salt=SALT)})


def in_person_url(request):
    return absolute_url(in_person_path(request))


def in_person_from_token(token):
    """The request the token was signed for, or 404: forged, older than the links' lifetime, or replaced."""
    from .models import InPersonRequest

    return object_from_token(
        InPersonRequest.objects.select_related("post", "slot__post"), token, salt=SALT,
        max_age=dt.timedelta(days=settings.APPLICANT_LINK_MAX_AGE_DAYS),
    )

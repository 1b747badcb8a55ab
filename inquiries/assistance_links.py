"""The applicant's signed link to one live-assistance request (made and loaded by consular_portal.access)."""

import datetime as dt

from django.conf import settings
from django.urls import reverse

from consular_portal.access import make_token, object_from_token
from consular_portal.site_url import absolute_url

SALT = "inquiries.live-assistance"


def assistance_path(request):
    return reverse("assistance:detail", kwargs={"token": make_token(request, salt=SALT)})


def assistance_url(request):
    return absolute_url(assistance_path(request))


def assistance_from_token(token):
    """The request the token was signed for, or 404: forged, older than the links' lifetime, or replaced."""
    from .models import LiveAssistanceRequest

    return object_from_token(
        LiveAssistanceRequest.objects.select_related("post"), token, salt=SALT,
        max_age=dt.timedelta(days=settings.APPLICANT_LINK_MAX_AGE_DAYS),
    )

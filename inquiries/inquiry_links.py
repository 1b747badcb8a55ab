"""The applicant's signed link to one status inquiry (made and loaded by consular_portal.access)."""

import datetime as dt

from django.conf import settings
from django.urls import reverse

from consular_portal.access import make_token, object_from_token
from consular_portal.site_url import absolute_url

SALT = "inquiries.inquiry"


def inquiry_path(inquiry):
    return reverse("inquiries:detail", kwargs={"token": make_token(inquiry, salt=SALT)})


def inquiry_url(inquiry):
    return absolute_url(inquiry_path(inquiry))


def inquiry_from_token(token):
    """The inquiry the token was signed for, or 404: forged, older than the links' lifetime, or replaced."""
    from .models import Inquiry

    return object_from_token(
        Inquiry.objects.select_related("post"), token, salt=SALT,
        max_age=dt.timedelta(days=settings.APPLICANT_LINK_MAX_AGE_DAYS),
    )

"""Passport and Letter Pack numbers: how they are typed, stored, shown and linked."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from consular_portal.text import normalise_identifier

PASSPORT_NUMBER = re.compile(r"[A-Z0-9]{5,20}")
LETTER_PACK_NUMBER = re.compile(r"[0-9]{12}")


def normalise_passport_number(value):
    """As stored and compared: upper case, no spaces or hyphens (``tk 1234-567`` is ``TK1234567``)."""
    return normalise_identifier(value)


def is_passport_number(value):
    """True when ``value``, normalised, can be a passport number (5 to 20 letters and digits)."""
    return bool(PASSPORT_NUMBER.fullmatch(normalise_passport_number(value)))


def validate_passport_number(value):
    if not PASSPORT_NUMBER.fullmatch(value or ""):
        raise ValidationError(_("A passport number has 5 to 20 letters and digits."), code="passport_number")


def validate_letter_pack_number(value):
    if value and not LETTER_PACK_NUMBER.fullmatch(value):
        raise ValidationError(_("A Letter Pack number has 12 digits."), code="letter_pack_number")


def letter_pack_url(number):
    """Japan Post's public tracking page of a Letter Pack number (``JAPAN_POST_TRACKING_URL``)."""
    return settings.JAPAN_POST_TRACKING_URL.format(number=number) if number else None

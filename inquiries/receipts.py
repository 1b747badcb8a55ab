"""Receipt numbers: three letters (the service centre that took the case) and ten digits, as on a receipt
notice (``IOE0912345678``, ``EAC-21-123-45678``). How they are typed, stored, checked and explained."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from consular_portal.text import mask_identifier, normalise_identifier

RECEIPT_NUMBER = re.compile(r"[A-Z]{3}[0-9]{10}")
# The service centres and offices whose receipt numbers the portal knows. IOE: filed online, or a paper
# form whose case was created in the online account system (ELIS).
PREFIXES = ("EAC", "WAC", "LIN", "SRC", "NBC", "MSC", "IOE", "YSC")
ONLINE_PREFIX = "IOE"

FORMAT_ERROR = _("A receipt number has 3 letters and 10 digits, for example EAC2112345678.")
PREFIX_ERROR = _("A receipt number begins with one of %(prefixes)s. Check the letters on your receipt notice.")


def normalise_receipt_number(value):
    """As stored and compared: upper case, without spaces or dashes (``eac-21 123 45678`` is
    ``EAC2112345678``)."""
    return normalise_identifier(value)


def receipt_number_error(key):
    """Why the normalised ``key`` cannot be a receipt number (a message), or None when it can."""
    if not RECEIPT_NUMBER.fullmatch(key or ""):
        return FORMAT_ERROR
    if key[:3] not in PREFIXES:
        return PREFIX_ERROR % {"prefixes": ", ".join(PREFIXES)}
    return None


def parse_receipt_number(value):
    """The receipt number ``value`` as typed, normalised; ValidationError with the reason if it is none."""
    key = normalise_receipt_number(value)
    error = receipt_number_error(key)
    if error is not None:
        raise ValidationError(error, code="receipt_number")
    return key


def is_receipt_number(value):
    return receipt_number_error(normalise_receipt_number(value)) is None


def validate_receipt_number(value):
    """The model field's validator: ``value`` is already normalised."""
    error = receipt_number_error(value)
    if error is not None:
        raise ValidationError(error, code="receipt_number")


def is_online_case(key):
    """Whether the case's receipt number begins with IOE (its applicant was sent the online account letter)."""
    return (key or "")[:3] == ONLINE_PREFIX


def mask_receipt_number(key):
    """A receipt number as shown anywhere but its own record: its prefix and last four digits
    (``EAC••••5678``), so the applicant recognises it and nobody reads it whole."""
    return f"{key[:3]}{mask_identifier(key)}" if key and len(key) > 7 else mask_identifier(key)

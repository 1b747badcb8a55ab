"""Checks on free text typed by the public."""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALLOWED_CONTROLS = {"\n", "\r", "\t"}


def has_control_characters(value):
    return any(unicodedata.category(ch) == "Cc" and ch not in ALLOWED_CONTROLS for ch in value)


def validate_printable(value):
    """Refuse control characters (other than line breaks and tabs): they are never typed by a person."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(
            _("Remove the invisible control characters from this text."), code="control_characters"
        )


def normalise_newlines(value):
    """Browsers send line breaks as CRLF; store them as LF."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


class PrintableTextForm:
    """Mixed into every public form: each of its text fields refuses control characters."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and validate_printable not in field.validators:
                field.validators.append(validate_printable)

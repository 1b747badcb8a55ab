"""Fields of the expedite forms: formats validated and normalised where they are typed."""

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from consular_portal.text import normalise_identifier

PASSPORT_RE = re.compile(r"^[A-Z0-9]{5,15}$")
DS160_RE = re.compile(r"^AA[A-Z0-9]{8}$")


class PassportField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Passport number"))
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def clean(self, value):
        value = normalise_identifier(super().clean(value))
        if value and not PASSPORT_RE.match(value):
            raise ValidationError(_("Enter the passport number as printed: 5 to 15 letters and digits."))
        return value


class DS160Field(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("DS-160 confirmation number"))
        kwargs.setdefault("help_text", _("10 characters starting with AA, from the barcode page of your DS-160."))
        kwargs.setdefault("max_length", 14)
        super().__init__(**kwargs)

    def clean(self, value):
        value = normalise_identifier(super().clean(value))
        if value and not DS160_RE.match(value):
            raise ValidationError(_("A DS-160 confirmation number has 10 characters and starts with AA."))
        return value


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def check_date_of_birth(value, today):
    if value >= today or value < dt.date(1900, 1, 1):
        raise ValidationError(_("Enter a real date of birth, in the past."))
    return value


def _date(label, help_text="", required=True, error_messages=None):
    return forms.DateField(label=label, help_text=help_text, required=required, widget=DateInput,
                           error_messages=error_messages)


def _text(label, help_text="", required=True, max_length=200, rows=None, error_messages=None):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(label=label, help_text=help_text, required=required, max_length=max_length, widget=widget,
                           error_messages=error_messages)


def required_when(field, when):
    """A field the form requires only for some answers: its label says when (``when``, "(required for a group
    request)") instead of "(optional)"."""
    field.required_when = when
    return field

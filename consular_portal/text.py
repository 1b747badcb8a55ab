"""Checks on free text typed by the public."""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .field_messages import name_messages

ALLOWED_CONTROLS = {"\n", "\r", "\t"}


def has_control_characters(value):
    return any(unicodedata.category(ch) == "Cc" and ch not in ALLOWED_CONTROLS for ch in value)


def validate_printable(value):
    """Refuse control characters (other than line breaks and tabs): they are never typed by a person."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(
            _("Remove the invisible control characters from this text."), code="control_characters"
        )


def _visible(value):
    """``value`` in NFKC form (full-width letters and digits become ASCII) without format characters (Unicode
    category Cf: zero-width spaces and joiners, direction marks), which a person cannot see."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", value or "") if unicodedata.category(ch) != "Cf")


def normalise_identifier(value):
    """A number copied from a document (passport, appointment, DS-160) as we store and compare it: NFKC, no
    invisible characters, spaces or hyphens, upper case. ``ＳＨ-2024\u200b0777`` is ``SH20240777``."""
    return "".join(ch for ch in _visible(value) if not ch.isspace() and unicodedata.category(ch) != "Pd").upper()


def mask_identifier(value):
    """A passport (or other) number as shown anywhere but its own record: only the last four characters."""
    value = value or ""
    return "••••" + value[-4:] if len(value) > 4 else "••••"


def normalise_name(value):
    """A name as we store it (an organisation): NFKC, no invisible characters, one space between words."""
    return " ".join(_visible(value).split())


def name_key(value):
    """What two names must share to be the same name: ``normalise_name`` without case."""
    return normalise_name(value).casefold()


def normalise_newlines(value):
    """Browsers send line breaks as CRLF; store them as LF."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


class PrintableTextForm:
    """Mixed into every public form: each of its text fields refuses control characters, and its error
    messages name the field (``field_messages.name_messages``).

    Both run when the form is validated, over the fields the form has then, so a field added in
    ``__init__`` (a post's own questions) is checked like a declared one."""

    def _clean_fields(self):
        name_messages(self.fields)
        super()._clean_fields()
        for name, bound in self._bound_items():
            if isinstance(bound.field, forms.CharField) and isinstance(bound.data, str):
                try:
                    validate_printable(bound.data)
                except ValidationError as error:
                    self.add_error(name, error)

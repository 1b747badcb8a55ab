"""Error messages that name the field and say what to do ("Enter full name.", "Choose visa class.", "Upload
proof.", "Enter date of birth as a date, like 2027-01-31.") instead of Django's "This field is required.",
which an error summary of fifteen lines repeats fifteen times.

``name_messages(fields)`` gives every field that still has Django's default message for a code the portal's
wording, made from its label and the kind of control it is. A message a form declares
(``error_messages={...}``) is kept: that is how a field overrides the generic wording where it would read
wrong. The messages are lazy: a field shared by several languages (a formset's rows) says them in the
language of the page. Every public form calls it through ``PrintableTextForm``."""

from functools import lru_cache

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

ENTER = _("Enter %(label)s.")
ANSWER = _("Answer the question: %(label)s")
CHOOSE = _("Choose %(label)s.")
CHOOSE_ANSWER = _("Choose an answer: %(label)s")
CHOOSE_LISTED = _("Choose %(label)s from the list.")
UPLOAD = _("Upload %(label)s.")
UPLOAD_AGAIN = _("Upload %(label)s again: the file did not arrive whole.")
UPLOAD_EMPTY = _("The file chosen for %(label)s is empty: upload another.")
TICK = _("Tick “%(label)s” to go on.")
DATE = _("Enter %(label)s as a date, like 2027-01-31.")
TIME = _("Enter %(label)s as a time, like 09:30.")
EMAIL = _("Enter %(label)s as an email address, like name@example.com.")
NUMBER = _("Enter %(label)s as a number.")

# Codes Django raises with parameters, so that a message is %-formatted once more: a "%" of the label is doubled.
_FORMATTED_AGAIN = {"invalid_choice"}


def _in_sentence(label):
    """A label as it reads inside a sentence: its trailing colon dropped, its first letter in lower case unless
    the word is an abbreviation ("DS-160 confirmation number" stays)."""
    label = str(label).strip().rstrip(":：")
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        label = label[0].lower() + label[1:]
    return label


def _is_question(label):
    return str(label).rstrip().endswith(("?", "？"))


def _format(template, label, again):
    # A question is quoted as it is; any other label is part of the sentence.
    label = str(label) if _is_question(label) else _in_sentence(label)
    return str(template) % {"label": label.replace("%", "%%") if again else label}


_formatted = lazy(_format, str)


def _kind(field):
    widget = field.widget
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(field, forms.FileField) or isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)) or isinstance(widget, forms.Select):
        return "choice"
    if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
        return "date"
    if isinstance(field, forms.TimeField):
        return "time"
    if isinstance(field, forms.EmailField):
        return "email"
    if isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
        return "number"
    return "text"


def _templates(field):
    """{code: message template} of the field's kind."""
    question = _is_question(field.label or "")
    kind = _kind(field)
    if kind == "choice":
        listed = CHOOSE_ANSWER if question else CHOOSE_LISTED
        return {"required": CHOOSE_ANSWER if question else CHOOSE, "invalid_choice": listed, "invalid_list": listed}
    if kind == "file":
        return {"required": UPLOAD, "invalid": UPLOAD_AGAIN, "missing": UPLOAD_AGAIN, "empty": UPLOAD_EMPTY}
    if kind == "checkbox":
        return {"required": TICK}
    required = ANSWER if question else ENTER
    again = {"date": DATE, "time": TIME, "email": EMAIL, "number": NUMBER}.get(kind)
    return {"required": required, **({"invalid": again} if again else {})}


@lru_cache(maxsize=256)
def _defaults(field_class):
    """Django's own messages of a field class: the ones a form did not replace are these very objects."""
    messages = {}
    for cls in reversed(field_class.__mro__):
        messages.update(getattr(cls, "default_error_messages", {}))
    return messages


def name_messages(fields):
    """Give each field of ``fields`` (a form's ``fields``) messages naming it, where it has Django's default."""
    for field in fields.values():
        if not field.label or field.widget.is_hidden:
            continue
        defaults = _defaults(type(field))
        for code, template in _templates(field).items():
            current = field.error_messages.get(code)
            if current is not None and current is defaults.get(code):
                field.error_messages[code] = _formatted(template, field.label, code in _FORMATTED_AGAIN)

"""Filters and tags of the crispy-forms USWDS template pack (``templates/uswds/``).

The templates decide the markup; these helpers only answer questions a template cannot: what kind of
control a field is, which ids describe it, and the widget rendered with the USWDS classes and ARIA state.
"""

import copy

from django import forms, template
from django.forms.utils import flatatt

register = template.Library()

INPUT_CLASSES = {
    "select": "usa-select",
    "textarea": "usa-textarea",
    "file": "usa-file-input",
    "checkbox": "usa-checkbox__input",
    "date": "usa-input",
    "input": "usa-input",
}
# Controls that show the red error border of USWDS.
ERROR_BORDER = {"select", "textarea", "date", "input"}


def field_kind(field):
    """One of: hidden, checkbox, radios, checkboxes, select, textarea, file, date, input."""
    widget = field.field.widget
    if field.is_hidden:
        return "hidden"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.DateInput):
        return "date"
    return "input"


@register.filter
def uswds_kind(field):
    return field_kind(field)


@register.filter
def uswds_anchor(field):
    """The id an error summary link points at: the control itself, or the first option of a group."""
    if field_kind(field) in ("radios", "checkboxes"):
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id


@register.filter
def uswds_describedby(field, show_errors=True):
    """Space-separated ids of the hint and the error message of a field ('' when it has neither)."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if show_errors and field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


def _date_widget(widget):
    """A plain DateInput becomes the browser's date control (ISO value), which needs no JavaScript."""
    if type(widget) is forms.DateInput:
        widget = copy.copy(widget)
        widget.input_type = "date"
        widget.format = "%Y-%m-%d"
    return widget


@register.simple_tag
def uswds_widget(field, show_errors=True):
    """The field's widget with the USWDS class, ``aria-describedby`` and, with errors, ``aria-invalid``."""
    kind = field_kind(field)
    widget = field.field.widget
    has_errors = bool(show_errors and field.errors)
    classes = [widget.attrs.get("class", ""), INPUT_CLASSES.get(kind, "")]
    if has_errors and kind in ERROR_BORDER:
        classes.append("usa-input--error")
    attrs = {"class": " ".join(c for c in classes if c)}
    describedby = uswds_describedby(field, show_errors)
    if describedby:
        attrs["aria-describedby"] = describedby
    if has_errors:
        attrs["aria-invalid"] = "true"
    if kind == "date":
        widget = _date_widget(widget)
    return field.as_widget(widget=widget, attrs=attrs)


BOOTSTRAP_BUTTON_CLASSES = {"btn", "btn-primary", "btn-secondary", "btn-default"}


@register.filter
def uswds_button_classes(input_object):
    """``usa-button`` plus the classes given to a crispy Submit/Button, without crispy's Bootstrap ones."""
    extra = [c for c in input_object.field_classes.split() if c not in BOOTSTRAP_BUTTON_CLASSES]
    if input_object.input_type != "submit":
        extra.insert(0, "usa-button--outline")
    return " ".join(["usa-button", *extra])


@register.filter
def uswds_form_attrs(attrs):
    """The helper's form attributes (id, action, class, …) with the USWDS form classes merged in."""
    attrs = dict(attrs or {})
    attrs.pop("form_group_wrapper_class", None)
    attrs["class"] = " ".join(filter(None, ["usa-form usa-form--large", attrs.get("class", "")]))
    return flatatt(attrs)

"""Filters and tags of the crispy-forms USWDS template pack (``templates/uswds/``).

A field is written here, in Python, by ``{% uswds_field field %}``: ``uswds/field.html`` is that one tag, so
a field costs crispy-forms one template render and nothing more (its widget is written by the portal's form
renderer, ``consular_portal/form_renderer.py``). The markup is the pack's: ``tests/site/test_uswds_pack.py``
shows it for every kind of field and ``tests/site/test_uswds_golden.py`` pins a whole form.
"""

import copy
from functools import lru_cache

from crispy_forms.layout import Fieldset, Layout
from django import forms, template
from django.forms.utils import flatatt
from django.template import Context, Template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from ..form_renderer import escaped, text

register = template.Library()

INPUT_CLASSES = {
    "select": "usa-select",
    "textarea": "usa-textarea",
    # Not USWDS's usa-file-input: its script writes its own English texts ("Drag file here or choose from
    # folder", "No file selected") over the control and makes them its accessible name in place of the label.
    # The browser's own control says what it does in the visitor's language and keeps the label as its name.
    "file": "portal-file-input",
    "checkbox": "usa-checkbox__input",
    "date": "usa-input",
    "input": "usa-input",
}
# Controls that show the red error border of USWDS.
ERROR_BORDER = {"select", "textarea", "date", "input"}
KINDS = (  # the first class a widget is an instance of decides (order matters: RadioSelect is a Select)
    (forms.CheckboxSelectMultiple, "checkboxes"),
    (forms.RadioSelect, "radios"),
    (forms.CheckboxInput, "checkbox"),
    (forms.Select, "select"),
    (forms.Textarea, "textarea"),
    (forms.FileInput, "file"),
    (forms.DateInput, "date"),
)
_kind_of_class = {}


def _html(format_string, *args):
    """``format_html``, quicker: each value is escaped with the renderer's ``escaped`` (the same result)."""
    return mark_safe(format_string.format(*map(escaped, args)))  # noqa: S308 - every value is escaped


def field_kind(field):
    """One of: hidden, checkbox, radios, checkboxes, select, textarea, file, date, input."""
    if field.is_hidden:
        return "hidden"
    widget_class = type(field.field.widget)
    kind = _kind_of_class.get(widget_class)
    if kind is None:
        kind = next((name for base, name in KINDS if issubclass(widget_class, base)), "input")
        _kind_of_class[widget_class] = kind
    return kind


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
def uswds_describedby(field, show_errors=True, errors=None):
    """Space-separated ids of the hint and the error message of a field ('' when it has neither)."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if show_errors and (field.errors if errors is None else errors):
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


def _date_widget(widget):
    """A plain DateInput becomes the browser's date control (ISO value), which needs no JavaScript."""
    if type(widget) is forms.DateInput:
        widget = copy.copy(widget)
        widget.input_type = "date"
        widget.format = "%Y-%m-%d"
    return widget


def widget_html(field, show_errors=True, kind=None, errors=None):
    """The field's widget with the USWDS class, ``aria-describedby`` and, with errors, ``aria-invalid``."""
    kind = kind or field_kind(field)
    widget = field.field.widget
    errors = field.errors if errors is None else errors
    has_errors = bool(show_errors and errors)
    classes = [widget.attrs.get("class", ""), INPUT_CLASSES.get(kind, "")]
    if has_errors and kind in ERROR_BORDER:
        classes.append("usa-input--error")
    attrs = {"class": " ".join(c for c in classes if c)}
    describedby = uswds_describedby(field, show_errors, errors)
    if describedby:
        attrs["aria-describedby"] = describedby
    if has_errors:
        attrs["aria-invalid"] = "true"
    if kind == "date":
        widget = _date_widget(widget)
    return field.as_widget(widget=widget, attrs=attrs)


@register.simple_tag
def uswds_widget(field, show_errors=True):
    return widget_html(field, show_errors)


def _optional(field):
    """After the label: "(optional)", or when the form requires the field for some answers only, when
    (``required_when``: "(required for a group request)"); nothing for a required field."""
    if field.field.required:
        return ""
    when = getattr(field.field, "required_when", None)
    return _html(' <span class="usa-hint">{}</span>', when or gettext("(optional)"))


def _error_messages(auto_id, errors):
    """The field's error messages, one ``usa-error-message`` each."""
    auto_id = escaped(auto_id)
    return mark_safe("".join(  # noqa: S308 - the id and each message are escaped
        f'<span class="usa-error-message" id="{auto_id}-error">{escaped(error)}</span>' for error in errors))


def _hint_and_errors(field, show_errors, errors):
    hint = _html('<div class="usa-hint" id="{}-hint">{}</div>', field.auto_id, field.help_text) \
        if field.help_text else ""
    errors = _error_messages(field.auto_id, errors) if show_errors and errors else ""
    return _html("{}{}", hint, errors)


def _choice_group(field, kind, show_errors, errors):
    """Radios or checkboxes: a fieldset whose legend is the label, one USWDS item per option."""
    item, control = ("usa-radio", "radio") if kind == "radios" else ("usa-checkbox", "checkbox")
    widget = field.field.widget
    id_ = widget.attrs.get("id") or field.auto_id
    attrs = field.build_widget_attrs({"id": id_} if id_ else {})
    options = []
    disabled = " disabled" if field.field.disabled else ""
    for _group, group_options, _index in widget.optgroups(field.html_name, widget.format_value(field.value()),
                                                          attrs):
        for option in group_options:
            option_id = escaped(option["attrs"].get("id", ""))
            options.append(
                f'\n  <div class="{item}">\n    <input class="{item}__input" type="{control}" '
                f'name="{escaped(field.html_name)}" value="{escaped(option["value"])}" '
                f'id="{option_id}"{" checked" if option["selected"] else ""}{disabled}>\n'
                f'    <label class="{item}__label" for="{option_id}">{text(option["label"])}</label>'
                f"\n  </div>"
            )
    describedby = uswds_describedby(field, show_errors, errors)
    return _html(
        '<fieldset class="usa-fieldset"{}>\n  <legend class="usa-legend{}">{}{}</legend>\n  {}{}\n</fieldset>',
        _html(' aria-describedby="{}"', describedby) if describedby else "",
        " usa-label--error" if show_errors and errors else "",
        field.label, _optional(field), _hint_and_errors(field, show_errors, errors),
        mark_safe("".join(options)),  # noqa: S308 - each value is escaped above
    )


def _css_classes(field):
    """``BoundField.css_classes()``: '' unless the form names an error or required class."""
    form = field.form
    if not (hasattr(form, "error_css_class") or hasattr(form, "required_css_class")):
        return ""
    return field.css_classes()


def field_html(field, *, show_errors, show_labels=True, wrapper_class="", label_class="", errors=None):
    """A whole field: the ``usa-form-group`` with its label (or legend), hint, errors and control. ``errors``
    (the field's own when None) are the messages written."""
    if field.is_hidden:
        return mark_safe(str(field))  # noqa: S308 - the widget's own (escaped) markup
    kind = field_kind(field)
    if errors is None:
        errors = field.errors  # read once: each read of BoundField.errors looks the form's errors up again
    has_errors = bool(show_errors and errors)
    classes = ["usa-form-group"]
    if has_errors:
        classes.append("usa-form-group--error")
    classes += [c for c in (wrapper_class, _css_classes(field)) if c]
    if kind in ("radios", "checkboxes"):
        body = _choice_group(field, kind, show_errors, errors)
    elif kind == "checkbox":
        body = _html(
            '{}\n  <div class="usa-checkbox">\n    {}\n    <label class="usa-checkbox__label" for="{}">{}{}</label>'
            "\n  </div>",
            _hint_and_errors(field, show_errors, errors), widget_html(field, show_errors, kind, errors),
            field.id_for_label,
            field.label, _optional(field),
        )
    else:
        label = ""
        if show_labels:
            label_classes = " ".join(filter(None, ["usa-label", "usa-label--error" if has_errors else "",
                                                   label_class]))
            label = _html('<label class="{}" for="{}">{}{}</label>\n  ', label_classes, field.id_for_label,
                                field.label, _optional(field))
        body = _html("{}{}\n  {}", label, _hint_and_errors(field, show_errors, errors),
                           widget_html(field, show_errors, kind, errors))
    return _html('\n<div id="div_{}" class="{}">\n  {}\n</div>\n', field.auto_id, " ".join(classes), body)


# The error message a blank field's markup is written with before it is kept: its place in the markup is where
# each request's own messages go. No message is ever this text (it holds a control character).
_MESSAGE_SLOT = "\x00message-of-the-request\x00"


def _blank(field):
    """True when the field shows nothing typed: a bound form's field whose data is empty, so its markup is the
    same for every request but for its error messages."""
    return field.form.is_bound and not field.data and not field.field.disabled and not (
        field.field.show_hidden_initial)


def blank_field_html(field, kept, **options):
    """``field_html(field, **options)`` of a field nothing was typed in (``_blank``), from ``kept``: a dict
    the caller holds for forms of one definition and one language, where the field's markup is kept without
    its error messages (written per request in their place). What an applicant typed is never kept: a field
    with data is written by ``field_html`` itself, and the messages are never part of what is kept."""
    errors = field.errors
    has_errors = bool(options["show_errors"] and errors)
    key = (field.html_name, field.auto_id, has_errors, *options.values())
    parts = kept.get(key)
    if parts is None:
        markup = str(field_html(field, errors=[_MESSAGE_SLOT] if has_errors else [], **options))
        if has_errors:
            parts = tuple(markup.split(_error_messages(field.auto_id, [_MESSAGE_SLOT])))
            if len(parts) != 2:  # the slot is not where messages go in this kind of field: not kept
                return field_html(field, **options)
        else:
            parts = (markup,)
        kept[key] = parts
    if not has_errors:
        return mark_safe(parts[0])  # noqa: S308 - written by field_html
    return mark_safe(parts[0] + _error_messages(field.auto_id, errors) + parts[1])  # noqa: S308 - escaped


@register.simple_tag(takes_context=True)
def uswds_field(context, field):
    """``uswds/field.html``: the field with the helper's settings found in the context crispy-forms gives."""
    return field_html(
        field,
        show_errors=bool(context.get("form_show_errors")),
        show_labels=bool(context.get("form_show_labels")),
        wrapper_class=context.get("wrapper_class") or "",
        label_class=context.get("label_class") or "",
    )


@lru_cache(maxsize=64)
def _legend_template(legend):
    return Template(legend)


FORLOOP_COUNTER = "{{ forloop.counter }}"


def _legend_html(legend, forloop):
    """A legend as crispy-forms writes it: its text is a template (a formset's member legend counts with
    ``{{ forloop.counter }}``), whose plain text is written as it is; a legend with no other template syntax
    than the counter is written without a template."""
    forloop = forloop or {}
    if "{" not in legend.replace(FORLOOP_COUNTER, ""):
        counter = str(forloop.get("counter", ""))
        return mark_safe(legend.replace(FORLOOP_COUNTER, counter))  # noqa: S308 - the layout's own text, as crispy writes it
    return _legend_template(legend).render(Context({"forloop": forloop}))


def _fieldset_html(fieldset, fields_html, forloop):
    """``uswds/layout/fieldset.html``."""
    legend = _legend_html(str(fieldset.legend), forloop) if fieldset.legend else ""
    return _html(
        '<fieldset class="usa-fieldset{}"{}{}>\n  {}\n  {}\n</fieldset>\n',
        f" {fieldset.css_class}" if fieldset.css_class else "",
        _html(' id="{}"', fieldset.css_id) if fieldset.css_id else "",
        fieldset.flat_attrs,
        _html('<legend class="usa-legend usa-legend--large">{}</legend>', legend) if legend else "",
        fields_html,
    )


def layout_html(form, helper, *, forloop=None, kept=None):
    """The form's fields as ``{% crispy form helper %}`` writes them with this pack (the helper's layout
    only, without its template around them), in Python: a layout of fieldsets and field names costs no
    template render. ``forloop`` (``counter``, …) is what a formset's member legend may print. With ``kept``
    (a dict for forms of this form's definition and language: ``blank_field_html``), a form sent back writes
    the fields left empty from the markup kept there."""
    field_options = {"show_errors": bool(helper.form_show_errors), "show_labels": bool(helper.form_show_labels),
                     "label_class": helper.label_class or ""}

    if kept is not None and form.is_bound and not form.errors and all(_blank(form[name]) for name in form.fields):
        # Nothing typed and nothing wrong (a formset's row left empty): the whole layout is kept.
        key = ("layout", form.prefix, *sorted((forloop or {}).items()), *field_options.values())
        markup = kept.get(key)
        if markup is None:
            markup = kept[key] = _layout_html(form, helper, forloop, field_options, kept)
        return mark_safe(markup)  # noqa: S308 - written by _layout_html
    return _layout_html(form, helper, forloop, field_options, kept)


def _layout_html(form, helper, forloop, field_options, kept):
    def write_field(name):
        field = form[name]
        if kept is not None and _blank(field):
            return blank_field_html(field, kept, **field_options)
        return field_html(field, **field_options)

    def render(item):
        if isinstance(item, str):
            return write_field(item) + "\n" if item in form.fields else ""
        if type(item) is Fieldset and item.template == Fieldset.template:
            return _fieldset_html(item, mark_safe("".join(render(f) for f in item.fields)), forloop)  # noqa: S308 - the fields above, each escaped
        if type(item) is Layout:
            return "".join(render(f) for f in item.fields)
        raise TypeError(f"layout_html writes fieldsets and fields, not {type(item).__name__}: use {{% crispy %}}")

    return mark_safe(render(helper.layout))  # noqa: S308 - every part is escaped above


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

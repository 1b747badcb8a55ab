"""The portal's form renderer (``FORM_RENDERER``): Django's own, with the common widgets written in Python.

Django renders every widget through templates: an ``<input>`` is three (``text.html``, ``input.html``,
``attrs.html``), a ``<select>`` two more for each of its options. Here the inputs, textareas and selects
(and a form made only of hidden fields, such as a formset's management form) are written by the functions
below, byte for byte what those templates write; any other template (radio lists, multi-widgets, custom
widgets, the admin's) is rendered by Django as before.
"""

import html

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

INPUT_TEMPLATES = {
    f"django/forms/widgets/{name}.html"
    for name in (
        "input", "text", "email", "url", "number", "password", "hidden", "date", "datetime", "time",
        "checkbox", "file", "color", "search", "tel",
    )
}
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def escaped(value):
    """``conditional_escape(str(value))``, quicker for the plain strings most values are."""
    if type(value) is str:
        return html.escape(value)
    return conditional_escape(value if isinstance(value, SafeData) else str(value))


def text(value):
    """A value as ``{{ value }}`` writes it in a template (localised, escaped unless safe)."""
    return html.escape(value) if type(value) is str else conditional_escape(localize(value))


def attrs_html(attrs):
    """``django/forms/widgets/attrs.html``: ` name="value"`, a bare ` name` for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {escaped(name)}" if value is True else f' {escaped(name)}="{escaped(value)}"')
    return "".join(parts)


def input_html(widget):
    value = "" if widget["value"] is None else f' value="{escaped(widget["value"])}"'
    return f'<input type="{text(widget["type"])}" name="{text(widget["name"])}"{value}{attrs_html(widget["attrs"])}>'


def textarea_html(widget):
    value = text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{text(widget["name"])}"{attrs_html(widget["attrs"])}>\n{value}</textarea>'


_OPTIONS = {}  # the markup of an option of plain text (value, label, attributes): the same on every page
OPTIONS_KEPT = 4096


def option_html(option):
    value, label, attrs = option["value"], option["label"], option["attrs"]
    key = None
    if type(value) is str and type(label) is str and all(type(v) in (str, bool) for v in attrs.values()):
        key = (value, label, *attrs.items())
        markup = _OPTIONS.get(key)
        if markup is not None:
            return markup
    markup = f'<option value="{escaped(value)}"{attrs_html(attrs)}>{text(label)}</option>'
    if key is not None:
        if len(_OPTIONS) >= OPTIONS_KEPT:
            _OPTIONS.clear()
        _OPTIONS[key] = markup
    return markup


def select_html(widget, renderer):
    parts = [f'<select name="{text(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{text(group_name)}">')
        for option in group_choices:
            if option["template_name"] == OPTION_TEMPLATE:
                parts.append(f"\n  {option_html(option)}")
            else:
                parts.append("\n  " + renderer.render(option["template_name"], {"widget": option}))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class PortalFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None:
            if template_name in INPUT_TEMPLATES:
                return mark_safe(input_html(widget))  # noqa: S308 - every value above is escaped
            if template_name == "django/forms/widgets/textarea.html":
                return mark_safe(textarea_html(widget))  # noqa: S308 - textarea_html escapes what it writes
            if template_name == "django/forms/widgets/clearable_file_input.html" and not widget["is_initial"]:
                return mark_safe(  # noqa: S308 - no file chosen yet: only the control, never a value
                    f'<input type="{text(widget["type"])}" name="{text(widget["name"])}"{attrs_html(widget["attrs"])}>')
            if template_name == "django/forms/widgets/select.html":
                return mark_safe(select_html(widget, self))  # noqa: S308 - select_html escapes what it writes
        elif template_name == "django/forms/div.html" and _hidden_only(context):
            return mark_safe("".join(str(field) for field in context["hidden_fields"]))  # noqa: S308 - fields that render themselves
        return super().render(template_name, context, request)


def _hidden_only(context):
    """A form with only hidden fields and no errors (a management form): div.html writes just the fields."""
    return isinstance(context, dict) and not context.get("fields") and not context.get("errors") and (
        "hidden_fields" in context)

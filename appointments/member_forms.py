"""The other members of a group request: one small form each, in a formset under the main request form."""

import copy

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from consular_portal.text import PrintableTextForm

from .form_fields import DS160Field, _date, _text, check_date_of_birth


class GroupMemberForm(PrintableTextForm, forms.Form):
    full_name = _text(_("Full name"))
    date_of_birth = _date(_("Date of birth"))
    ds160_number = DS160Field()
    previous_visas = _text(_("Previous US visas"), _("When, where and which class; “none” if none."),
                           required=False, max_length=300)

    def __init__(self, *args, post, **kwargs):
        self.base_fields = {}  # the fields are the shared ones below, not a deep copy for each row
        super().__init__(*args, **kwargs)
        self.fields = dict(_SHARED_FIELDS)
        self.post = post

    def clean_date_of_birth(self):
        return check_date_of_birth(self.cleaned_data["date_of_birth"], self.post.local_today())


# The fields of every member row: a row only reads them (their labels are lazy, so one set serves every
# language), so the rows of a formset share one copy instead of deep-copying four fields each.
_SHARED_FIELDS = copy.deepcopy(GroupMemberForm.base_fields)


class BaseMemberFormSet(forms.BaseFormSet):
    def __init__(self, *args, request_type="single", **kwargs):
        super().__init__(*args, **kwargs)
        self.request_type = request_type

    def clean(self):
        if any(self.errors):
            return
        filled = [f for f in self.forms if f.has_changed() and f.cleaned_data]
        if self.request_type == "group" and not filled:
            raise ValidationError(_("A group request needs the other members of the group."))
        if self.request_type != "group" and filled:
            raise ValidationError(_("You added group members: choose “A group of applicants”, or remove them."))

    def members(self):
        return [f.cleaned_data for f in self.forms if f.has_changed() and f.cleaned_data]


MEMBER_ROWS = 5
MEMBER_ROWS_MAX = 40


def member_formset(data=None, *, post, request_type="single", rows=MEMBER_ROWS):
    formset_class = forms.formset_factory(
        GroupMemberForm, formset=BaseMemberFormSet, extra=rows, max_num=MEMBER_ROWS_MAX, validate_max=True,
        absolute_max=MEMBER_ROWS_MAX,
    )
    return formset_class(data, prefix="members", request_type=request_type, form_kwargs={"post": post})


# The markup of the member fields left empty, for each language (``uswds_forms.blank_field_html``): the
# same fields in every formset, so a form sent back writes its empty member rows without building them.
_KEPT_MARKUP = {}


def kept_markup():
    return _KEPT_MARKUP.setdefault(get_language(), {})


def member_helper():
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(
        Fieldset(format_lazy("{} {}", _("Group member"), "{{ forloop.counter }}"),
                 "full_name", "date_of_birth", "ds160_number", "previous_visas")
    )
    return helper

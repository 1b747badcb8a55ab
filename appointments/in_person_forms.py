"""The public form of an in-person appointment request."""

import datetime as dt

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from consular_portal.text import PrintableTextForm

from .form_fields import DateInput
from .models import InPersonReason, InPersonUrgency
from .models.in_person import DETAILS_MAX

# How far ahead an applicant may ask to come: the slots officers open are never further out.
PREFERRED_DAYS_MAX = 90

FIELDS = ("reason", "details", "urgency", "preferred_from", "preferred_until", "full_name", "email", "phone")


class InPersonRequestForm(PrintableTextForm, forms.Form):
    reason = forms.ChoiceField(
        label=_("Why do you need to come in person?"), choices=InPersonReason.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose why you need to come in person.")},
    )
    details = forms.CharField(
        label=_("Tell us more"),
        help_text=_("What you need, and any date by which you need it. Do not send documents now."),
        widget=forms.Textarea(attrs={"rows": 5}), max_length=DETAILS_MAX,
        error_messages={"required": _("Tell us what you need.")},
    )
    urgency = forms.ChoiceField(
        label=_("How urgent is it?"), choices=InPersonUrgency.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose how urgent it is.")},
    )
    preferred_from = forms.DateField(
        label=_("I can come from"), widget=DateInput,
        error_messages={"required": _("Enter the first day you can come."), "invalid": _("Enter a real date.")},
    )
    preferred_until = forms.DateField(
        label=_("I can come until"), widget=DateInput,
        error_messages={"required": _("Enter the last day you can come."), "invalid": _("Enter a real date.")},
    )
    full_name = forms.CharField(label=_("Full name"), max_length=200,
                                error_messages={"required": _("Enter your full name.")})
    email = forms.EmailField(label=_("Email"), max_length=254,
                             error_messages={"required": _("Enter your email address.")})
    phone = PhoneNumberField(label=_("Phone"), help_text=_("With the country code, for example +86 21 1234 5678."),
                             error_messages={"required": _("Enter your phone number.")})
    language = forms.ChoiceField(label=_("Language for our replies"), choices=settings.LANGUAGES,
                                 widget=forms.RadioSelect)

    def __init__(self, *args, post, **kwargs):
        super().__init__(*args, **kwargs)
        self.post = post
        self.helper = FormHelper()
        self.helper.form_id = "in-person-form"
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Fieldset(_("Your request"), "reason", "details", "urgency"),
            Fieldset(_("When you can come"), "preferred_from", "preferred_until"),
            Fieldset(_("Your contact details"), "full_name", "email", "phone"),
            Fieldset(_("Language"), "language"),
        )
        self.helper.add_input(Submit("submit", _("Send the request")))

    def clean(self):
        data = super().clean()
        first, last = data.get("preferred_from"), data.get("preferred_until")
        today = self.post.local_today()
        if first and first < today:
            self.add_error("preferred_from", _("The date cannot be in the past."))
        elif first and first > today + dt.timedelta(days=PREFERRED_DAYS_MAX):
            self.add_error("preferred_from", _("Choose a day within the next %(days)s days.")
                           % {"days": PREFERRED_DAYS_MAX})
        if first and last and last < first:
            self.add_error("preferred_until", _("The last day cannot be before the first."))
        elif last and last > today + dt.timedelta(days=PREFERRED_DAYS_MAX):
            self.add_error("preferred_until", _("Choose a day within the next %(days)s days.")
                           % {"days": PREFERRED_DAYS_MAX})
        return data

    def request_fields(self):
        return {name: self.cleaned_data[name] for name in FIELDS}

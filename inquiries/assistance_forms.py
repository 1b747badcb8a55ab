"""The public form of a live-assistance request."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from consular_portal.text import PrintableTextForm

from .models.live_assistance import DETAILS_MAX, LiveAssistanceTopic

FIELDS = ("topic", "details", "full_name", "email", "phone")


class LiveAssistanceForm(PrintableTextForm, forms.Form):
    topic = forms.ChoiceField(
        label=_("What is your question about?"), choices=LiveAssistanceTopic.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose what your question is about.")},
    )
    details = forms.CharField(
        label=_("Your question"),
        help_text=_("What you need, and any reference or receipt number it is about. Do not send documents now."),
        widget=forms.Textarea(attrs={"rows": 5}), max_length=DETAILS_MAX,
        error_messages={"required": _("Tell us what you need.")},
    )
    full_name = forms.CharField(label=_("Full name"), max_length=200,
                                error_messages={"required": _("Enter your full name.")})
    email = forms.EmailField(label=_("Email"), max_length=254,
                             error_messages={"required": _("Enter your email address.")})
    phone = PhoneNumberField(label=_("Phone (optional)"), required=False,
                             help_text=_("With the country code, for example +86 21 1234 5678."))
    language = forms.ChoiceField(label=_("Language for our replies"), choices=settings.LANGUAGES,
                                 widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "assistance-form"
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Fieldset(_("Your request"), "topic", "details"),
            Fieldset(_("Your contact details"), "full_name", "email", "phone"),
            Fieldset(_("Language"), "language"),
        )
        self.helper.add_input(Submit("submit", _("Send the request")))

    def request_fields(self):
        return {name: self.cleaned_data[name] for name in FIELDS}

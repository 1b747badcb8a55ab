"""The alert sign-up under a tracked item's answer: "Email me when this status changes". The number looked up
travels hidden and signed, so the page repeats no number in full and the form only takes a number from a
lookup made in the last day. A tracked service subclasses it with its salt, form id and action, and the
check of its numbers."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from consular_portal.text import PrintableTextForm

SIGNED_NUMBER_MAX_AGE = 86400


class SubscribeForm(PrintableTextForm, forms.Form):
    salt = form_id = form_action = None
    email_label = _("Email me when this status changes")
    again_message = None  # the error when the hidden number is not one this form signed in the last day
    number_check = None  # staticmethod: is this a number of the service

    number = forms.CharField(max_length=200, widget=forms.HiddenInput)
    email = forms.EmailField(
        help_text=_("We send you a link to confirm the address first. Every email has a link to stop them."),
        max_length=254,
        error_messages={"required": _("Enter your email address."),
                        "invalid": _("Enter an email address in the form name@example.com.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    @classmethod
    def signed(cls, number):
        """The hidden value naming ``number``."""
        return signing.dumps(number, salt=cls.salt)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = self.email_label
        self.helper = FormHelper()
        self.helper.form_id = self.form_id
        self.helper.form_action = self.form_action
        self.helper.add_input(Submit("submit", _("Email me")))

    def clean_number(self):
        try:
            number = signing.loads(self.cleaned_data["number"], salt=self.salt, max_age=SIGNED_NUMBER_MAX_AGE)
        except (signing.BadSignature, ValueError, TypeError, UnicodeError):
            number = None
        if not isinstance(number, str) or not self.number_check(number):
            raise forms.ValidationError(self.again_message)
        return number

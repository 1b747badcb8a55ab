"""The public case status form (a GET form: the answer is on the same page, and works without JavaScript)
and the alert sign-up under an answer."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from consular_portal.text import PrintableTextForm

from .receipts import is_receipt_number, parse_receipt_number


class CaseLookupForm(PrintableTextForm, forms.Form):
    number = forms.CharField(
        label=_("Receipt number"),
        help_text=_("3 letters and 10 digits, as on your receipt notice, for example EAC2112345678. Spaces and "
                    "dashes do not matter."),
        max_length=40,
        error_messages={"required": _("Enter your receipt number.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "case-lookup"
        self.helper.form_method = "get"
        self.helper.add_input(Submit("submit", pgettext_lazy("case status", "Check the status")))

    def clean_number(self):
        return parse_receipt_number(self.cleaned_data["number"])


SUBSCRIBE_SALT = "inquiries.cases.subscribe"


def subscribe_number(number):
    """The hidden value naming the receipt number looked up: signed, so the page repeats no number in full
    and the form only takes a number from a lookup made in the last day."""
    return signing.dumps(number, salt=SUBSCRIBE_SALT)


class CaseSubscribeForm(PrintableTextForm, forms.Form):
    """"Email me when this status changes", under a case's answer (the number travels hidden, signed)."""

    number = forms.CharField(max_length=200, widget=forms.HiddenInput)
    email = forms.EmailField(
        label=pgettext_lazy("case status", "Email me when this status changes"),
        help_text=_("We send you a link to confirm the address first. Every email has a link to stop them."),
        max_length=254,
        error_messages={"required": _("Enter your email address."),
                        "invalid": _("Enter an email address in the form name@example.com.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "case-subscribe"
        self.helper.form_action = "cases:subscribe"
        self.helper.add_input(Submit("submit", _("Email me")))

    def clean_number(self):
        try:
            number = signing.loads(self.cleaned_data["number"], salt=SUBSCRIBE_SALT, max_age=86400)
        except (signing.BadSignature, ValueError, TypeError, UnicodeError):
            number = None
        if not isinstance(number, str) or not is_receipt_number(number):
            raise ValidationError(_("Check the status of your case again, then ask for the emails."))
        return number

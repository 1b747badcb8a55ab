"""The public case status form (a GET form: the answer is on the same page, and works without JavaScript)
and the alert sign-up under an answer."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from consular_portal.text import PrintableTextForm
from consular_portal.tracking import forms as tracking_forms

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

    @cached_property
    def helper(self):  # made only when the form is rendered: a lookup's form is mostly read from the cache
        helper = FormHelper()
        helper.form_id = "case-lookup"
        helper.form_method = "get"
        helper.add_input(Submit("submit", pgettext_lazy("case status", "Check the status")))
        return helper

    def clean_number(self):
        return parse_receipt_number(self.cleaned_data["number"])


class CaseSubscribeForm(tracking_forms.SubscribeForm):
    """"Email me when this status changes", under a case's answer."""

    salt = "inquiries.cases.subscribe"
    form_id = "case-subscribe"
    form_action = "cases:subscribe"
    email_label = pgettext_lazy("case status", "Email me when this status changes")
    again_message = _("Check the status of your case again, then ask for the emails.")
    number_check = staticmethod(is_receipt_number)


subscribe_number = CaseSubscribeForm.signed

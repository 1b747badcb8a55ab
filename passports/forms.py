"""The public passport lookup form (a GET form: the result is on the same page, and works without JavaScript)."""

import unicodedata

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from consular_portal.text import PrintableTextForm
from consular_portal.tracking import forms as tracking_forms

from .delivery import fields_required
from .models import PassportTracking
from .numbers import is_passport_number, normalise_passport_number


class LookupForm(PrintableTextForm, forms.Form):
    number = forms.CharField(
        label=_("Passport number"),
        help_text=_("Enter it exactly as it was entered at the time the appointment was scheduled."),
        max_length=40,
        error_messages={"required": _("Enter your passport number.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    @cached_property
    def helper(self):  # made only when the form is rendered: a lookup's form is mostly read from the cache
        helper = FormHelper()
        helper.form_id = "passport-lookup"
        helper.form_method = "get"
        helper.add_input(Submit("submit", _("Check the status")))
        return helper

    def clean_number(self):
        number = normalise_passport_number(self.cleaned_data["number"])
        if not is_passport_number(number):
            raise forms.ValidationError(_("A passport number has 5 to 20 letters and digits."))
        return number


class SubscribeForm(tracking_forms.SubscribeForm):
    """"Email me when this status changes", under every lookup answer."""

    salt = "passports.subscribe"
    form_id = "passport-subscribe"
    form_action = "passports:subscribe"
    again_message = _("Check the status of your passport again, then ask for the emails.")
    number_check = staticmethod(is_passport_number)


subscribe_number = SubscribeForm.signed


class ButtonForm(forms.Form):
    """A form that is only a button (confirm a subscription, unsubscribe): the signed link is the key."""

    def __init__(self, *args, label, form_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = form_id
        self.helper.add_input(Submit("submit", label))


def normalise_postal_code(value):
    """A Japanese postal code as typed (full-width digits, any dash, or none) in the form 123-4567."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    for dash in ("‐", "‑", "–", "—", "−", "ー", " "):
        text = text.replace(dash, "-")
    digits = text.replace("-", "")
    if len(digits) == 7 and digits.isascii() and digits.isdigit() and text in (digits, f"{digits[:3]}-{digits[3:]}"):
        return f"{digits[:3]}-{digits[3:]}"
    return text


class DeliveryForm(PrintableTextForm, forms.ModelForm):
    """The applicant's delivery choice: an address for a delivery, a post office's name for a pickup there."""

    class Meta:
        model = PassportTracking
        fields = ("delivery", "postal_code", "prefecture", "address_line1", "address_line2", "pickup_office")
        labels = {
            "delivery": _("How do you want to receive your passport?"),
            "postal_code": _("Postal code"),
            "prefecture": _("Prefecture"),
            "address_line1": _("City, town and street address"),
            "address_line2": _("Building and room (optional)"),
            "pickup_office": _("Post office for pickup"),
        }
        help_texts = {
            "postal_code": _("For a delivery. For example, 107-8420."),
            "pickup_office": _("For a pickup at a post office: its name, for example Akasaka Post Office."),
        }
        widgets = {"delivery": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivery"].choices = PassportTracking.Delivery.choices
        self.helper = FormHelper()
        self.helper.form_id = "passport-delivery"
        self.helper.add_input(Submit("submit", _("Save the delivery choice")))

    def clean_postal_code(self):
        return normalise_postal_code(self.cleaned_data["postal_code"])

    missing = {"postal_code": _("Enter the postal code of the delivery address."),
               "prefecture": _("Enter the prefecture of the delivery address."),
               "address_line1": _("Enter the street address of the delivery."),
               "pickup_office": _("Enter the name of the post office where you will pick it up.")}

    def clean(self):
        """The fields the chosen method needs (``delivery.fields_required``: the one statement of the rule)."""
        cleaned = super().clean()
        for name in fields_required(cleaned.get("delivery")):
            if name not in self.errors and not str(cleaned.get(name) or "").strip():
                self.add_error(name, self.missing[name])
        return cleaned

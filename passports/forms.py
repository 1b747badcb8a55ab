"""The public passport lookup form (a GET form: the result is on the same page, and works without JavaScript)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from consular_portal.text import PrintableTextForm

from .numbers import is_passport_number, normalise_passport_number


class LookupForm(PrintableTextForm, forms.Form):
    number = forms.CharField(
        label=_("Passport number"),
        help_text=_("Enter it exactly as it was entered at the time the appointment was scheduled."),
        max_length=40,
        error_messages={"required": _("Enter your passport number.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "passport-lookup"
        self.helper.form_method = "get"
        self.helper.add_input(Submit("submit", _("Check the status")))

    def clean_number(self):
        number = normalise_passport_number(self.cleaned_data["number"])
        if not is_passport_number(number):
            raise forms.ValidationError(_("A passport number has 5 to 20 letters and digits."))
        return number

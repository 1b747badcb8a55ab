"""The public forms of status inquiries: the check (may I inquire yet?) and the inquiry itself."""

import datetime as dt
import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from appointments.form_fields import PassportField, check_date_of_birth
from consular_portal.text import PrintableTextForm, normalise_identifier

from .models import Route, VisaCategory
from .models.inquiry import QUESTION_MAX

# The identifier of the case, by visa category: the pattern and the error shown.
CASE_NUMBERS = {
    VisaCategory.NONIMMIGRANT: (re.compile(r"^AA[A-Z0-9]{8}$"),
                                _("A DS-160 confirmation number has 10 characters and starts with AA.")),
    VisaCategory.IMMIGRANT: (re.compile(r"^[A-Z]{3}[0-9]{10}$"),
                             _("An immigrant visa case number has 3 letters and 10 digits, for example "
                               "TKY2024123456.")),
    VisaCategory.TREATY_TRADER: (re.compile(r"^[A-Z0-9]{6,20}$"),
                                 _("A company registration reference has 6 to 20 letters and digits.")),
}
# Routes that fit a visa category (a Treaty Trader company registration has its own).
ROUTES_OF = {
    VisaCategory.NONIMMIGRANT: {Route.INTERVIEW, Route.MAIL, Route.ADDITIONAL_DOCUMENTS},
    VisaCategory.IMMIGRANT: {Route.INTERVIEW, Route.MAIL, Route.ADDITIONAL_DOCUMENTS},
    VisaCategory.TREATY_TRADER: {Route.TREATY_TRADER, Route.ADDITIONAL_DOCUMENTS},
}
START_YEARS_MAX = 5  # an application older than this is not "pending"
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _yes_no(label, error):
    return forms.TypedChoiceField(label=label, choices=YES_NO, widget=forms.RadioSelect,
                                  coerce=lambda value: value == "yes", error_messages={"required": error})


class RouteFieldsMixin:
    """The post, the route and its start date, checked against the post's policy (``policies``: slug → policy)."""

    def _route_fields(self, policies):
        self.policies = policies
        self.fields["post"].choices = [("", "—"), *((slug, p.post.name) for slug, p in policies.items())]

    def clean_post(self):
        return self.policies.get(self.cleaned_data["post"])

    def _check_route(self, data):
        policy, route, start = data.get("post"), data.get("route"), data.get("route_start")
        if policy is not None and route and policy.route(route) is None:
            self.add_error("route", _("This post does not take inquiries for this kind of application."))
        if policy is not None and start:
            today = policy.post.local_today()
            if start > today:
                self.add_error("route_start", _("The date cannot be in the future."))
            elif start < today - dt.timedelta(days=366 * START_YEARS_MAX):
                self.add_error("route_start", _("Enter a date within the last %(years)s years.")
                               % {"years": START_YEARS_MAX})


def _post_field():
    return forms.ChoiceField(label=pgettext_lazy("embassy or consulate", "Post"),
                             help_text=_("The embassy or consulate handling your application."),
                             error_messages={"required": _("Choose the embassy or consulate.")})


def _route_field():
    return forms.ChoiceField(label=_("How did you apply?"), choices=Route.choices, widget=forms.RadioSelect,
                             error_messages={"required": _("Choose how you applied.")})


def _start_field():
    return forms.DateField(
        label=_("On what date?"),
        help_text=_("The day of your interview, or the day the Embassy received your documents."),
        error_messages={"required": _("Enter the date."), "invalid": _("Enter a real date.")},
    )


class InquiryCheckForm(RouteFieldsMixin, PrintableTextForm, forms.Form):
    """A GET form: may I inquire now, and if not, from when?"""

    post = _post_field()
    route = _route_field()
    route_start = _start_field()

    def __init__(self, *args, policies, **kwargs):
        super().__init__(*args, **kwargs)
        self._route_fields(policies)

    @cached_property
    def helper(self):
        # Made when the form is rendered: the check's answer validates the form and shows a cached copy.
        helper = FormHelper()
        helper.form_id = "inquiry-check"
        helper.form_method = "get"
        helper.attrs = {"novalidate": ""}
        helper.add_input(Submit("check", _("Check")))
        return helper

    def clean(self):
        data = super().clean()
        self._check_route(data)
        return data


class InquiryForm(RouteFieldsMixin, PrintableTextForm, forms.Form):
    post = _post_field()
    visa_category = forms.ChoiceField(label=_("Visa category"), choices=VisaCategory.choices,
                                      widget=forms.RadioSelect,
                                      error_messages={"required": _("Choose the visa category.")})
    case_number = forms.CharField(
        label=_("Case number"), max_length=30,
        help_text=_("Non-immigrant visa: your DS-160 confirmation number (AA and 8 characters). Immigrant visa: "
                    "your case number (3 letters and 10 digits). Treaty Trader company: the company "
                    "registration reference."),
        error_messages={"required": _("Enter the number of your application.")},
    )
    route = _route_field()
    route_start = _start_field()
    interview_date = forms.DateField(label=_("Interview date"), required=False,
                                     help_text=_("If you attended an interview."),
                                     error_messages={"invalid": _("Enter a real date.")})
    interview_office = forms.CharField(label=_("Interview office"), max_length=120, required=False,
                                       help_text=_("The embassy or consulate where you were interviewed."))
    full_name = forms.CharField(label=_("Full name of the applicant"), max_length=200,
                                help_text=_("As in the passport."),
                                error_messages={"required": _("Enter the applicant's full name.")})
    date_of_birth = forms.DateField(label=_("Date of birth of the applicant"),
                                    error_messages={"required": _("Enter the date of birth."),
                                                    "invalid": _("Enter a real date.")})
    passport_number = PassportField(error_messages={"required": _("Enter the passport number.")})
    on_behalf = _yes_no(_("Are you asking on behalf of someone else?"),
                        _("Say whether you are asking for someone else."))
    first_inquiry = _yes_no(_("Is this your first inquiry about this application?"),
                            _("Say whether this is your first inquiry."))
    question = forms.CharField(label=_("Your question"), widget=forms.Textarea(attrs={"rows": 5}),
                               max_length=QUESTION_MAX, error_messages={"required": _("Write your question.")})
    email = forms.EmailField(label=_("Email"), max_length=254,
                             help_text=_("We send the answer here."),
                             error_messages={"required": _("Enter your email address.")})
    language = forms.ChoiceField(label=_("Language for our replies"), choices=settings.LANGUAGES,
                                 widget=forms.RadioSelect)

    def __init__(self, *args, policies, **kwargs):
        super().__init__(*args, **kwargs)
        self._route_fields(policies)

    @cached_property
    def helper(self):
        # Made when the form is rendered: an inquiry sent without errors is not.
        helper = FormHelper()
        helper.form_id = "inquiry-form"
        helper.attrs = {"novalidate": ""}
        helper.layout = Layout(
            Fieldset(_("Your application"), "post", "visa_category", "case_number", "route", "route_start",
                     "interview_date", "interview_office"),
            Fieldset(_("The applicant"), "full_name", "date_of_birth", "passport_number"),
            Fieldset(_("Your inquiry"), "on_behalf", "first_inquiry", "question"),
            Fieldset(_("Your contact details"), "email", "language"),
        )
        helper.add_input(Submit("submit", _("Send the inquiry")))
        return helper

    def clean_case_number(self):
        return normalise_identifier(self.cleaned_data["case_number"])

    def clean_date_of_birth(self):
        return check_date_of_birth(self.cleaned_data["date_of_birth"], dt.date.today())

    def clean(self):
        data = super().clean()
        self._check_route(data)
        category, number, route = data.get("visa_category"), data.get("case_number"), data.get("route")
        if category and number:
            pattern, message = CASE_NUMBERS[category]
            if not pattern.match(number):
                self.add_error("case_number", message)
        if category and route and route not in ROUTES_OF[category] and "route" not in self.errors:
            self.add_error("route", _("This does not fit the visa category you chose."))
        if route == Route.INTERVIEW and "route_start" in data:
            if not data.get("interview_office", "").strip():
                self.add_error("interview_office", _("Enter where you were interviewed."))
            if data.get("interview_date") is None and "interview_date" not in self.errors:
                data["interview_date"] = data["route_start"]
            elif data.get("interview_date") and data["interview_date"] != data["route_start"]:
                self.add_error("interview_date", _("This is not the date you gave as the interview date."))
        interview = data.get("interview_date")
        if interview and data.get("post") is not None and interview > data["post"].post.local_today():
            self.add_error("interview_date", _("The date cannot be in the future."))
        return data

    def inquiry_fields(self):
        data = self.cleaned_data
        return {
            "visa_category": data["visa_category"], "case_number": data["case_number"], "route": data["route"],
            "route_start": data["route_start"], "interview_date": data.get("interview_date"),
            "interview_office": data["interview_office"].strip(), "full_name": data["full_name"],
            "date_of_birth": data["date_of_birth"], "passport_number": data["passport_number"],
            "on_behalf": data["on_behalf"], "first_inquiry": data["first_inquiry"], "question": data["question"],
            "email": data["email"],
        }

"""The request form: built from the post's policy rows, so it asks only what that post needs and checks
the same rules the public page shows (``eligibility.evaluate``)."""

import collections
import copy
import datetime as dt
import uuid

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from consular_portal.field_messages import name_messages
from consular_portal.regions import region_choices
from consular_portal.text import PrintableTextForm, normalise_identifier, normalise_name

from .eligibility import Facts, evaluate, qualifying_facts, serving_post_name
from .form_fields import DS160Field, PassportField, TimeInput, _date, _text, check_date_of_birth, required_when
from .models import ExpediteRequest, VisaClass, WindowKind
from .models.requests import JUSTIFICATION_MAX
from .submission import open_duplicate_exists
from .uploads import upload_check

NONE_OF_THESE = "none"
DUPLICATE_MESSAGE = _(
    "There is already an open request for this passport and appointment number. Follow it with the link we "
    "emailed you; you do not need to send another."
)
YES_NO = [("no", _("No")), ("yes", _("Yes"))]
IF_PREVIOUS_VISA = _("(required if you had a US visa application)")
IF_GROUP = _("(required for a group request)")


class SubmissionKeyForm(forms.Form):
    """The request's random key, written on the page apart from the other fields: they are the same for
    every applicant of a post and are rendered once (``consular_portal/page_cache.py``); the key is not."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput)


class ExpediteRequestForm(PrintableTextForm, SubmissionKeyForm):
    """One long page; what the policy does not need is not asked."""

    request_type = forms.ChoiceField(
        label=_("Who is this request for?"),
        choices=[("single", _("One applicant")), ("group", _("A group of applicants"))],
        initial="single",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who this request is for.")},
    )
    category = forms.ChoiceField(label=_("Why do you need an earlier interview?"), widget=forms.RadioSelect,
                                 error_messages={"required": _("Choose why you need an earlier interview.")})
    travel_date = _date(_("Intended travel date"))
    justification = _text(
        _("Detailed justification"),
        _("Explain why you need an expedited interview (at most 4,000 characters)."),
        max_length=JUSTIFICATION_MAX,
        rows=8,
        error_messages={"required": _("Explain why you need an earlier interview.")},
    )
    full_name = _text(_("Full name"), _("As printed in your passport."),
                      error_messages={"required": _("Enter your full name.")})
    date_of_birth = _date(_("Date of birth"), error_messages={"required": _("Enter your date of birth.")})
    passport_number = PassportField()
    visa_class = forms.ChoiceField(label=_("Visa class"), choices=[("", "—"), *VisaClass.choices])
    ds160_number = DS160Field()
    phone = PhoneNumberField(label=_("Phone"), help_text=_("With the country code, for example +86 21 1234 5678."),
                             error_messages={"required": _("Enter your phone number.")})
    email = forms.EmailField(label=_("Email"), max_length=254, error_messages={
        "required": _("Enter your email address."),
        "invalid": _("Enter your email address like name@example.com."),
    })
    interview_date = _date(_("Date of your current interview"), required=False)
    interview_time = forms.TimeField(label=_("Time of your current interview"), required=False, widget=TimeInput)
    appointment_number = _text(_("Appointment number"), required=False, max_length=40)
    previous_visa = forms.ChoiceField(
        label=_("Your most recent US visa application"),
        choices=ExpediteRequest.PreviousVisa.choices,
        initial=ExpediteRequest.PreviousVisa.NONE,
        widget=forms.RadioSelect,
    )
    previous_visa_date = required_when(_date(_("Date it was issued or refused"), required=False), IF_PREVIOUS_VISA)
    previous_visa_place = required_when(
        _text(_("Where (embassy or consulate)"), required=False, max_length=120), IF_PREVIOUS_VISA)
    previous_visa_class = required_when(forms.ChoiceField(
        label=_("Which visa class"), choices=[("", "—"), *VisaClass.choices], required=False
    ), IF_PREVIOUS_VISA)
    previous_visas_notes = _text(
        _("Other previous US visas"), _("When, where and which class, one per line."), required=False,
        max_length=1000, rows=3,
    )
    organisation = _text(_("Organisation"), required=False)
    organiser_name = required_when(_text(_("Group organiser's name"), required=False), IF_GROUP)
    organiser_phone = required_when(PhoneNumberField(label=_("Group organiser's phone"), required=False), IF_GROUP)
    organiser_email = required_when(
        forms.EmailField(label=_("Group organiser's email"), required=False, max_length=254), IF_GROUP)
    # Its hint is written in _build_fields, in the language of the page: a "%" here would translate it once,
    # in English, when the module is imported.
    proof = forms.FileField(label=_("Proof"), error_messages={"required": _("Upload your proof.")})
    proof_second_page = forms.FileField(
        label=_("Second page of proof"), help_text=_("Only if your proof is two separate images."), required=False
    )
    language = forms.ChoiceField(label=_("Language for our replies"), choices=settings.LANGUAGES,
                                 widget=forms.RadioSelect)

    def __init__(self, *args, policy, carried=(), **kwargs):
        definition = _definition(policy)
        if definition is not None:
            self.base_fields = {}  # the fields come from the definition below, not from a deep copy
        super().__init__(*args, **kwargs)
        self.policy, self.post = policy, policy.post
        self.decision = None
        self.kept_markup = None  # where the markup of the fields left empty is kept (``layout_html``)
        if definition is not None:
            self.fields, self.categories, self.kept_markup = dict(definition[0]), definition[1], definition[2]
        else:
            self._build_fields()
        self._carry(carried)
        self.helper = self._helper()

    def _carry(self, names):
        """The first step's answers (``names``, fields of this form) are not asked again: they are written as
        hidden fields, checked again with everything else when the request is sent."""
        names = [name for name in names if name in self.fields]
        if not names:
            return
        self.fields = dict(self.fields)  # the definition's fields are shared: change copies only
        for name in names:
            field = self.fields[name] = copy.copy(self.fields[name])
            field.widget = forms.HiddenInput()
        self.kept_markup = None  # the markup kept for the definition writes these fields as questions

    def _build_fields(self):
        policy = self.policy
        self.categories = {str(c.pk): c for c in policy.active_categories()}
        self.fields["category"].choices = [
            *[(pk, c.localized("name")) for pk, c in self.categories.items()],
            (NONE_OF_THESE, _("None of these")),
        ]
        self.fields["proof"].help_text = _("PDF (at most 2 pages), JPEG or PNG, up to %(size)s MB.") % {
            "size": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
        self._add_policy_fields()
        if policy.requires_scheduled_appointment:
            for name in ("interview_date", "interview_time", "appointment_number"):
                self.fields[name].required = True
        name_messages(self.fields)

    def _add_policy_fields(self):
        policy, categories = self.policy, self.categories.values()
        exclusions = policy.active_exclusions()
        if exclusions:
            self.fields["excluded_purposes"] = forms.MultipleChoiceField(
                label=_("Is your trip also for any of these?"),
                help_text=_("Tick every one that applies."),
                choices=[(e.code, e.localized("name")) for e in exclusions],
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        statements = [c for c in categories if c.confirmation]
        if statements:
            self.fields["statements"] = required_when(forms.MultipleChoiceField(
                label=_("Which of these statements are true for you?"),
                help_text=_("Tick every one that is true."),
                choices=[(str(c.pk), c.localized("confirmation")) for c in statements],
                required=False,
                widget=forms.CheckboxSelectMultiple,
            ), _("(required if one of them is about your reason)"))
        if any(c.us_company_request_required for c in categories):
            self.fields["us_company_request"] = forms.BooleanField(
                label=_("A business or company in the United States has requested my travel."), required=False
            )
        if any(c.window in (WindowKind.PROGRAM_WITHIN, WindowKind.PROGRAM_BEFORE_INTERVIEW) for c in categories):
            self.fields["program_start_date"] = required_when(_date(
                _("Start date of your programme or classes"),
                _("Students and exchange visitors only."),
                required=False,
            ), _("(required for students and exchange visitors)"))
        if policy.district_residence_required:
            months = policy.residence_months
            self.fields["residence_region"] = forms.ChoiceField(
                label=_("Province or region where you live"),
                choices=[("", "—"), *region_choices(self.post.country)],
            )
            self.fields["residence_places"] = _text(
                _("Places of residence in the past %(months)s months") % {"months": months},
                _("Addresses, with the dates you lived there."), max_length=1000, rows=3,
            )
            self.fields["work_places"] = _text(
                _("Places of work in the past %(months)s months") % {"months": months},
                _("Employer or school and its address, with dates."), max_length=1000, rows=3,
            )
            self.fields["resided_in_district"] = forms.BooleanField(
                label=_("I have lived in this province or region for the past %(months)s months.")
                % {"months": months},
                required=False,
            )
        if policy.refuses_renewal_eligible:
            self.fields["renewal_eligible"] = forms.ChoiceField(
                label=_("Do you qualify for the visa renewal (interview waiver) programme?"),
                # The post's own words of where renewal applicants go, in the page's language (the
                # programme's name is kept in English only).
                help_text=policy.localized_renewal_hint() or policy.renewal_program_name,
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose whether you qualify for the visa renewal programme.")},
            )
        if policy.flags_previous_expedite:
            self.fields["previous_expedite_declared"] = forms.ChoiceField(
                label=_("Have you or your organisation had an expedited appointment before?"),
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": _(
                    "Choose whether you or your organisation had an expedited appointment before.")},
            )

    def _present(self, *names):
        return [name for name in names if name in self.fields]

    def _helper(self):
        helper = FormHelper()
        helper.form_tag = False  # the page writes the fields with uswds_forms.layout_html
        helper.layout = Layout(  # the submission key is written by the page, before these
            Fieldset(_("Your request"), "request_type", *self._present(
                "category", "excluded_purposes", "statements", "us_company_request", "travel_date",
                "program_start_date"), "justification"),
            Fieldset(_("Applicant"), "full_name", "date_of_birth", "passport_number", "visa_class", "ds160_number",
                     "phone", "email"),
            Fieldset(_("Your current interview appointment"), "interview_date", "interview_time",
                     "appointment_number"),
            Fieldset(_("Previous US visas"), "previous_visa", "previous_visa_date", "previous_visa_place",
                     "previous_visa_class", "previous_visas_notes"),
            *([Fieldset(_("Residence and work"), *self._present(
                "residence_region", "resided_in_district", "residence_places", "work_places"))]
              if "residence_region" in self.fields else []),
            *([Fieldset(_("Earlier programmes and requests"), *self._present(
                "renewal_eligible", "previous_expedite_declared"))]
              if self._present("renewal_eligible", "previous_expedite_declared") else []),
            Fieldset(_("Group organiser (group requests only)"), "organisation", "organiser_name",
                     "organiser_phone", "organiser_email"),
            Fieldset(_("Proof"), "proof", "proof_second_page"),
            Fieldset(_("Language"), "language"),
        )
        return helper

    # Field checks ------------------------------------------------------------------------------------------

    def _today(self):
        return self.post.local_today()

    def clean_travel_date(self):
        value = self.cleaned_data["travel_date"]
        if value < self._today():
            raise ValidationError(_("The travel date cannot be in the past."))
        if value > self._today() + dt.timedelta(days=366):
            raise ValidationError(_("The travel date must be within the next year."))
        return value

    def clean_date_of_birth(self):
        return check_date_of_birth(self.cleaned_data["date_of_birth"], self._today())

    def clean_interview_date(self):
        value = self.cleaned_data.get("interview_date")
        if value and value < self._today():
            raise ValidationError(_("The date of your current interview cannot be in the past."))
        return value

    def clean_previous_visa_date(self):
        value = self.cleaned_data.get("previous_visa_date")
        if value and value > self._today():
            raise ValidationError(_("This date cannot be in the future."))
        return value

    def _clean_proof(self, name):
        upload = self.cleaned_data.get(name)
        return upload_check(upload=upload) if upload else None

    def clean_proof(self):
        return self._clean_proof("proof")

    def clean_proof_second_page(self):
        return self._clean_proof("proof_second_page")

    def clean(self):
        data = super().clean()
        if data.get("previous_visa", "none") != ExpediteRequest.PreviousVisa.NONE:
            for name in ("previous_visa_date", "previous_visa_place", "previous_visa_class"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Tell us when, where and which class."))
        if data.get("request_type") == "group":
            for name in ("organiser_name", "organiser_phone", "organiser_email"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Needed for a group request."))
        first, second = data.get("proof"), data.get("proof_second_page")
        if first and second and first.pages + second.pages > 2:
            self.add_error("proof_second_page", _("Send at most 2 pages of proof in all."))
        if data.get("passport_number") and open_duplicate_exists(
            post=self.post, passport_number=data["passport_number"],
            appointment_number=data.get("appointment_number", ""),
        ):
            self.add_error(None, DUPLICATE_MESSAGE)
        if not self.errors:
            self.decision = evaluate(self.policy, self.facts())
            for reason in self.decision.reasons:
                self.add_error(None, reason)
        return data

    def clean_appointment_number(self):
        return normalise_identifier(self.cleaned_data.get("appointment_number", ""))

    def clean_organisation(self):
        return normalise_name(self.cleaned_data.get("organisation", ""))

    # What the rules and the database need ------------------------------------------------------------------

    def chosen_category(self):
        return self.categories.get(self.cleaned_data.get("category"))

    def facts(self):
        data, category = self.cleaned_data, self.chosen_category()
        region = data.get("residence_region", "")
        refused = data.get("previous_visa") == ExpediteRequest.PreviousVisa.REFUSED
        return Facts(
            today=self._today(),
            category=category,
            visa_class=data.get("visa_class", ""),
            travel_date=data.get("travel_date"),
            program_start_date=data.get("program_start_date"),
            interview_date=data.get("interview_date"),
            has_appointment=bool(data.get("interview_date") and data.get("appointment_number")),
            excluded_purposes=tuple(data.get("excluded_purposes", ())),
            last_refusal_date=data.get("previous_visa_date") if refused else None,
            residence_region=region,
            serving_post_name="" if self.post.serves_region(region) else serving_post_name(
                region, exclude_post=self.post),
            resided_in_district=bool(data.get("resided_in_district")),
            renewal_eligible=data.get("renewal_eligible") == "yes",
            previous_expedite=data.get("previous_expedite_declared") == "yes",
            us_company_request=bool(data.get("us_company_request")),
            category_confirmed=bool(category) and str(category.pk) in data.get("statements", ()),
        )

    def request_fields(self):
        """The cleaned data as ``ExpediteRequest`` fields."""
        data, category = self.cleaned_data, self.chosen_category()
        interview_at = None
        if data.get("interview_date") and data.get("interview_time"):
            interview_at = dt.datetime.combine(data["interview_date"], data["interview_time"], tzinfo=self.post.tz)
        facts = self.facts()
        return {
            "submission_key": data["submission_key"],
            "category": category,
            "is_group": data["request_type"] == "group",
            "full_name": data["full_name"].strip(),
            "date_of_birth": data["date_of_birth"],
            "passport_number": data["passport_number"],
            "visa_class": data["visa_class"],
            "interview_at": interview_at,
            "appointment_number": data.get("appointment_number", ""),
            "previous_visa": data["previous_visa"],
            "previous_visa_date": data.get("previous_visa_date"),
            "previous_visa_place": data.get("previous_visa_place", ""),
            "previous_visa_class": data.get("previous_visa_class", ""),
            "previous_visas_notes": data.get("previous_visas_notes", ""),
            "ds160_number": data["ds160_number"],
            "justification": data["justification"].strip(),
            "phone": data["phone"],
            "email": data["email"],
            "residence_region": data.get("residence_region", ""),
            "residence_places": data.get("residence_places", ""),
            "work_places": data.get("work_places", ""),
            "resided_in_district": facts.resided_in_district,
            "travel_date": data["travel_date"],
            "program_start_date": data.get("program_start_date"),
            "excluded_purposes": list(facts.excluded_purposes),
            "renewal_eligible": facts.renewal_eligible,
            "previous_expedite_declared": facts.previous_expedite,
            "us_company_request": facts.us_company_request,
            "category_confirmed": facts.category_confirmed,
            "organisation": data.get("organisation", ""),
            "organiser_name": data.get("organiser_name", ""),
            "organiser_phone": data.get("organiser_phone") or "",
            "organiser_email": data.get("organiser_email", ""),
        }

    def documents(self):
        return [d for d in (self.cleaned_data.get("proof"), self.cleaned_data.get("proof_second_page")) if d]


# The fields of a post's form, built once per process, language and content version of its policy (see
# consular_portal/page_cache.py) and shared by the forms made from them, which only read them: no deep copy
# of 56 fields and no query for the policy's rows on each request. With them, the markup of each field left
# empty, kept as a form sent back with errors first writes it (``uswds_forms.blank_field_html``).
_DEFINITIONS = collections.OrderedDict()
DEFINITIONS_KEPT = 32


def _definition(policy):
    """(fields, categories, kept markup) of the form for this policy, or None for a policy read without its
    version."""
    version = getattr(policy, "content_version", None)
    if version is None:
        return None
    key = (policy.pk, version, get_language())
    definition = _DEFINITIONS.get(key)
    if definition is None:
        form = ExpediteRequestForm.__new__(ExpediteRequestForm)
        form.policy, form.post = policy, policy.post
        form.fields = copy.deepcopy(ExpediteRequestForm.base_fields)
        form._build_fields()
        for field in form.fields.values():
            _translated(field)
        definition = _DEFINITIONS[key] = (form.fields, form.categories, {})
        while len(_DEFINITIONS) > DEFINITIONS_KEPT:
            _DEFINITIONS.popitem(last=False)
    return definition


def _translated(field):
    """The field's label, hint, choices and messages as text of the active language (the definition is one
    language's), so a page does not translate them again on each read."""
    for name in ("label", "help_text", "required_when"):
        value = getattr(field, name, None)
        if isinstance(value, Promise):
            setattr(field, name, str(value))
    field.error_messages = {code: str(message) if isinstance(message, Promise) else message
                            for code, message in field.error_messages.items()}
    if isinstance(field, forms.ChoiceField) and not any(isinstance(label, (list, tuple)) for _, label in field.choices):
        field.choices = [(value, str(label) if isinstance(label, Promise) else label)
                         for value, label in field.choices]


class QualifyingForm(forms.Form):
    """The request form's first step: the questions that decide at once whether a request could be accepted
    (the post's district, a recent refusal, the purpose), evaluated by ``eligibility.evaluate`` as the whole
    request is when it is sent."""

    def __init__(self, *args, policy, **kwargs):
        super().__init__(*args, **kwargs)
        self.policy, self.post = policy, policy.post
        self.categories = {str(c.pk): c for c in policy.active_categories()}
        self.decision = None
        if policy.district_residence_required:
            self.fields["residence_region"] = forms.ChoiceField(
                label=_("Province or region where you live"),
                choices=[("", "—"), *region_choices(self.post.country)],
                error_messages={"required": _("Choose the province or region where you live.")},
            )
        if policy.refusal_window_months:
            self.fields["refused_recently"] = forms.ChoiceField(
                label=_("Were you refused a US visa in the past %(months)s months?")
                % {"months": policy.refusal_window_months},
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose whether you were refused a US visa recently.")},
            )
        self.fields["category"] = forms.ChoiceField(
            label=_("Why do you need an earlier interview?"),
            choices=[*[(pk, c.localized("name")) for pk, c in self.categories.items()],
                     (NONE_OF_THESE, _("None of these"))],
            widget=forms.RadioSelect,
            error_messages={"required": _("Choose why you need an earlier interview.")},
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.form_method = "get"  # the answers are carried in the address: no CSRF token in it

    def clean(self):
        data = super().clean()
        if not self.errors:
            region = data.get("residence_region", "")
            self.decision = evaluate(self.policy, qualifying_facts(
                self.policy,
                today=self.post.local_today(),
                category=self.categories.get(data.get("category")),
                residence_region=region,
                refused_recently=data.get("refused_recently") == "yes",
                serving_post_name="" if not region or self.post.serves_region(region) else serving_post_name(
                    region, exclude_post=self.post),
            ))
        return data

    def answers(self):
        """The answers as query parameters, carried to the full form (and back to this step to change them)."""
        return {name: self.cleaned_data[name] for name in self.fields}

    def summary(self):
        """(question, answer) of each answer, in the active language, for the full form's summary."""
        rows = []
        for name, field in self.fields.items():
            value = self.cleaned_data[name]
            rows.append((field.label, dict(field.choices).get(value, value)))
        return rows


# The first step's answers that are also questions of the full form, carried to it as hidden fields.
CARRIED_FIELDS = ("category", "residence_region")


def initial_data(language):
    """The initial values of the request form, the same for every applicant of one language."""
    return {"language": language, "request_type": "single", "previous_visa": "none"}


def submission_key_form():
    return SubmissionKeyForm(initial={"submission_key": uuid.uuid4()})

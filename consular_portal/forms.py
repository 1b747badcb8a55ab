"""Forms of the site pages: the "How are we doing?" survey and the fraud report."""

import datetime as dt

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import FraudReport, Post, SurveyResponse
from .post_text import translated
from .text import PrintableTextForm


class PostChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return translated(obj.name)


class SurveyForm(PrintableTextForm, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Overall, how satisfied are you with our service?"),
        choices=SurveyResponse.Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how satisfied you are.")},
    )
    service = forms.ChoiceField(
        label=_("Which service did you use?"),
        choices=[("", _("Choose a service")), *SurveyResponse.Service.choices],
        required=False,
    )
    post = PostChoiceField(
        label=_("Which embassy or consulate did you deal with?"),
        queryset=Post.objects.all(),
        to_field_name="slug",
        empty_label=_("Choose an embassy or consulate"),
        required=False,
    )
    comments = forms.CharField(
        label=_("How could we improve?"),
        help_text=_(
            "Do not include your name, passport number or other personal details: the survey is anonymous."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "survey-form"
        self.helper.add_input(Submit("submit", _("Send feedback")))


class FraudReportForm(PrintableTextForm, forms.Form):
    post = PostChoiceField(
        label=_("Which embassy or consulate should we tell?"),
        help_text=_("Choose the one serving the place where you live or applied."),
        queryset=Post.objects.exclude(officer_mailbox=""),
        to_field_name="slug",
        empty_label=_("Choose an embassy or consulate"),
        error_messages={"required": _("Choose the embassy or consulate to tell.")},
    )
    kind = forms.ChoiceField(
        label=_("What happened?"),
        choices=FraudReport.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what happened.")},
    )
    description = forms.CharField(
        label=_("Tell us what happened"),
        help_text=_("Who asked you to pay, how much, how you paid and what they promised."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": _("Tell us what happened.")},
    )
    incident_date = forms.DateField(label=_("When did it happen?"), required=False)
    fraudster_contact = forms.CharField(
        label=_("How did they contact you?"),
        help_text=_("Their phone number, website, email address or social media account."),
        max_length=300,
        required=False,
    )
    reporter_name = forms.CharField(
        label=_("Your name"), max_length=200, required=False
    )
    reporter_email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("Only if you agree that an officer may write to you about this report."),
        max_length=254,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "fraud-form"
        self.helper.layout = Layout(
            Fieldset(_("What happened"), "post", "kind", "description", "incident_date", "fraudster_contact"),
            Fieldset(_("Your contact details"), "reporter_name", "reporter_email"),
        )
        self.helper.add_input(Submit("submit", _("Send report")))

    def clean_incident_date(self):
        day = self.cleaned_data["incident_date"]
        # A day of grace: the applicant's today may be tomorrow in UTC.
        if day and day > timezone.localdate() + dt.timedelta(days=1):
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day

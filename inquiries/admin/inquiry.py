"""The officers' queue of status inquiries (oldest first) and the answer, typed or from a standard reply."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from consular_portal.review.admin import DecisionForm, QueueFilter, ReviewAdmin
from consular_portal.scoping import PostFilter, PostScopedAdmin
from consular_portal.text import mask_identifier

from .. import inquiry_rules
from ..inquiry_search import inquiries_search
from ..models import Inquiry, StandardReply
from ..models.inquiry import ANSWER_MAX

Status = Inquiry.Status


class InquiryAnswerForm(DecisionForm):
    """The answer: a text, or a standard reply of the post (sent in the applicant's language)."""

    standard_reply = forms.ModelChoiceField(
        label=_("Standard reply"), queryset=StandardReply.objects.none(), required=False,
        help_text=_("Sent in the applicant's language when the answer below is left empty."),
    )
    note = forms.CharField(label=_("Answer to the applicant"), widget=forms.Textarea(attrs={"rows": 8}),
                           required=False, max_length=ANSWER_MAX)
    field_order = ["action", "standard_reply", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard_reply"].queryset = StandardReply.objects.filter(post=self.request_obj.post,
                                                                              active=True)
        if len(self.fields["action"].choices) == 1:
            self.fields["action"].initial = self.fields["action"].choices[0][0]

    def clean(self):
        data = super().clean()
        if data.get("action") == "answer" and not data.get("note", "").strip() and not data.get("standard_reply"):
            self.add_error("note", _("Write the answer, or choose a standard reply."))
        return data


@admin.register(Inquiry)
class InquiryAdmin(ReviewAdmin):
    """Open inquiries of the officer's posts, the oldest at the top. Inquiries sent before the waiting time
    are kept but never listed here: they are not answered."""

    decisions = {Status.ANSWERED: ("answer", _("Answer and close"))}
    decision_form = InquiryAnswerForm

    list_display = ["reference", "post", "visa_category", "route", "created_at", "promised_by", "overdue",
                    "status"]
    list_filter = [QueueFilter, PostFilter, "visa_category", "route"]
    list_select_related = ["post"]
    search_fields = ["reference", "case_number", "email"]  # exactly: see inquiries.inquiry_search
    ordering = ["created_at"]
    show_full_result_count = False
    list_per_page = 50
    change_form_template = "admin/inquiries/inquiry/change_form.html"
    fieldsets = [
        (pgettext_lazy("noun", "Inquiry"), {"fields": [
            "reference", "post", "status", "visa_category", "case_number", "route", "route_start",
            "eligible_from", "interview_date", "interview_office", "first_inquiry", "on_behalf", "question",
            "language"]}),
        (_("Applicant"), {"fields": ["full_name", "date_of_birth", "masked_passport_number", "email"]}),
        (_("Answer"), {"fields": ["promised_by", "answer", "standard_reply", "decided_by", "decided_at",
                                  "created_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(status=Status.INELIGIBLE)

    def get_search_results(self, request, queryset, search_term):
        return inquiries_search(queryset, search_term), False

    def get_readonly_fields(self, request, obj=None):
        return [f for fieldset in self.fieldsets for f in fieldset[1]["fields"]]

    @admin.display(description=_("passport number"))
    def masked_passport_number(self, obj):
        return mask_identifier(obj.passport_number)

    def decide_view(self, request, pk):
        """An inquiry the applicant withdrew (or already answered) is refused with a message, not a form
        error about an action it no longer offers."""
        inquiry = self.visible_object(request, pk)
        if request.method == "POST" and self.has_decide_permission(request) and not inquiry.is_open:
            if inquiry.status == Status.WITHDRAWN:
                messages.error(request, _("The applicant withdrew this inquiry: it can no longer be answered."))
            else:
                messages.error(request, _("This inquiry is already answered."))
            return redirect(reverse("admin:inquiries_inquiry_change", args=[pk]))
        return super().decide_view(request, pk)

    def decide_answer(self, request, inquiry, data):
        try:
            inquiry_rules.inquiry_answer(inquiry=inquiry, officer=request.user, text=data["note"],
                                         standard_reply=data.get("standard_reply"))
        except ValueError as exc:
            raise ValidationError({"note": _("Write the answer, or choose a standard reply.")}) from exc

    def extra_review_context(self, request, inquiry):
        return {"inquiry": inquiry}


@admin.register(StandardReply)
class StandardReplyAdmin(PostScopedAdmin, SimpleHistoryAdmin):
    list_display = ["title", "post", "active", "updated_at"]
    list_filter = ["active", PostFilter]
    list_select_related = ["post"]
    search_fields = ["title"]
    fields = ["post", "title", "active", "body", "body_ja", "body_zh_hans"]

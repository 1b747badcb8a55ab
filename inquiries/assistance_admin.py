"""The officers' queue of live-assistance requests, oldest first: answer and mark done."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from consular_portal.review.admin import DecisionForm, QueueFilter, ReviewAdmin
from consular_portal.scoping import PostFilter

from . import assistance
from .models import LiveAssistanceRequest
from .models.live_assistance import ANSWER_MAX

Status = LiveAssistanceRequest.Status


class AnswerForm(DecisionForm):
    """The answer is what the applicant receives: it is needed."""

    note = forms.CharField(
        label=_("Answer to the applicant"), widget=forms.Textarea(attrs={"rows": 6}), max_length=ANSWER_MAX,
        help_text=_("Emailed to the applicant in their language and shown on their page. If you called them, "
                    "sum up what you told them."),
        error_messages={"required": _("Write the answer to the applicant.")},
    )


@admin.register(LiveAssistanceRequest)
class LiveAssistanceRequestAdmin(ReviewAdmin):
    """Open requests first, the oldest (the first to answer) at the top."""

    decisions = {Status.DONE: ("answer", _("Answer and mark done"))}
    decision_form = AnswerForm

    list_display = ["reference", "full_name", "post", "topic", "language", "status", "promised_by", "overdue",
                    "created_at"]
    list_filter = [QueueFilter, PostFilter, "topic", "language"]
    list_select_related = ["post"]
    search_fields = ["=reference", "full_name", "=email"]
    ordering = ["created_at", "pk"]
    show_full_result_count = False
    list_per_page = 50
    change_form_template = "admin/inquiries/liveassistancerequest/change_form.html"
    fieldsets = [
        (pgettext_lazy("noun", "Request"), {"fields": [
            "reference", "post", "status", "topic", "details", "language", "created_at"]}),
        (_("Applicant"), {"fields": ["full_name", "email", "phone"]}),
        (_("Answer"), {"fields": ["promised_by", "queue_ahead", "answer", "decided_by", "decided_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [f for fieldset in self.fieldsets for f in fieldset[1]["fields"]]

    def decide_answer(self, request, live_assistance, data):
        assistance.assistance_answer(request=live_assistance, officer=request.user, answer=data["note"])

    def extra_review_context(self, request, live_assistance):
        return {"live_assistance": live_assistance}

"""The officers' queue of in-person appointment requests: accept by booking a slot, or decline with a reason."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from consular_portal.review.admin import DecisionForm as ReviewDecisionForm
from consular_portal.review.admin import QueueFilter, ReviewAdmin
from consular_portal.scoping import PostFilter

from .. import in_person_booking
from ..booking import slots_available
from ..models import AppointmentSlot, InPersonDeclineReason, InPersonRequest
from .appointment_changes import AppointmentChangesAdmin
from .forms import SLOT_FULL, SLOT_PAST, AppointmentChangeChecks, SlotChoiceField

Status = InPersonRequest.Status


class InPersonDecisionForm(AppointmentChangeChecks, ReviewDecisionForm):
    """Accepting needs a slot of the post with space; declining needs a reason."""

    slot = SlotChoiceField(label=_("Slot"), queryset=None, required=False,
                           help_text=_("Slots with space only; the earliest on a day the applicant can come is "
                                       "suggested."))
    decline_reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *InPersonDeclineReason.choices],
                                       required=False)
    field_order = ["action", "slot", "decline_reason", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        post = self.request_obj.post
        self.fields["slot"].queryset = AppointmentSlot.objects.filter(post=post).select_related("post")
        self.fields["slot"].offer(slots_available(post=post).select_related("post")[:500])
        if not self.is_bound:
            suggested = in_person_booking.slot_suggest(request=self.request_obj)
            self.fields["slot"].initial = suggested.pk if suggested else None

    def clean(self):
        data = super().clean()
        action, slot = data.get("action"), data.get("slot")
        if action == "accept" and "slot" not in self.errors:
            if slot is None:
                self.add_error("slot", _("Choose a slot to book."))
            elif slot.starts_at <= timezone.now():
                self.add_error("slot", SLOT_PAST)
            elif slot.is_full:
                self.add_error("slot", SLOT_FULL)
        if action == "decline":
            if not data.get("decline_reason"):
                self.add_error("decline_reason", _("Declining needs a reason."))
            elif data["decline_reason"] == InPersonDeclineReason.OTHER and not data.get("note", "").strip():
                self.add_error("note", _("Explain the reason to the applicant."))
        return data


@admin.register(InPersonRequest)
class InPersonRequestAdmin(AppointmentChangesAdmin, ReviewAdmin):
    """Open requests first, the earliest promised answer at the top."""

    decisions = {
        Status.BOOKED: ("accept", _("Accept and book the slot")),
        Status.DECLINED: ("decline", _("Decline")),
        Status.WITHDRAWN: ("withdraw", _("Record that the applicant withdrew")),
        Status.CANCELLED: ("cancel", _("Cancel the appointment")),
    }
    decision_form = InPersonDecisionForm

    list_display = ["reference", "full_name", "post", "reason", "urgency", "status", "preferred_from",
                    "promised_by", "overdue", "created_at"]
    list_filter = [QueueFilter, PostFilter, "reason", "urgency"]
    list_select_related = ["post"]
    search_fields = ["=reference", "full_name", "=email"]
    ordering = ["promised_by", "created_at"]
    show_full_result_count = False
    list_per_page = 50
    change_form_template = "admin/appointments/inpersonrequest/change_form.html"
    fieldsets = [
        (pgettext_lazy("noun", "Request"), {"fields": [
            "reference", "post", "status", "reason", "urgency", "details", "preferred_from", "preferred_until",
            "language"]}),
        (_("Applicant"), {"fields": ["full_name", "email", "phone"]}),
        (_("Decision"), {"fields": ["promised_by", "slot", "decided_by", "decided_at", "decline_reason",
                                    "decision_note", "created_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [f for fieldset in self.fieldsets for f in fieldset[1]["fields"]]

    def decide_accept(self, request, in_person, data):
        try:
            in_person_booking.in_person_accept(request=in_person, officer=request.user, slot=data["slot"],
                                               note=data["note"])
        except in_person_booking.SlotFull as exc:
            raise ValidationError({"slot": SLOT_FULL}) from exc

    def decide_decline(self, request, in_person, data):
        in_person_booking.in_person_decline(request=in_person, officer=request.user, reason=data["decline_reason"],
                                            note=data["note"])

    def extra_review_context(self, request, in_person):
        return {"in_person": in_person}

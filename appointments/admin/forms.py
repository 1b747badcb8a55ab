from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from consular_portal.review.admin import DecisionForm as ReviewDecisionForm

from ..booking import slot_suggest, slots_available
from ..models import AppointmentSlot, RefusalReason

SLOT_FULL = _("This slot is full now: choose another.")
SLOT_PAST = _("This slot has already started: choose another.")


def slot_label(slot):
    local = slot.local_start()
    return _("%(when)s — %(free)s of %(capacity)s free") % {
        "when": f"{local:%Y-%m-%d %a %H:%M} ({slot.post.time_zone})", "free": slot.remaining,
        "capacity": slot.capacity,
    }


class SlotChoiceField(forms.ModelChoiceField):
    """Offers the slots with space; accepts any slot of the post, so that a slot taken since the page was
    opened gets a clear "full" error rather than "not one of the available choices"."""

    def offer(self, slots):
        self.choices = [("", self.empty_label), *[(slot.pk, slot_label(slot)) for slot in slots]]


class AppointmentChangeChecks:
    """The checks of the changes to a booked appointment (``admin.appointment_changes``), mixed in before the
    review admin's DecisionForm."""

    def clean(self):
        data = super().clean()
        action, slot = data.get("action"), data.get("slot")
        if action == "reschedule" and "slot" not in self.errors:
            if slot is None:
                self.add_error("slot", _("Choose the new slot."))
            elif slot.pk == self.request_obj.slot_id:
                self.add_error("slot", _("This is the slot booked now: choose another."))
            elif slot.starts_at <= timezone.now():
                self.add_error("slot", SLOT_PAST)
            elif slot.is_full:
                self.add_error("slot", SLOT_FULL)
        if action == "cancel" and not data.get("note", "").strip():
            self.add_error("note", _("Tell the applicant why the appointment is cancelled."))
        return data


class DecisionForm(AppointmentChangeChecks, ReviewDecisionForm):
    """The expedite decision: a slot to approve, a reason to refuse."""

    slot = SlotChoiceField(label=_("Slot"), queryset=None, required=False,
                           help_text=_("Slots with space only; the earliest before the travel date is suggested."))
    refusal_reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *RefusalReason.choices],
                                       required=False)
    field_order = ["action", "slot", "refusal_reason", "note"]
    # The decisions each field serves (the review page shows a field only for them, and says so).
    used_by = {"slot": ("approve", "reschedule"), "refusal_reason": ("refuse",),
               "note": ("refuse", "cancel", "reschedule")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        post = self.request_obj.post
        self.fields["slot"].queryset = AppointmentSlot.objects.filter(post=post).select_related("post")
        self.fields["slot"].offer(slots_available(post=post).select_related("post"))
        if not self.is_bound:
            suggested = slot_suggest(request=self.request_obj)
            self.fields["slot"].initial = suggested.pk if suggested else None

    def clean(self):
        data = super().clean()
        action = data.get("action")
        slot = data.get("slot")
        if action == "approve" and "slot" not in self.errors:
            if slot is None:
                self.add_error("slot", _("Choose a slot to approve."))
            elif slot.starts_at <= timezone.now():
                self.add_error("slot", SLOT_PAST)
            elif slot.is_full:
                self.add_error("slot", SLOT_FULL)
        if action == "refuse":
            if not data.get("refusal_reason"):
                self.add_error("refusal_reason", _("A refusal needs a reason."))
            elif data["refusal_reason"] == RefusalReason.OTHER and not data.get("note", "").strip():
                self.add_error("note", _("Explain the reason to the applicant."))
        return data


class BulkSlotsForm(forms.Form):
    post = forms.ModelChoiceField(label=pgettext_lazy("embassy or consulate", "Post"), queryset=None)
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    first = forms.TimeField(label=_("First slot at"), widget=forms.TimeInput(attrs={"type": "time"}))
    last = forms.TimeField(label=_("Last slot at"), widget=forms.TimeInput(attrs={"type": "time"}))
    every_minutes = forms.IntegerField(label=_("Every (minutes)"), min_value=5, max_value=240, initial=30)
    capacity = forms.IntegerField(label=_("Capacity of each slot"), min_value=1, max_value=500, initial=5)

    def __init__(self, *args, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts

    def clean(self):
        data = super().clean()
        if data.get("first") and data.get("last") and data["last"] < data["first"]:
            raise ValidationError(_("The last slot cannot be before the first."))
        return data

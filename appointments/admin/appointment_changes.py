"""Officers' changes to a booked appointment, on the change page of both services' requests: move it to another
slot (the new place claimed, the old one released), cancel it (released), or record that the applicant withdrew.
Each calls the function in ``booking`` that the tests call; the decide URL is the review admin's, scoped to the
officer's posts."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .. import booking
from .forms import SLOT_FULL

RESCHEDULE = ("reschedule", _("Move the appointment to another slot"))


class AppointmentChangesAdmin:
    """Mixed in before ``ReviewAdmin``: "withdrawn" and "cancelled" are in the model's ``decisions``; moving the
    appointment keeps the status, so it is offered here while the request holds an appointment."""

    def decision_actions(self, obj):
        actions = list(super().decision_actions(obj))
        if obj.status == obj.APPOINTMENT_STATUS and obj.slot_id is not None:
            actions.insert(0, RESCHEDULE)
        return actions

    def decide_withdraw(self, request, obj, data):
        booking.appointment_withdraw(request=obj, actor=request.user)

    def decide_cancel(self, request, obj, data):
        booking.appointment_cancel(request=obj, officer=request.user, note=data["note"])

    def decide_reschedule(self, request, obj, data):
        try:
            booking.appointment_reschedule(request=obj, officer=request.user, slot=data["slot"], note=data["note"])
        except booking.SlotFull as exc:
            raise ValidationError({"slot": SLOT_FULL}) from exc

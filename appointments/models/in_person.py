"""Requests for an in-person appointment at a post, for a service that cannot be given by phone or email.

A reviewed service (``consular_portal.review``): the applicant says why they need to come, when they could
and how urgent it is; an officer of the post accepts by booking one of the post's appointment slots (the
same slots as expedite approvals, claimed by ``appointments.booking.slot_claim``) or declines with a reason.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from phonenumber_field.modelfields import PhoneNumberField

from consular_portal.models import Post
from consular_portal.review.models import InvalidTransition, ReviewedSubmission, ReviewEvent, status_field

from .. import appointment_emails, in_person_emails
from .slots import AppointmentSlot

DETAILS_MAX = 2000

__all__ = ["InPersonDeclineReason", "InPersonReason", "InPersonRequest", "InPersonRequestEvent", "InPersonUrgency"]


class InPersonReason(models.TextChoices):
    """The services the seed names as needing a visit."""

    STATUS_PROOF = "status_proof", _("Proof of my immigration status, to work or to travel")
    SATISFACTORY_DEPARTURE = "satisfactory_departure", _(
        "My authorised period of stay is about to expire and I need to show satisfactory departure")
    EMERGENCY_TRAVEL = "emergency_travel", _("An emergency travel document")


class InPersonUrgency(models.TextChoices):
    STANDARD = "standard", _("Within the next few weeks")
    URGENT = "urgent", _("Urgent: I must travel or my stay ends within 7 days")


# Business days within which the officers answer, by urgency.
ANSWER_DAYS = {InPersonUrgency.STANDARD: 3, InPersonUrgency.URGENT: 1}


class InPersonDeclineReason(models.TextChoices):
    NOT_NEEDED = "not_needed", _("This service does not need an in-person appointment: see the post's website.")
    OTHER_POST = "other_post", _("Another embassy or consulate handles this: contact it.")
    NO_SPACE = "no_space", _("No appointment is available on the dates you gave: please send a new request.")
    OTHER = "other", _("Other (explained below).")


class InPersonRequest(ReviewedSubmission):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        BOOKED = "booked", _("appointment booked")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")
        CANCELLED = "cancelled", _("appointment cancelled by the post")

    TRANSITIONS = {
        Status.SUBMITTED: (Status.BOOKED, Status.DECLINED, Status.WITHDRAWN),
        Status.BOOKED: (Status.WITHDRAWN, Status.CANCELLED),  # the appointment given up or cancelled
        Status.DECLINED: (),
        Status.WITHDRAWN: (),
        Status.CANCELLED: (),
    }
    SETTLED = (Status.BOOKED,)
    APPOINTMENT_STATUS = Status.BOOKED  # the status in which the request holds a place in its slot

    post = models.ForeignKey(
        Post, verbose_name=pgettext_lazy("embassy or consulate", "post"), on_delete=models.PROTECT,
        related_name="in_person_requests",
    )
    status = status_field(Status, default=Status.SUBMITTED)
    reason = models.CharField(_("reason"), max_length=30, choices=InPersonReason.choices)
    details = models.TextField(_("details"), max_length=DETAILS_MAX)
    urgency = models.CharField(_("urgency"), max_length=10, choices=InPersonUrgency.choices)
    preferred_from = models.DateField(_("can come from"))
    preferred_until = models.DateField(_("can come until"))
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("email"))
    phone = PhoneNumberField(_("phone"))
    language = models.CharField(_("language"), max_length=10, default="en")
    link_version = models.PositiveSmallIntegerField(_("applicant link version"), default=0, editable=False)

    slot = models.ForeignKey(
        AppointmentSlot, verbose_name=_("appointment"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="in_person_requests",
    )
    decline_reason = models.CharField(_("reason for declining"), max_length=20,
                                      choices=InPersonDeclineReason.choices, blank=True)
    decision_note = models.TextField(_("note to the applicant"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("in-person appointment request")
        verbose_name_plural = _("in-person appointment requests")
        ordering = ["promised_by", "created_at"]
        permissions = [("decide_inpersonrequest", _("Can decide in-person appointment requests"))]
        indexes = [
            models.Index(fields=["post", "status", "promised_by", "created_at"], name="in_person_queue_idx"),
            models.Index(fields=["status", "promised_by"], name="in_person_overdue_idx"),
            models.Index(fields=["reason", "status"], name="in_person_reason_idx"),
            models.Index(fields=["urgency", "status"], name="in_person_urgency_idx"),
        ]

    def keep_decline_reason(self, *, reason, note):
        if reason not in InPersonDeclineReason.values or (reason == InPersonDeclineReason.OTHER and not note.strip()):
            raise InvalidTransition("declining needs a reason")
        self.decline_reason, self.decision_note = reason, note.strip()

    def emails_for(self, previous, to):
        """The applicant hears of the decision, either way, of a withdrawal (the officers too) and of a cancelled
        appointment."""
        if to in (self.Status.BOOKED, self.Status.DECLINED):
            in_person_emails.send_decision(self)
        elif to in (self.Status.WITHDRAWN, self.Status.CANCELLED):
            appointment_emails.send_change(self, previous=previous)


class InPersonRequestEvent(ReviewEvent):
    request = models.ForeignKey(InPersonRequest, verbose_name=_("request"), on_delete=models.CASCADE,
                                related_name="events")

    class Meta:
        ordering = ["request", "created_at", "pk"]
        verbose_name = _("in-person request event")
        verbose_name_plural = _("in-person request events")

    def __str__(self):
        return f"{self.request} {self.from_status or '∅'} → {self.to_status}"

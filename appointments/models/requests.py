"""An applicant's request for an expedited interview, its group members, proof and decision history."""

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from phonenumber_field.modelfields import PhoneNumberField

from consular_portal.models import Post, TimeStamped
from consular_portal.review.models import InvalidTransition, ReviewedSubmission, ReviewEvent, status_field
from consular_portal.text import mask_identifier

from .. import appointment_emails, emails
from .policy import ExpediteCategory, VisaClass
from .slots import AppointmentSlot

OPEN = Q(status__in=["submitted", "under_review"])  # ExpediteRequest.open_statuses(), for its indexes

JUSTIFICATION_MAX = 4000

__all__ = ["ExpediteRequest", "GroupMember", "InvalidTransition", "RefusalReason", "RequestEvent",
           "SupportingDocument"]


class RefusalReason(models.TextChoices):
    NOT_URGENT = "not_urgent", _("The reason given does not qualify for an expedited appointment.")
    NO_PROOF = "no_proof", _("The proof sent does not support the request.")
    OUTSIDE_DISTRICT = "outside_district", _("The applicant does not reside in this post's consular district.")
    RECENT_REFUSAL = "recent_refusal", _("The applicant was refused a visa recently.")
    RENEWAL_ELIGIBLE = "renewal_eligible", _("The applicant can use the visa renewal programme.")
    PREVIOUS_EXPEDITE = "previous_expedite", _("The applicant or organisation already had an expedited appointment.")
    NO_SPACE = "no_space", _("No earlier appointment is available before the travel date.")
    OTHER = "other", _("Other (explained below).")


def document_path(instance, filename):
    """Random names only: nothing of the applicant's file name reaches the disk."""
    return f"expedite/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{instance.extension}"


class ExpediteRequest(ReviewedSubmission):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        UNDER_REVIEW = "under_review", _("under review")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")
        WITHDRAWN = "withdrawn", _("withdrawn")
        CANCELLED = "cancelled", _("appointment cancelled by the post")

    class PreviousVisa(models.TextChoices):
        NONE = "none", _("No previous US visa application")
        ISSUED = "issued", _("Issued")
        REFUSED = "refused", _("Refused")

    TRANSITIONS = {
        Status.SUBMITTED: (Status.UNDER_REVIEW, Status.APPROVED, Status.REFUSED, Status.WITHDRAWN),
        Status.UNDER_REVIEW: (Status.APPROVED, Status.REFUSED, Status.WITHDRAWN),
        Status.APPROVED: (Status.WITHDRAWN, Status.CANCELLED),  # the appointment given up or cancelled
        Status.REFUSED: (),
        Status.WITHDRAWN: (),
        Status.CANCELLED: (),
    }
    SETTLED = (Status.APPROVED,)
    APPOINTMENT_STATUS = Status.APPROVED  # the status in which the request holds a place in its slot
    OPEN = (Status.SUBMITTED, Status.UNDER_REVIEW)  # open_statuses(), as the constraint below lists them

    post = models.ForeignKey(  # the reverse name it always had
        Post, verbose_name=pgettext_lazy("embassy or consulate", "post"),
        on_delete=models.PROTECT, related_name="expedite_requests",
    )
    category = models.ForeignKey(
        ExpediteCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="requests"
    )
    status = status_field(Status, default=Status.SUBMITTED, verbose_name=pgettext_lazy("expedite request", "status"))
    language = models.CharField(_("language"), max_length=10, default="en")
    is_group = models.BooleanField(_("group request"), default=False)
    submission_key = models.UUIDField(_("submission key"), unique=True, editable=False)
    site_url = models.URLField(_("site the request came from"), max_length=200, blank=True, editable=False)
    link_version = models.PositiveSmallIntegerField(
        _("applicant link version"), default=0, editable=False,
        help_text=_("Signed into the applicant's link: a new link raises it and the older links stop working."),
    )

    full_name = models.CharField(_("full name"), max_length=200)
    date_of_birth = models.DateField(_("date of birth"))
    passport_number = models.CharField(_("passport number"), max_length=20)
    visa_class = models.CharField(_("visa class"), max_length=10, choices=VisaClass.choices)
    interview_at = models.DateTimeField(_("original interview"), null=True, blank=True)
    appointment_number = models.CharField(_("appointment number"), max_length=40, blank=True)
    previous_visa = models.CharField(
        _("most recent US visa application"), max_length=10, choices=PreviousVisa.choices, default=PreviousVisa.NONE
    )
    previous_visa_date = models.DateField(_("date of that decision"), null=True, blank=True)
    previous_visa_place = models.CharField(_("where"), max_length=120, blank=True)
    previous_visa_class = models.CharField(_("which class"), max_length=10, choices=VisaClass.choices, blank=True)
    previous_visas_notes = models.TextField(_("other previous US visas"), max_length=1000, blank=True)
    ds160_number = models.CharField(_("DS-160 confirmation number"), max_length=10)
    justification = models.TextField(_("justification"), max_length=JUSTIFICATION_MAX)
    phone = PhoneNumberField(_("phone"))
    email = models.EmailField(_("email"))
    residence_region = models.CharField(_("region of residence"), max_length=10, blank=True)
    residence_places = models.TextField(_("places of residence, past 6 months"), max_length=1000, blank=True)
    work_places = models.TextField(_("places of work, past 6 months"), max_length=1000, blank=True)
    resided_in_district = models.BooleanField(_("lived in the district for the required months"), default=False)
    travel_date = models.DateField(_("intended travel date"))
    program_start_date = models.DateField(_("programme start date"), null=True, blank=True)
    excluded_purposes = models.JSONField(_("also travelling for"), default=list, blank=True)
    renewal_eligible = models.BooleanField(_("eligible for the renewal programme"), default=False)
    previous_expedite_declared = models.BooleanField(_("had an expedited appointment before"), default=False)
    us_company_request = models.BooleanField(_("requested by a US company"), default=False)
    category_confirmed = models.BooleanField(_("category statement confirmed"), default=False)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    organiser_name = models.CharField(_("group organiser"), max_length=200, blank=True)
    organiser_phone = PhoneNumberField(_("organiser's phone"), blank=True)
    organiser_email = models.EmailField(_("organiser's email"), blank=True)

    previous_expedite_flag = models.BooleanField(_("earlier expedite"), default=False)
    slot = models.ForeignKey(
        AppointmentSlot,
        verbose_name=_("appointment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    refusal_reason = models.CharField(_("refusal reason"), max_length=30, choices=RefusalReason.choices, blank=True)
    decision_note = models.TextField(_("note to the applicant"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("expedite request")
        verbose_name_plural = _("expedite requests")
        ordering = ["travel_date", "created_at"]
        permissions = [("decide_expediterequest", _("Can decide expedite requests"))]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "passport_number", "appointment_number"],
                condition=OPEN,
                name="expedite_one_open_request_per_appointment",
            )
        ]
        indexes = [
            models.Index(fields=["post", "status", "travel_date", "created_at"], name="expedite_queue_idx"),
            # The queue (open requests, most urgent first) and its category filter read their page from these.
            models.Index(fields=["post", "travel_date", "created_at"], condition=OPEN, name="expedite_open_idx"),
            models.Index(fields=["category", "travel_date", "created_at"], condition=OPEN,
                         name="expedite_open_category_idx"),
            # The dashboard's weeks, received and decided at a post: read from the index alone.
            models.Index(fields=["post", "created_at"], include=["category"], name="expedite_received_idx"),
            models.Index(fields=["post", "decided_at"], include=["created_at", "promised_by", "status", "decided_by",
                                                                 "category"], name="expedite_decided_idx"),
            models.Index(fields=["status", "promised_by"], name="expedite_overdue_idx"),
            models.Index(fields=["category", "status"], name="expedite_category_idx"),
            models.Index(fields=["is_group", "status"], name="expedite_group_idx"),
            models.Index(fields=["travel_date"], name="expedite_travel_idx"),
            models.Index(fields=["passport_number"], name="expedite_passport_idx"),
            models.Index(fields=["organisation"], name="expedite_organisation_idx"),
        ]

    @property
    def masked_passport(self):
        return mask_identifier(self.passport_number)

    @classmethod
    def overdue(cls, *, post, today=None):
        return super().overdue(post=post, today=today).select_related("category")

    def keep_refusal_reason(self, *, reason, note):
        if not reason or (reason == RefusalReason.OTHER and not note.strip()):
            raise InvalidTransition("a refusal needs a reason")
        self.refusal_reason, self.decision_note = reason, note

    def emails_for(self, previous, to):
        """The applicant hears of a decision, of a withdrawal (the officers too) and of a cancelled appointment;
        not of the review starting."""
        if to in (self.Status.APPROVED, self.Status.REFUSED):
            emails.send_decision(self)
        elif to in (self.Status.WITHDRAWN, self.Status.CANCELLED):
            appointment_emails.send_change(self, previous=previous)

    def link_renew(self):
        """Revoke every link made so far: the next link made carries the new version."""
        self.link_version += 1


class GroupMember(TimeStamped):
    request = models.ForeignKey(ExpediteRequest, verbose_name=_("request"), on_delete=models.CASCADE,
                                related_name="members")
    full_name = models.CharField(_("full name"), max_length=200)
    date_of_birth = models.DateField(_("date of birth"))
    passport_number = models.CharField(_("passport number"), max_length=20, blank=True)
    ds160_number = models.CharField(_("DS-160 confirmation number"), max_length=10)
    previous_visas = models.CharField(_("previous US visas (when, where, class)"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["request", "order"]
        verbose_name = _("group member")
        verbose_name_plural = _("group members")

    def __str__(self):
        return self.full_name


class SupportingDocument(TimeStamped):
    """Proof sent with a request, stored under a random name and opened only by staff."""

    EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}

    request = models.ForeignKey(ExpediteRequest, verbose_name=_("request"), on_delete=models.CASCADE,
                                related_name="documents")
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("original name"), max_length=120)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    pages = models.PositiveSmallIntegerField(_("pages"), default=1)
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        ordering = ["request", "pk"]
        verbose_name = _("supporting document")
        verbose_name_plural = _("supporting documents")

    def __str__(self):
        return self.original_name

    @property
    def extension(self):
        return self.EXTENSIONS.get(self.content_type, ".bin")


class RequestEvent(ReviewEvent):
    """Every status change of a request: who, when, from what to what."""

    request = models.ForeignKey(ExpediteRequest, verbose_name=_("request"), on_delete=models.CASCADE,
                                related_name="events")

    class Meta:
        ordering = ["request", "created_at", "pk"]
        verbose_name = _("request event")
        verbose_name_plural = _("request events")

    def __str__(self):
        return f"{self.request} {self.from_status or '∅'} → {self.to_status}"

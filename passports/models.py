"""Where an applicant's passport is after the interview: one row per passport and case at a post."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from consular_portal.text import mask_identifier as mask
from consular_portal.tracking.models import ImportJobBase, SubscriptionBase, TrackedItem, TrackingEventBase

from .delivery import Delivery, reference_new
from .numbers import (
    letter_pack_url,
    normalise_passport_number,
    validate_letter_pack_number,
    validate_passport_number,
)
from .statuses import TRANSITIONS, Status

validate_postal_code = RegexValidator(r"^[0-9]{3}-[0-9]{4}\Z", _("Enter a postal code in the form 123-4567."))


class PassportTracking(TrackedItem):
    """A passport on its way back to its holder. ``key`` is the passport number, normalised; ``case`` tells
    two trips of the same passport at one post apart (the appointment or case number, may be empty)."""

    Status = Status
    TRANSITIONS = TRANSITIONS

    Delivery = Delivery

    key = models.CharField(_("passport number"), max_length=20, validators=[validate_passport_number])
    case = models.CharField(_("case"), max_length=40, blank=True, default="",
                            help_text=_("The appointment or case number, when a passport travels more than once."))
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.AT_POST)
    delivery = models.CharField(_("delivery method"), max_length=20, choices=Delivery.choices,
                                default=Delivery.LETTER_PACK)
    letter_pack_number = models.CharField(_("Letter Pack number"), max_length=12, blank=True,
                                          validators=[validate_letter_pack_number])
    interview_date = models.DateField(
        _("interview date"), null=True, blank=True,
        help_text=_("The date at the post. The applicant may change the delivery until the end of this day."))
    postal_code = models.CharField(_("postal code"), max_length=8, blank=True, db_default="",
                                   validators=[validate_postal_code])
    prefecture = models.CharField(_("prefecture"), max_length=40, blank=True, db_default="")
    address_line1 = models.CharField(_("address"), max_length=200, blank=True, db_default="")
    address_line2 = models.CharField(_("building, room"), max_length=200, blank=True, db_default="")
    pickup_office = models.CharField(_("pickup post office"), max_length=120, blank=True, db_default="")
    reference = models.CharField(_("reference"), max_length=20, unique=True, default=reference_new, editable=False,
                                 help_text=_("Names this passport in the applicant's delivery link."))
    link_version = models.PositiveSmallIntegerField(
        _("applicant link version"), default=0, db_default=0, editable=False,
        help_text=_("Signed into the applicant's link: a new link raises it and the older links stop working."),
    )

    class Meta:
        verbose_name = _("passport tracking")
        verbose_name_plural = _("passport tracking")
        ordering = ["-status_changed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "key", "case"], name="passport_tracking_unique_case"),
        ]
        indexes = [
            models.Index(fields=["key", "-status_changed_at"], name="passport_key_idx"),
            models.Index(fields=["letter_pack_number"], name="passport_letter_pack_idx"),
            # Passport staff's list (latest change first), whole and by status.
            models.Index(fields=["post", "-status_changed_at", "-id"], name="passport_post_changed_idx"),
            models.Index(fields=["post", "status", "-status_changed_at", "-id"], name="passport_status_changed_idx"),
        ]

    def __str__(self):
        return mask(self.key)

    def clean_fields(self, exclude=None):
        """Numbers are normalised before they are checked (full-width, spaces and hyphens as typed)."""
        self.key = normalise_passport_number(self.key)
        self.letter_pack_number = normalise_passport_number(self.letter_pack_number)
        super().clean_fields(exclude)

    @property
    def masked_number(self):
        return mask(self.key)

    def link_renew(self):
        """Revoke every delivery link made so far: the next link made carries the new version."""
        self.link_version += 1

    @property
    def letter_pack_url(self):
        return letter_pack_url(self.letter_pack_number)

    def alert_context(self):
        """What an alert says of this passport, in the active language: the status as the lookup page says
        it (masked number, meaning, advice), nothing about the person."""
        from .lookup import answer_for

        return {"answer": answer_for(self)}


class TrackingEvent(TrackingEventBase):
    item = models.ForeignKey(PassportTracking, verbose_name=_("passport tracking"), on_delete=models.CASCADE,
                             related_name="events")
    status = models.CharField(_("status"), max_length=30, choices=Status.choices)

    class Meta(TrackingEventBase.Meta):
        verbose_name = _("tracking event")
        verbose_name_plural = _("tracking events")
        indexes = [models.Index(fields=["item", "-changed_at"], name="passport_event_item_idx")]


class PassportSubscription(SubscriptionBase):
    """An address alerted when this passport's status changes (``consular_portal.tracking.alerts``), and
    reminded once before a passport waiting for pickup is sent back (``passports.alerts``)."""

    item = models.ForeignKey(PassportTracking, verbose_name=_("passport tracking"), on_delete=models.CASCADE,
                             related_name="subscriptions")
    pickup_reminded_at = models.DateTimeField(_("pickup reminder sent"), null=True, blank=True)

    url_names = {"confirm": "passports:subscription_confirm", "unsubscribe": "passports:unsubscribe"}
    email_templates = {"confirm": "passport_alert_confirm", "alert": "passport_status_alert",
                       "pickup_reminder": "passport_pickup_reminder"}

    class Meta(SubscriptionBase.Meta):
        verbose_name = _("passport status subscription")
        verbose_name_plural = _("passport status subscriptions")
        constraints = [
            models.UniqueConstraint(Lower("email"), "item", name="passport_subscription_unique_email"),
        ]
        indexes = [models.Index(fields=["item", "confirmed_at"], name="passport_subscription_item_idx")]


class PassportImport(ImportJobBase):
    """An uploaded CSV file of the delivery service (format: ``passports.imports``)."""

    class Meta(ImportJobBase.Meta):
        verbose_name = _("passport status import")
        verbose_name_plural = _("passport status imports")

    def read_rows(self):
        from . import imports

        with self.file.open("rb") as handle:
            return imports.read(handle.read())

    def check_rows(self, rows):
        from . import imports

        return imports.check(rows, self.post)

    def apply_rows(self, rows):
        from . import imports

        return imports.apply(rows, self.post, actor=self.uploaded_by, note=_("Import %(id)s") % {"id": self.pk})

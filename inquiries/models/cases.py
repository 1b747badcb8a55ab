"""A case found by its receipt number: its status, what the status means, its history, the addresses
alerted when it changes and the CSV imports that update many at once (the tracking shape of
``consular_portal.tracking``, as passports use it)."""

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from consular_portal.tracking.models import ImportJobBase, SubscriptionBase, TrackedItem, TrackingEventBase

from ..case_statuses import TRANSITIONS, CaseStatus
from ..receipts import mask_receipt_number, normalise_receipt_number, validate_receipt_number


class Case(TrackedItem):
    """A case at a post. ``key`` is its receipt number, normalised; ``service`` names the form or visa
    category as the post's processing times do, so the status page can show the time that applies."""

    Status = CaseStatus
    TRANSITIONS = TRANSITIONS

    key = models.CharField(_("receipt number"), max_length=13, validators=[validate_receipt_number])
    status = models.CharField(_("status"), max_length=30, choices=CaseStatus.choices, default=CaseStatus.RECEIVED)
    service = models.CharField(
        _("service"), max_length=60, blank=True,
        help_text=_("The form or visa category, written as in the post's processing times (for example I-130)."))

    class Meta:
        verbose_name = _("case status")
        verbose_name_plural = _("case statuses")
        ordering = ["-status_changed_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["post", "key"], name="case_unique_receipt_number")]
        indexes = [
            models.Index(fields=["key", "-status_changed_at"], name="case_key_idx"),
            models.Index(fields=["post", "status"], name="case_post_status_idx"),
        ]

    def __str__(self):
        return self.masked_number

    def clean_fields(self, exclude=None):
        """The receipt number is normalised before it is checked (spaces and dashes as typed)."""
        self.key = normalise_receipt_number(self.key)
        super().clean_fields(exclude)

    @property
    def masked_number(self):
        return mask_receipt_number(self.key)

    def alert_context(self):
        """What an alert says of this case, in the active language: the status as the status page says it
        (masked number, meaning, advice), nothing about the person."""
        from ..case_lookup import answer_for

        return {"answer": answer_for(self)}


class CaseEvent(TrackingEventBase):
    item = models.ForeignKey(Case, verbose_name=_("case status"), on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=30, choices=CaseStatus.choices)

    class Meta(TrackingEventBase.Meta):
        verbose_name = _("case status event")
        verbose_name_plural = _("case status events")
        indexes = [models.Index(fields=["item", "-changed_at"], name="case_event_item_idx")]


class CaseSubscription(SubscriptionBase):
    """An address alerted when this case's status changes (``consular_portal.tracking.alerts``)."""

    item = models.ForeignKey(Case, verbose_name=_("case status"), on_delete=models.CASCADE,
                             related_name="subscriptions")

    reference_prefix = "CA"
    url_names = {"confirm": "cases:subscription_confirm", "unsubscribe": "cases:unsubscribe"}
    email_templates = {"confirm": "case_alert_confirm", "alert": "case_status_alert"}

    class Meta(SubscriptionBase.Meta):
        verbose_name = _("case status subscription")
        verbose_name_plural = _("case status subscriptions")
        constraints = [models.UniqueConstraint(Lower("email"), "item", name="case_subscription_unique_email")]
        indexes = [models.Index(fields=["item", "confirmed_at"], name="case_subscription_item_idx")]


class CaseImport(ImportJobBase):
    """An uploaded CSV file of case statuses for one post (format: ``inquiries.case_imports``)."""

    class Meta(ImportJobBase.Meta):
        verbose_name = _("case status import")
        verbose_name_plural = _("case status imports")

    def read_rows(self):
        from .. import case_imports

        with self.file.open("rb") as handle:
            return case_imports.read(handle.read())

    def check_rows(self, rows):
        from .. import case_imports

        return case_imports.check(rows, self.post)

    def preview_rows(self, rows):
        from .. import case_imports

        return case_imports.preview(rows, self.post)

    def apply_rows(self, rows):
        from .. import case_imports

        return case_imports.apply(rows, self.post, actor=self.uploaded_by,
                                  note=_("Import %(id)s") % {"id": self.pk})

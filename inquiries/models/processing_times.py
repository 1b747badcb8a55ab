"""Processing times a post publishes: per service (a visa category or a form), the time within which most
cases are completed, the case inquiry date and when the figures were last updated."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from consular_portal.models import Post, TimeStamped


class ProcessingTime(TimeStamped):
    class Unit(models.TextChoices):
        DAYS = "days", _("days")
        WEEKS = "weeks", _("weeks")
        MONTHS = "months", _("months")

    post = models.ForeignKey(Post, verbose_name=pgettext_lazy("embassy or consulate", "post"),
                             on_delete=models.PROTECT, related_name="processing_times")
    service = models.CharField(
        _("service"), max_length=60,
        help_text=_("The visa category or form, as applicants know it (for example B1/B2 or I-130)."))
    completed_within = models.PositiveSmallIntegerField(
        _("most cases completed within"), help_text=_("The time within which most cases are completed."))
    unit = models.CharField(_("unit"), max_length=6, choices=Unit.choices, default=Unit.MONTHS)
    case_inquiry_date = models.DateField(
        _("case inquiry date"),
        help_text=_("An inquiry about a case is accepted if the case was received before this date."))
    updated_on = models.DateField(_("figures updated"), default=timezone.localdate)

    class Meta:
        verbose_name = _("processing time")
        verbose_name_plural = _("processing times")
        ordering = ["post__name", "service"]
        constraints = [models.UniqueConstraint(fields=["post", "service"], name="processing_time_unique_service")]
        indexes = [models.Index(fields=["service"], name="processing_time_service_idx")]

    def __str__(self):
        return f"{self.service} ({self.post})"

    @property
    def duration(self):
        """"6 months", in the active language."""
        count = self.completed_within
        return {
            self.Unit.DAYS: ngettext("%(count)d day", "%(count)d days", count),
            self.Unit.WEEKS: ngettext("%(count)d week", "%(count)d weeks", count),
            self.Unit.MONTHS: ngettext("%(count)d month", "%(count)d months", count),
        }[self.unit] % {"count": count}

    def accepts_inquiry(self, received_on):
        """Whether a case received on ``received_on`` may be asked about now."""
        return received_on < self.case_inquiry_date

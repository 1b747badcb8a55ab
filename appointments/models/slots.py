from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from consular_portal.models import Post, TimeStamped


class AppointmentSlot(TimeStamped):
    """Interview times a post offers to approved requests; ``booked`` never exceeds ``capacity``."""

    post = models.ForeignKey(
        Post, verbose_name=pgettext_lazy("embassy or consulate", "post"),
        on_delete=models.CASCADE, related_name="slots",
    )
    starts_at = models.DateTimeField(_("starts at"))
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=1)
    booked = models.PositiveSmallIntegerField(_("booked"), default=0)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("appointment slot")
        verbose_name_plural = _("appointment slots")
        constraints = [
            models.UniqueConstraint(fields=["post", "starts_at"], name="slot_post_time_unique"),
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="slot_never_over_capacity"),
        ]
        indexes = [models.Index(fields=["post", "starts_at"], name="slot_post_time_idx")]

    def __str__(self):
        local = self.starts_at.astimezone(self.post.tz)
        return f"{local:%Y-%m-%d %H:%M} ({self.remaining}/{self.capacity})"

    @property
    def remaining(self):
        return max(self.capacity - self.booked, 0)

    @property
    def is_full(self):
        return self.booked >= self.capacity

    def local_start(self):
        return self.starts_at.astimezone(self.post.tz)

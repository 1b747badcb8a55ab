"""The abstract submission under review and its history of status changes."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from consular_portal.models import Post, TimeStamped


class InvalidTransition(Exception):
    """The submission's status does not allow this change."""


def status_field(choices, *, default, verbose_name=None):
    """The ``status`` column of a concrete submission, with its own choices."""
    return models.CharField(verbose_name or _("status"), max_length=20, choices=choices.choices, default=default)


class ReviewedSubmission(TimeStamped):
    """Something an applicant sends to one post, reviewed and decided there by an officer.

    The concrete model declares ``TRANSITIONS`` (every status: the statuses it may move to; a status with
    none is a decision), narrows ``status`` with ``status_field(Status, default=...)``, gives its event
    model a foreign key with ``related_name="events"`` and says in ``emails_for`` which emails a change
    queues. ``move`` changes only the object; ``transitions.transition`` locks, saves, records and mails.
    """

    TRANSITIONS = {}
    # Decisions that may still change afterwards (an approved appointment withdrawn, cancelled): they have
    # moves in TRANSITIONS but are not open, so they leave the queue and are never overdue.
    SETTLED = ()

    reference = models.CharField(_("reference"), max_length=16, unique=True, editable=False)
    post = models.ForeignKey(
        Post, verbose_name=pgettext_lazy("embassy or consulate", "post"), on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_set",
    )
    status = models.CharField(_("status"), max_length=20)
    promised_by = models.DateField(_("answer promised by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.reference

    @classmethod
    def open_statuses(cls):
        """The statuses an officer still has something to decide in: those with a way out."""
        return tuple(status for status, moves in cls.TRANSITIONS.items() if moves and status not in cls.SETTLED)

    @property
    def is_open(self):
        return self.status in self.open_statuses()

    def is_overdue(self, today=None):
        today = today or self.post.local_today()
        return self.is_open and today > self.promised_by

    def allowed_transitions(self):
        return tuple(self.TRANSITIONS.get(self.status, ()))

    def move(self, to, *, actor=None):
        """Change the status to ``to`` if allowed from the current one; a move that closes the submission
        records who decided it and when (a later change of a settled decision keeps them). Returns the previous
        status."""
        if to not in self.allowed_transitions():
            raise InvalidTransition(f"{self.reference}: {self.status} → {to} is not allowed")
        was_open = self.is_open
        previous, self.status = self.status, to
        if was_open and not self.is_open:
            self.decided_by, self.decided_at = actor, timezone.now()
        return previous

    @classmethod
    def overdue(cls, *, post, today=None):
        """The open submissions of ``post`` past the answer date promised."""
        today = today or post.local_today()
        return cls.objects.filter(post=post, status__in=cls.open_statuses(), promised_by__lt=today).order_by(
            "promised_by", "created_at")

    def emails_for(self, previous, to):
        """Queue the emails that the change from ``previous`` to ``to`` sends (inside its transaction)."""


class ReviewEvent(TimeStamped):
    """One status change of a submission: who, when, from what to what. The concrete event adds the foreign
    key to its submission, with ``related_name="events"``."""

    from_status = models.CharField(pgettext_lazy("status change", "from"), max_length=20, blank=True)
    to_status = models.CharField(pgettext_lazy("status change", "to"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        abstract = True

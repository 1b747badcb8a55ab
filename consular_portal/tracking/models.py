"""The abstract tracked item, its history of events and the CSV import job that updates many at once."""

from importlib import import_module

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from consular_portal.models import Post, TimeStamped


class TrackedItem(TimeStamped):
    """One tracked thing at one post, found by its normalised ``key`` (``text.normalise_identifier``).

    The concrete model narrows ``status`` with its own choices (and may give ``key`` its own label) and
    declares ``TRANSITIONS = {status: (statuses that may follow it), ...}``: staff are offered, and
    ``changes.tracking_change`` and imports accept, only those (keeping the status, with a note, always).
    ``status_changed`` is the hook a change calls inside its transaction (subscribers' alerts are queued
    there, through the outbox)."""

    TRANSITIONS = {}

    post = models.ForeignKey(
        Post, verbose_name=pgettext_lazy("embassy or consulate", "post"), on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_set",
    )
    key = models.CharField(_("number"), max_length=40)
    status = models.CharField(pgettext_lazy("tracking", "status"), max_length=30)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.key

    @classmethod
    def may_follow(cls, previous, status):
        """Whether ``status`` may follow ``previous`` (the same status may always be kept)."""
        return status == previous or status in cls.TRANSITIONS.get(previous, ())

    def next_statuses(self):
        """The statuses this item may move to from its current one, in the order of its choices."""
        allowed = self.TRANSITIONS.get(self.status, ())
        return tuple(value for value, _label in type(self)._meta.get_field("status").choices if value in allowed)

    def status_changed(self, event, previous):
        """Called by ``tracking_change`` in its transaction after ``event`` is recorded. Subscribers of this
        item are alerted here: one outbox email per subscriber (``consular_portal.outbox.queue_email``),
        written in the same transaction, so an alert goes out exactly when the change is kept. A note that
        keeps the status alerts nobody."""
        if event.status != previous:
            from .alerts import alerts_queue

            alerts_queue(item=self)


class TrackingEventBase(TimeStamped):
    """One change of a tracked item: the status it moved to (or kept, for a note), when, by whom, and why.
    The concrete event adds ``item = ForeignKey(<item>, related_name="events")``."""

    status = models.CharField(pgettext_lazy("tracking", "status"), max_length=30)
    changed_at = models.DateTimeField(pgettext_lazy("tracking event", "when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        abstract = True
        ordering = ["-changed_at", "-pk"]


class SubscriptionBase(TimeStamped):
    """An email address that asked to hear of a tracked item's status changes (``alerts``).

    Double opt-in: a new subscription is unconfirmed and gets nothing but the confirmation email; once
    confirmed it gets one alert per status change, each with a one-click unsubscribe link, until it
    unsubscribes. Links are signed (``consular_portal.access``) with the ``reference``; subscribing again
    moves ``link_version`` on, so older links stop working. The concrete model adds
    ``item = ForeignKey(<item>, related_name="subscriptions")`` and names its pages in ``url_names``
    (``{"confirm": …, "unsubscribe": …}``) and its emails in ``email_templates`` (``{"confirm": …,
    "alert": …}``)."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    email = models.EmailField(_("email address"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    link_version = models.PositiveIntegerField(_("link version"), default=0, editable=False)

    reference_prefix = "AL"
    url_names = {}
    email_templates = {}

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self):
        return self.reference

    @property
    def active(self):
        return self.confirmed_at is not None and self.unsubscribed_at is None


class ImportJobBase(TimeStamped):
    """One uploaded CSV file of status updates for one post, processed by a worker in two steps.

    First the worker checks the file: it reads the rows, checks them in chunks (``rows_done`` of
    ``rows_total`` is the progress a page shows) and counts what applying would create, update and leave
    unchanged, writing nothing but the job: the job is then ready to apply, and its page shows this preview.
    Staff apply it (once: ``imports.import_apply``) or cancel it. Applying checks the file again and applies
    every valid row in one transaction, keeping the counts of what it did. Rejected rows are kept with their
    line numbers and reasons, so staff can download them, correct them and upload again.

    The concrete job gives ``imports.run_import`` three methods: ``read_rows()`` → [(line number, {column:
    value})] of the file; ``check_rows(rows)`` → (valid rows, rejected [{"line", "row", "reasons"}]) for one
    chunk; ``apply_rows(rows)`` → {"updated", "created", "unchanged"}, inside the caller's transaction. The
    counts of ``apply_rows`` and ``preview_rows`` may hold "rejected": rows refused against the database (a
    status that may not follow the item's current one, ``TrackedItem.TRANSITIONS``), in the same form as the
    rejected rows of ``check_rows``; they are counted and kept with those."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("import", "queued")
        CHECKING = "checking", pgettext_lazy("import", "checking")
        READY = "ready", pgettext_lazy("import", "ready to apply")
        APPROVED = "approved", pgettext_lazy("import", "queued to apply")
        RUNNING = "running", pgettext_lazy("import", "applying")
        DONE = "done", pgettext_lazy("import", "done")
        FAILED = "failed", pgettext_lazy("import", "failed")
        CANCELLED = "cancelled", pgettext_lazy("import", "cancelled")

    IN_PROGRESS = (Status.QUEUED, Status.CHECKING, Status.APPROVED, Status.RUNNING)

    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    post = models.ForeignKey(
        Post, verbose_name=pgettext_lazy("embassy or consulate", "post"), on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_set",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    status = models.CharField(pgettext_lazy("import", "status"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    updated = models.PositiveIntegerField(pgettext_lazy("import count", "updated"), default=0)
    created = models.PositiveIntegerField(pgettext_lazy("import count", "created"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    rejected_rows = models.JSONField(
        _("rejected rows"), default=list, blank=True,
        help_text=_('Each rejected row: {"line": …, "row": {column: value}, "reasons": […]}.'),
    )
    error = models.TextField(_("error"), blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("applied by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file.name} ({self.get_status_display()})"

    @property
    def progress_percent(self):
        return 100 if not self.rows_total else min(100, self.rows_done * 100 // self.rows_total)

    @property
    def in_progress(self):
        """Whether the worker has yet to check or apply the file (its page reloads itself meanwhile)."""
        return self.status in self.IN_PROGRESS

    @property
    def valid_rows(self):
        return max(0, self.rows_total - self.rejected)

    def preview_rows(self, rows):
        """What the concrete job's ``apply_rows`` would do with the valid rows, writing nothing: {"updated",
        "created", "unchanged"} (and "rejected", as ``apply_rows``). By default the ``preview(rows, post)``
        of the tracking app's ``imports`` module."""
        return import_module(f"{self._meta.app_config.name}.imports").preview(rows, self.post)

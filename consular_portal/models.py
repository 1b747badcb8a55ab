import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


def validate_contact_hours(value):
    """Hours are a list of {"days": [0..6], "opens": "HH:MM", "closes": "HH:MM"} (0 is Monday)."""
    if not isinstance(value, list):
        raise ValidationError(_("Contact hours must be a list."))
    for item in value:
        try:
            days, opens, closes = item["days"], item["opens"], item["closes"]
            ok = all(d in range(7) for d in days) and len(opens) == 5 and len(closes) == 5 and opens < closes
        except (KeyError, TypeError):
            ok = False
        if not ok:
            raise ValidationError(_('Each entry needs "days" (0 = Monday), "opens" and "closes" as HH:MM.'))


class Post(TimeStamped):
    """An embassy or consulate: where applicants apply and whose staff answer them."""

    class Kind(models.TextChoices):
        EMBASSY = "embassy", _("Embassy")
        CONSULATE_GENERAL = "consulate_general", _("Consulate General")
        CONSULATE = "consulate", _("Consulate")

    class Service(models.TextChoices):
        EXPEDITE = "expedite", _("Emergency and expedited interview requests")
        PASSPORT_TRACKING = "passport_tracking", _("Passport tracking")
        STATUS_INQUIRY = "status_inquiry", _("Visa application status inquiries")

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 code, e.g. JP or CN."))
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    district_regions = models.JSONField(
        _("consular district"),
        default=list,
        blank=True,
        help_text=_("ISO 3166-2 codes of the regions this post serves, e.g. CN-SH."),
    )
    phone_numbers = models.JSONField(
        _("phone numbers"), default=list, blank=True, help_text=_('A list of {"label": …, "number": …}.')
    )
    email = models.EmailField(_("public email"), blank=True)
    officer_mailbox = models.EmailField(_("officer mailbox"), blank=True)
    contact_hours = models.JSONField(
        _("contact hours"), default=list, blank=True, validators=[validate_contact_hours]
    )
    contact_hours_note = models.CharField(_("note on contact hours"), max_length=300, blank=True)
    address = models.TextField(_("address"), max_length=500, blank=True,
                               help_text=_("Where applicants come for their appointments; shown in calendar files."))
    languages = models.JSONField(_("languages"), default=list, blank=True)
    services = models.JSONField(_("services offered"), default=list, blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("staff"), related_name="posts", blank=True
    )
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        ordering = ["display_order", "name"]
        verbose_name = pgettext_lazy("embassy or consulate", "post")
        verbose_name_plural = pgettext_lazy("embassy or consulate", "posts")

    def __str__(self):
        return self.name

    @property
    def tz(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    def local_today(self, at=None):
        """The date at the post (in its time zone) at the instant ``at``, now by default."""
        return (at or timezone.now()).astimezone(self.tz).date()

    def offers(self, service):
        return service in self.services

    def serves_region(self, region_code):
        return region_code in self.district_regions


class OutboundEmail(TimeStamped):
    """One email: written in the same transaction as the change that causes it, sent by a worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        RETRY = "retry", _("awaiting retry")
        FAILED = "failed", _("failed")
        SUPPRESSED = "suppressed", _("suppressed (recipient not allowed here)")

    post = models.ForeignKey(
        Post, verbose_name=pgettext_lazy("embassy or consulate", "post"),
        null=True, blank=True, on_delete=models.SET_NULL,
    )
    template = models.CharField(_("template"), max_length=100)
    to = models.EmailField(pgettext_lazy("email recipient", "to"))
    reply_to = models.EmailField(_("reply to"), blank=True)
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    attachments = models.JSONField(
        _("attachments"), default=list, blank=True,
        help_text=_('Small files sent with the email: a list of {"filename": …, "content_type": …, "content": …}.'),
    )
    status = models.CharField(
        pgettext_lazy("email delivery", "status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outbound email")
        verbose_name_plural = _("outbox")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx"),
            models.Index(fields=["-created_at"], name="outbox_created_idx"),
        ]

    def __str__(self):
        return f"{self.template} #{self.pk}"  # never the address: the title of an admin page shows it


class SurveyResponse(TimeStamped):
    """One anonymous answer to "How are we doing?". Holds no personal data: no name, email, IP or session."""

    class Rating(models.IntegerChoices):
        VERY_SATISFIED = 5, _("Very satisfied")
        SATISFIED = 4, _("Satisfied")
        NEUTRAL = 3, _("Neither satisfied nor dissatisfied")
        DISSATISFIED = 2, _("Dissatisfied")
        VERY_DISSATISFIED = 1, _("Very dissatisfied")

    # Every service a post offers (a new one is asked about with no change here), then the others.
    Service = models.TextChoices("Service", [
        *((service.name, (service.value, service.label)) for service in Post.Service),
        ("CALL_CENTER", ("call_center", _("Call center, email or chat"))),
        ("WEBSITE", ("website", _("This website"))),
        ("OTHER", ("other", _("Something else"))),
    ])

    rating = models.PositiveSmallIntegerField(_("rating"), choices=Rating.choices)
    comments = models.TextField(_("comments"), blank=True, max_length=2000)
    service = models.CharField(_("service used"), max_length=20, choices=Service.choices, blank=True)
    post = models.ForeignKey(
        Post, verbose_name=pgettext_lazy("embassy or consulate", "post"),
        null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    language = models.CharField(_("language of the page"), max_length=10)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        indexes = [models.Index(fields=["-created_at"], name="survey_created_idx")]

    def __str__(self):
        return f"{self.get_rating_display()} ({self.created_at:%Y-%m-%d})" if self.created_at else str(self.rating)


class FraudReport(TimeStamped):
    """A report of fraud or of unnecessary fees asked for in the post's name; the post's officers are told."""

    class Kind(models.TextChoices):
        MRV_FEE = "mrv_fee", _("I was asked to pay an unnecessary fee to pay my MRV fee")
        INTERVIEW = "interview", _("I was asked to pay to schedule my visa interview")
        SHIPPING = "shipping", _("I was asked to pay to ship documents to or from the consular section")
        IMPERSONATION = "impersonation", _("Someone pretended to be the Embassy, a Consulate or the call center")
        OTHER = "other", _("Other fraud")

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    post = models.ForeignKey(
        Post, verbose_name=pgettext_lazy("embassy or consulate", "post"),
        on_delete=models.PROTECT, related_name="fraud_reports",
    )
    kind = models.CharField(_("what happened"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), max_length=5000)
    incident_date = models.DateField(_("date it happened"), null=True, blank=True)
    fraudster_contact = models.CharField(
        _("how they contacted the applicant"), max_length=300, blank=True,
        help_text=_("Phone number, website, email address or account used."),
    )
    reporter_name = models.CharField(_("reporter's name"), max_length=200, blank=True)
    reporter_email = models.EmailField(_("reporter's email"), blank=True)
    language = models.CharField(_("language"), max_length=10)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("fraud report")
        verbose_name_plural = _("fraud reports")
        indexes = [models.Index(fields=["post", "-created_at"], name="fraud_post_created_idx")]

    def __str__(self):
        return self.reference


class Erasure(models.Model):
    """One applicant's data erased on request (``applicant_data.erase``): who, when, why and how many rows of
    each kind. The identifiers are kept only as keyed hashes (``applicant_data.identifier_hash``), never in
    clear: the record says that something was erased, not whose data it was."""

    erased_at = models.DateTimeField(_("erased"), default=timezone.now, editable=False)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("erased by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    erased_by_username = models.CharField(_("erased by (username)"), max_length=150, blank=True, editable=False)
    reason = models.TextField(_("reason"), max_length=2000)
    email_hash = models.CharField(_("email address (keyed hash)"), max_length=64, blank=True, editable=False)
    passport_hash = models.CharField(_("passport number (keyed hash)"), max_length=64, blank=True, editable=False)
    counts = models.JSONField(_("rows found, per kind"), default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["-erased_at"]
        verbose_name = _("erasure of applicant data")
        verbose_name_plural = _("erasures of applicant data")
        indexes = [
            models.Index(fields=["email_hash"], name="erasure_email_idx"),
            models.Index(fields=["passport_hash"], name="erasure_passport_idx"),
        ]

    def __str__(self):
        return f"{self.erased_at:%Y-%m-%d %H:%M} {self.erased_by_username}" if self.erased_at else str(self.pk)

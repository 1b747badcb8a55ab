"""Status inquiries about a pending visa application, answered by an officer of the post.

A reviewed service (``consular_portal.review``). An inquiry sent before the post's waiting time has passed is
kept as ``ineligible``: it has no way out, sends no email and never reaches the officers' queue. An eligible one
is ``open`` until an officer answers it; the answer (typed, or a standard reply of the post in the applicant's
language) is emailed to the applicant and shown on their page, and the inquiry is closed.
"""

from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from consular_portal.models import Post, TimeStamped
from consular_portal.review.models import ReviewedSubmission, ReviewEvent, status_field

from .inquiry_policy import Route

QUESTION_MAX = 2000
ANSWER_MAX = 4000

__all__ = ["Inquiry", "InquiryEvent", "StandardReply", "VisaCategory"]


class VisaCategory(models.TextChoices):
    NONIMMIGRANT = "nonimmigrant", _("Non-immigrant visa")
    IMMIGRANT = "immigrant", _("Immigrant visa")
    TREATY_TRADER = "treaty_trader", _("Treaty Trader company registration")


class StandardReply(TimeStamped):
    """An answer a post's officers send often, kept in the portal's three languages."""

    post = models.ForeignKey(Post, verbose_name=pgettext_lazy("embassy or consulate", "post"),
                             on_delete=models.CASCADE, related_name="inquiry_standard_replies")
    title = models.CharField(_("title"), max_length=120, help_text=_("What officers see when they choose it."))
    body = models.TextField(_("text (English)"), max_length=ANSWER_MAX)
    body_ja = models.TextField(_("text (Japanese)"), max_length=ANSWER_MAX, blank=True)
    body_zh_hans = models.TextField(_("text (Chinese)"), max_length=ANSWER_MAX, blank=True)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["post", "title", "pk"]
        verbose_name = _("standard reply")
        verbose_name_plural = _("standard replies")

    def __str__(self):
        return self.title

    def text_in(self, language):
        """The reply in ``language``; English when that translation is empty."""
        language = (language or "en").lower()
        if language.startswith("ja"):
            return self.body_ja or self.body
        if language.startswith("zh"):
            return self.body_zh_hans or self.body
        return self.body


class Inquiry(ReviewedSubmission):
    class Status(models.TextChoices):
        INELIGIBLE = "ineligible", _("sent before the waiting time (not answered)")
        OPEN = "open", _("waiting for an answer")
        ANSWERED = "answered", _("answered")
        WITHDRAWN = "withdrawn", _("withdrawn")

    TRANSITIONS = {
        Status.INELIGIBLE: (),
        # The applicant may take back an inquiry only while no officer has answered it.
        Status.OPEN: (Status.ANSWERED, Status.WITHDRAWN),
        Status.ANSWERED: (),
        Status.WITHDRAWN: (),
    }

    post = models.ForeignKey(
        Post, verbose_name=pgettext_lazy("embassy or consulate", "post"), on_delete=models.PROTECT,
        related_name="status_inquiries",
    )
    status = status_field(Status, default=Status.OPEN)
    full_name = models.CharField(_("full name"), max_length=200)
    date_of_birth = models.DateField(_("date of birth"))
    email = models.EmailField(_("email"))
    passport_number = models.CharField(_("passport number"), max_length=20)
    visa_category = models.CharField(_("visa category"), max_length=20, choices=VisaCategory.choices)
    case_number = models.CharField(
        _("case number"), max_length=20,
        help_text=_("DS-160 confirmation number, immigrant visa case number or company registration reference."),
    )
    route = models.CharField(_("how the application was made"), max_length=30, choices=Route.choices)
    route_start = models.DateField(_("waiting time counted from"))
    eligible_from = models.DateField(_("may inquire from"))
    interview_date = models.DateField(_("interview date"), null=True, blank=True)
    interview_office = models.CharField(_("interview office"), max_length=120, blank=True)
    on_behalf = models.BooleanField(_("asked on behalf of someone else"), default=False)
    first_inquiry = models.BooleanField(_("first inquiry about this application"), default=True)
    question = models.TextField(_("question"), max_length=QUESTION_MAX)
    language = models.CharField(_("language"), max_length=10, default="en")
    link_version = models.PositiveSmallIntegerField(_("applicant link version"), default=0, editable=False)
    answer = models.TextField(_("answer to the applicant"), max_length=ANSWER_MAX, blank=True)
    standard_reply = models.ForeignKey(StandardReply, verbose_name=_("standard reply"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="inquiries")

    class Meta:
        verbose_name = _("status inquiry")
        verbose_name_plural = _("status inquiries")
        ordering = ["created_at"]
        permissions = [("decide_inquiry", _("Can answer status inquiries"))]
        indexes = [
            models.Index(fields=["post", "status", "created_at"], name="inquiry_queue_idx"),
            models.Index(fields=["status", "promised_by"], name="inquiry_overdue_idx"),
            models.Index(fields=["post", "case_number", "created_at"], name="inquiry_case_idx"),
            models.Index(fields=["visa_category", "status"], name="inquiry_category_idx"),
            models.Index(fields=["route", "status"], name="inquiry_route_idx"),
            # The queue's filters (open, by visa category; any status, by route) and the dashboard's weeks.
            models.Index(fields=["post", "visa_category", "created_at"], condition=models.Q(status="open"),
                         name="inquiry_open_category_idx"),
            models.Index(fields=["post", "route", "created_at"], name="inquiry_post_route_idx"),
            models.Index(fields=["post", "created_at"], include=["status"], name="inquiry_received_idx"),
            models.Index(fields=["post", "decided_at"], include=["status"], name="inquiry_decided_idx"),
            models.Index(Upper("email"), name="inquiry_email_idx"),  # the officers' search, whatever the case
        ]

    def emails_for(self, previous, to):
        """The applicant hears of the answer; a withdrawal is confirmed to them and told to the post."""
        from .. import inquiry_emails

        if to == self.Status.ANSWERED:
            inquiry_emails.send_answer(self)
        elif to == self.Status.WITHDRAWN:
            inquiry_emails.send_withdrawn(self)


class InquiryEvent(ReviewEvent):
    inquiry = models.ForeignKey(Inquiry, verbose_name=_("status inquiry"), on_delete=models.CASCADE,
                                related_name="events")

    class Meta:
        ordering = ["inquiry", "created_at", "pk"]
        verbose_name = _("status inquiry event")
        verbose_name_plural = _("status inquiry events")

    def __str__(self):
        return f"{self.inquiry} {self.from_status or '∅'} → {self.to_status}"

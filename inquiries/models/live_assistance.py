"""Requests for live assistance: a question the online tools could not answer, sent to an officer of the post.

A reviewed service (``consular_portal.review``): the applicant sends a topic, the details and how to reach
them; the portal tells them by when an officer will contact them (``assistance_estimate.contact_estimate``,
kept as ``promised_by``); an officer answers in the admin and marks the request done, and the answer reaches
the applicant by email and on their page.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from phonenumber_field.modelfields import PhoneNumberField

from consular_portal.models import Post
from consular_portal.review.models import ReviewedSubmission, ReviewEvent, status_field

from .. import assistance_emails

DETAILS_MAX = 2000
ANSWER_MAX = 4000

__all__ = ["LiveAssistanceRequest", "LiveAssistanceRequestEvent", "LiveAssistanceTopic"]


class LiveAssistanceTopic(models.TextChoices):
    """What the seed's contact centre is asked about when the online tools are not enough."""

    CASE = "case", _("A case or application I have sent")
    DOCUMENT = "document", _("A document or notice with a mistake, or one that did not arrive")
    ACCOMMODATION = "accommodation", _("An accommodation for an appointment")
    ADDRESS = "address", _("A change of my address")
    ONLINE_ACCOUNT = "online_account", _("Help with the online services")
    OTHER = "other", _("Something else")


class LiveAssistanceRequest(ReviewedSubmission):
    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting for an officer")
        DONE = "done", _("answered")

    TRANSITIONS = {
        Status.WAITING: (Status.DONE,),
        Status.DONE: (),
    }

    post = models.ForeignKey(
        Post, verbose_name=pgettext_lazy("embassy or consulate", "post"), on_delete=models.PROTECT,
        related_name="live_assistance_requests",
    )
    status = status_field(Status, default=Status.WAITING)
    promised_by = models.DateField(_("contact estimated by"))
    topic = models.CharField(_("topic"), max_length=20, choices=LiveAssistanceTopic.choices)
    details = models.TextField(_("details"), max_length=DETAILS_MAX)
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("email"))
    phone = PhoneNumberField(_("phone"), blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    queue_ahead = models.PositiveIntegerField(_("open requests ahead when sent"), default=0, editable=False)
    link_version = models.PositiveSmallIntegerField(_("applicant link version"), default=0, editable=False)
    answer = models.TextField(_("answer to the applicant"), max_length=ANSWER_MAX, blank=True)

    class Meta:
        verbose_name = _("live-assistance request")
        verbose_name_plural = _("live-assistance requests")
        ordering = ["created_at", "pk"]
        permissions = [("decide_liveassistancerequest", _("Can answer live-assistance requests"))]
        indexes = [
            models.Index(fields=["post", "status", "created_at"], name="assistance_queue_idx"),
            models.Index(fields=["status", "promised_by"], name="assistance_overdue_idx"),
            models.Index(fields=["topic", "status"], name="assistance_topic_idx"),
        ]

    def emails_for(self, previous, to):
        """The applicant receives the officer's answer."""
        if to == self.Status.DONE:
            assistance_emails.send_answer(self)


class LiveAssistanceRequestEvent(ReviewEvent):
    request = models.ForeignKey(LiveAssistanceRequest, verbose_name=_("request"), on_delete=models.CASCADE,
                                related_name="events")

    class Meta:
        ordering = ["request", "created_at", "pk"]
        verbose_name = _("live-assistance request event")
        verbose_name_plural = _("live-assistance request events")

    def __str__(self):
        return f"{self.request} {self.from_status or '∅'} → {self.to_status}"

"""When a post answers status inquiries: its policy and the routes by which an applicant may qualify.

Officers edit these rows in the admin (with history). ``inquiry_rules.first_inquiry_date`` evaluates one route
for a start date; the check page, the form and the submission all read the same rows. The seeded values are the
Embassy's notice (``inquiry_policy_data``): 10 business days after the interview or after the documents sent by
mail were received, 1 month after a new Treaty Trader company registration was received, 15 days after
additional documents were submitted, and 3 business days before a follow-up.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from consular_portal.models import Post, TimeStamped

__all__ = ["InquiryPolicy", "InquiryRoute", "Route", "WaitUnit"]


class Route(models.TextChoices):
    """How the application reached the post: what the waiting time counts from."""

    INTERVIEW = "interview", _("I attended a visa interview")
    MAIL = "mail", _("I applied by mail")
    TREATY_TRADER = "treaty_trader", _("I applied for a new Treaty Trader company registration")
    ADDITIONAL_DOCUMENTS = "additional_documents", _("I submitted additional documents the Embassy asked for")


class WaitUnit(models.TextChoices):
    BUSINESS_DAYS = "business_days", _("business days")
    DAYS = "days", _("calendar days")
    MONTHS = "months", _("months")


class InquiryPolicy(TimeStamped):
    """What one post asks before it answers a status inquiry."""

    post = models.OneToOneField(
        Post, verbose_name=pgettext_lazy("embassy or consulate", "post"), on_delete=models.CASCADE,
        related_name="inquiry_policy",
    )
    accepting = models.BooleanField(_("accepting inquiries"), default=True)
    follow_up_business_days = models.PositiveSmallIntegerField(
        _("wait before a follow-up (business days)"), default=3,
        help_text=_("A new inquiry on the same case is refused until this many business days after the last."),
    )
    answer_business_days = models.PositiveSmallIntegerField(
        _("answer within (business days)"), default=5,
        help_text=_("The answer date promised to the applicant, counted from the day the inquiry is sent."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("status inquiry policy")
        verbose_name_plural = _("status inquiry policies")

    def __str__(self):
        return str(_("Status inquiry policy of %(post)s") % {"post": self.post.name})

    def active_routes(self):
        """The routes applicants may choose, in their order (from the prefetched ``routes``)."""
        return [route for route in self.routes.all() if route.active]

    def route(self, code):
        return next((route for route in self.active_routes() if route.route == code), None)


class InquiryRoute(TimeStamped):
    """One way to qualify: ``amount`` ``unit`` after the start date of ``route``."""

    policy = models.ForeignKey(InquiryPolicy, verbose_name=_("policy"), on_delete=models.CASCADE,
                               related_name="routes")
    route = models.CharField(_("route"), max_length=30, choices=Route.choices)
    amount = models.PositiveSmallIntegerField(_("waiting time"))
    unit = models.CharField(_("unit"), max_length=20, choices=WaitUnit.choices, default=WaitUnit.BUSINESS_DAYS)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["policy", "order", "pk"]
        verbose_name = _("inquiry route")
        verbose_name_plural = _("inquiry routes")
        constraints = [models.UniqueConstraint(fields=["policy", "route"], name="inquiry_route_unique")]

    def __str__(self):
        return f"{self.get_route_display()}: {self.amount} {self.get_unit_display()}"

    def clean(self):
        if self.unit == WaitUnit.MONTHS and self.amount > 24:
            raise ValidationError({"amount": _("At most 24 months.")})
        if self.amount > 366:
            raise ValidationError({"amount": _("At most 366 days.")})

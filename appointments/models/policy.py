"""What a post accepts: its expedite policy, the categories that qualify and the purposes that never do.

Officers edit these rows in the admin (with history). The public "who qualifies" page, the request form and
``appointments.eligibility.evaluate`` all read them, so they never disagree. Texts shown to applicants are
kept in English, Japanese and Simplified Chinese (``localized``); an empty translation falls back to English.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from consular_portal.models import Post, TimeStamped


class VisaClass(models.TextChoices):
    """The common non-immigrant visa classes."""

    B1_B2 = "B1/B2", "B-1/B-2"
    B1 = "B1", "B-1"
    B2 = "B2", "B-2"
    C1_D = "C1/D", "C-1/D"
    E1 = "E1", "E-1"
    E2 = "E2", "E-2"
    E3 = "E3", "E-3"
    F1 = "F1", "F-1"
    F2 = "F2", "F-2"
    H1B = "H1B", "H-1B"
    H2A = "H2A", "H-2A"
    H2B = "H2B", "H-2B"
    H3 = "H3", "H-3"
    H4 = "H4", "H-4"
    I = "I", "I"  # noqa: E741 - the visa class is called I
    J1 = "J1", "J-1"
    J2 = "J2", "J-2"
    K1 = "K1", "K-1"
    K2 = "K2", "K-2"
    L1 = "L1", "L-1"
    L2 = "L2", "L-2"
    M1 = "M1", "M-1"
    M2 = "M2", "M-2"
    O1 = "O1", "O-1"
    O2 = "O2", "O-2"
    O3 = "O3", "O-3"
    P1 = "P1", "P-1"
    P2 = "P2", "P-2"
    P3 = "P3", "P-3"
    Q1 = "Q1", "Q-1"
    R1 = "R1", "R-1"
    R2 = "R2", "R-2"


def visa_class_label(code):
    try:
        return VisaClass(code).label
    except ValueError:
        return code


class Localized(models.Model):
    """Applicant-facing texts in the portal's three languages."""

    class Meta:
        abstract = True

    def localized(self, field, language=None):
        language = (language or get_language() or "en").lower()
        if language.startswith("ja"):
            value = getattr(self, f"{field}_ja", "")
        elif language.startswith("zh"):
            value = getattr(self, f"{field}_zh_hans", "")
        else:
            value = ""
        return value or getattr(self, field)

    @property
    def localized_name(self):
        return self.localized("name")

    @property
    def localized_explanation(self):
        return self.localized("explanation")

    @property
    def localized_proof(self):
        return self.localized("proof")

    @property
    def localized_confirmation(self):
        return self.localized("confirmation")


class ExpeditePolicy(Localized, TimeStamped):
    """The prerequisites a post sets before it considers any expedite request."""

    post = models.OneToOneField(
        Post, verbose_name=pgettext_lazy("embassy or consulate", "post"),
        on_delete=models.CASCADE, related_name="expedite_policy",
    )
    accepting = models.BooleanField(_("accepting requests"), default=True)
    requires_scheduled_appointment = models.BooleanField(
        _("an appointment must already be scheduled"), default=False
    )
    refusal_window_months = models.PositiveSmallIntegerField(
        _("refusal window (months)"),
        default=0,
        help_text=_("Applicants refused a visa within this many months are not accepted; 0 does not check."),
    )
    district_residence_required = models.BooleanField(_("residence in the consular district required"), default=False)
    residence_months = models.PositiveSmallIntegerField(_("months of residence required"), default=6)
    refuses_renewal_eligible = models.BooleanField(
        _("applicants eligible for the renewal (interview waiver) programme are not accepted"), default=False
    )
    renewal_program_name = models.CharField(_("name of the renewal programme"), max_length=200, blank=True)
    renewal_program_hint = models.TextField(_("where renewal applicants should go"), blank=True)
    renewal_program_hint_ja = models.TextField(_("where renewal applicants should go (Japanese)"), blank=True)
    renewal_program_hint_zh_hans = models.TextField(_("where renewal applicants should go (Chinese)"), blank=True)
    flags_previous_expedite = models.BooleanField(
        _("an earlier expedited appointment counts against"),
        default=False,
        help_text=_("Requests of applicants or organisations that already had one are flagged to the officer."),
    )
    response_days_min = models.PositiveSmallIntegerField(_("answer within, at least (business days)"), default=1)
    response_days_max = models.PositiveSmallIntegerField(_("answer within, at most (business days)"), default=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expedite policy")
        verbose_name_plural = _("expedite policies")

    def __str__(self):
        return str(_("Expedite policy of %(post)s") % {"post": self.post.name})

    def clean(self):
        if self.response_days_min > self.response_days_max:
            raise ValidationError({"response_days_min": _("The shortest answer time cannot be above the longest.")})

    def localized_renewal_hint(self, language=None):
        return self.localized("renewal_program_hint", language)

    def active_categories(self):
        return [c for c in self.categories.all() if c.active]

    def active_exclusions(self):
        return [e for e in self.exclusions.all() if e.active]


class WindowKind(models.TextChoices):
    NONE = "none", _("no date check")
    TRAVEL_WITHIN = "travel_within", _("travel within N days of the request")
    PROGRAM_WITHIN = "program_within", _("programme starts within N days of the request")
    PROGRAM_BEFORE_INTERVIEW = "program_before_interview", _("programme starts before the current interview date")


class ExpediteCategory(Localized, TimeStamped):
    """A purpose of travel that a post considers for an expedited appointment."""

    policy = models.ForeignKey(
        ExpeditePolicy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="categories"
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200, blank=True)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    explanation = models.TextField(_("explanation shown to applicants"))
    explanation_ja = models.TextField(_("explanation (Japanese)"), blank=True)
    explanation_zh_hans = models.TextField(_("explanation (Chinese)"), blank=True)
    visa_classes = models.JSONField(
        _("visa classes"), default=list, blank=True, help_text=_("Codes such as F1, J1, C1/D; empty means all.")
    )
    window = models.CharField(_("date check"), max_length=30, choices=WindowKind.choices, default=WindowKind.NONE)
    window_days = models.PositiveSmallIntegerField(_("N days"), null=True, blank=True)
    proof = models.CharField(_("proof needed"), max_length=300, blank=True)
    proof_ja = models.CharField(_("proof needed (Japanese)"), max_length=300, blank=True)
    proof_zh_hans = models.CharField(_("proof needed (Chinese)"), max_length=300, blank=True)
    confirmation = models.CharField(
        _("statement the applicant confirms"),
        max_length=300,
        blank=True,
        help_text=_("For example: my travel cannot be postponed. Empty asks nothing."),
    )
    confirmation_ja = models.CharField(_("statement (Japanese)"), max_length=300, blank=True)
    confirmation_zh_hans = models.CharField(_("statement (Chinese)"), max_length=300, blank=True)
    us_company_request_required = models.BooleanField(_("a US company's request is needed"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["policy", "order", "pk"]
        verbose_name = _("expedite category")
        verbose_name_plural = _("expedite categories")
        constraints = [models.UniqueConstraint(fields=["policy", "code"], name="expedite_category_code_unique")]

    def __str__(self):
        return self.name

    def visa_class_labels(self):
        return [visa_class_label(code) for code in self.visa_classes]


class ExpediteExclusion(Localized, TimeStamped):
    """A purpose of travel that does not qualify; ``only_alone`` ones qualify with a category (ESTA denial)."""

    policy = models.ForeignKey(
        ExpeditePolicy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="exclusions"
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200, blank=True)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    only_alone = models.BooleanField(
        _("excluded only on its own"), default=False, help_text=_("Qualifies when combined with a category.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["policy", "order", "pk"]
        verbose_name = _("excluded purpose")
        verbose_name_plural = _("excluded purposes")
        constraints = [models.UniqueConstraint(fields=["policy", "code"], name="expedite_exclusion_code_unique")]

    def __str__(self):
        return self.name

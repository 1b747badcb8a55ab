"""What is kept of an approved expedite request once it is purged: enough for "the applicant or organisation
already had an expedited appointment" to count against a new request, and nothing that names anyone.

The passport number, the organisation and the group organiser's email are kept only as keyed hashes (HMAC-SHA256
with ``EARLIER_EXPEDITE_HASH_KEY``, of each value normalised as the rule compares it): the same value gives the
same hash, so a new request can be matched, but the row cannot be read back into a number or a name, and
without the key nobody can test guesses against it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from consular_portal.models import Post
from consular_portal.text import name_key, normalise_identifier

__all__ = ["EarlierExpedite", "identity_hash"]


def identity_hash(kind, value):
    """The keyed hash of ``value`` as the earlier-expedite rule compares it (``kind``: passport, organisation or
    organiser_email); empty for an empty value, which matches nothing."""
    normalise = {"passport": normalise_identifier, "organisation": name_key,
                 "organiser_email": lambda email: (email or "").strip().lower()}[kind]
    value = normalise(value)
    if not value:
        return ""
    return salted_hmac(f"appointments.earlier_expedite.{kind}", value, secret=settings.EARLIER_EXPEDITE_HASH_KEY,
                       algorithm="sha256").hexdigest()


class EarlierExpedite(models.Model):
    """An approved expedite request that was purged: who (as hashes), where and when it was approved."""

    passport_hash = models.CharField(_("passport number (keyed hash)"), max_length=64, editable=False)
    organisation_hash = models.CharField(_("organisation (keyed hash)"), max_length=64, blank=True, editable=False)
    organiser_email_hash = models.CharField(_("group organiser's email (keyed hash)"), max_length=64, blank=True,
                                            editable=False)
    post = models.ForeignKey(Post, verbose_name=pgettext_lazy("embassy or consulate", "post"),
                             on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField(_("approved on"))

    class Meta:
        ordering = ["-approved_on", "pk"]
        verbose_name = _("earlier expedite (purged request)")
        verbose_name_plural = _("earlier expedites (purged requests)")
        indexes = [
            models.Index(fields=["passport_hash"], name="earlier_expedite_passport_idx"),
            models.Index(fields=["organisation_hash"], name="earlier_expedite_org_idx"),
            models.Index(fields=["organiser_email_hash"], name="earlier_expedite_organiser_idx"),
        ]

    def __str__(self):
        return f"{self.post_id} {self.approved_on}"

    @classmethod
    def from_request(cls, request):
        """The row kept of the approved ``request`` (not saved)."""
        decided = request.decided_at or request.updated_at
        return cls(
            passport_hash=identity_hash("passport", request.passport_number),
            organisation_hash=identity_hash("organisation", request.organisation),
            organiser_email_hash=identity_hash("organiser_email", request.organiser_email),
            post_id=request.post_id,
            approved_on=request.post.local_today(decided),
        )

    @classmethod
    def matching(cls, *, passport_number, organisation="", organiser_email=""):
        """The kept rows of the same applicant, organisation or group organiser, at any post (as
        ``appointments.submission.earlier_expedites`` matches requests)."""
        same = Q(pk__in=[])  # nothing, until a value is given
        values = {"passport": passport_number, "organisation": organisation, "organiser_email": organiser_email}
        for kind, value in values.items():
            if hashed := identity_hash(kind, value):
                same |= Q(**{f"{kind}_hash": hashed})
        return cls.objects.filter(same)

"""Proof kept while a request form comes back with errors (``appointments/proof_drafts.py``)."""

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consular_portal.models import Post, TimeStamped

__all__ = ["ProofDraft", "ProofDraftFile"]


def new_draft_reference():
    return secrets.token_urlsafe(24)


def draft_file_path(instance, filename):
    """Random names under drafts/, apart from the proof of sent requests; nothing of the applicant's name."""
    return f"drafts/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{instance.extension}"


class ProofDraft(TimeStamped):
    """The checked proof of one request form not sent yet, found again only through a signed key written in
    that form and bound to its submission key; purged when abandoned (``RETENTION_DAYS``)."""

    reference = models.CharField(_("reference"), max_length=40, unique=True, default=new_draft_reference,
                                 editable=False)
    submission_key = models.UUIDField(_("submission key"), editable=False)
    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("proof draft")
        verbose_name_plural = _("proof drafts")
        indexes = [models.Index(fields=["created_at"], name="proof_draft_created_idx")]

    def __str__(self):
        return self.reference


class ProofDraftFile(models.Model):
    """One checked file of a draft, in the place of one of the form's proof fields."""

    draft = models.ForeignKey(ProofDraft, verbose_name=_("draft"), on_delete=models.CASCADE, related_name="files")
    field = models.CharField(_("field"), max_length=40)
    file = models.FileField(_("file"), upload_to=draft_file_path, max_length=200)
    original_name = models.CharField(_("original name"), max_length=120)
    content_type = models.CharField(_("type"), max_length=40)
    pages = models.PositiveSmallIntegerField(_("pages"), default=1)
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}

    class Meta:
        ordering = ["draft", "pk"]
        verbose_name = _("proof draft file")
        verbose_name_plural = _("proof draft files")
        constraints = [models.UniqueConstraint(fields=["draft", "field"], name="proof_draft_file_per_field")]

    def __str__(self):
        return self.original_name

    @property
    def extension(self):
        return self.EXTENSIONS.get(self.content_type, ".bin")

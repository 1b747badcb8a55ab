"""Proof kept while a request form comes back with errors, so the applicant does not choose it again.

A proof file is checked once, when it is first uploaded (``uploads.upload_check``, through the form); only a
checked file is kept, in a ``ProofDraft`` of the form, under drafts/ in the storage the proof uses. The page
sent back lists the kept files by name (never serves them) with a "remove" box each, and carries the draft's
signed key (``consular_portal.access``, the applicant links' signer, with a salt of its own). The key is found
again only together with the submission key it was made for, at the same post, while the draft is younger than
its retention period: a key tampered with, copied into another form or too old is ignored, as if none were sent.
A proof field with a kept file need not be sent again; a file sent in its place replaces it. When the request
is sent, the kept files become its documents and the draft goes. An abandoned draft is purged with its files
(``retention.py``: ``RETENTION_DAYS["expedite_proof_drafts"]``).
"""

import copy
import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consular_portal.access import make_token, object_from_token
from consular_portal.retention import delete_files

from .models import ProofDraft, ProofDraftFile
from .uploads import CheckedUpload, upload_check

SALT = "appointments.proof-draft"
PROOF_FIELDS = ("proof", "proof_second_page")
KEY_FIELD, REMOVE_FIELD = "proof_draft", "proof_remove"
TOO_MANY_PAGES = _("Send at most 2 pages of proof in all.")  # the form's own message for two new files
MAX_PAGES = 2


def _period():
    return dt.timedelta(days=settings.RETENTION_DAYS["expedite_proof_drafts"])


def draft_token(draft):
    return make_token(draft, salt=SALT)


def draft_from_form(data, *, post, submission_key):
    """The draft whose signed key the form ``data`` carries, made for this submission key and post and not yet
    past its period, with its files; None otherwise (no key, forged, foreign or too old)."""
    token = data.get(KEY_FIELD)
    if not token or submission_key is None:
        return None
    drafts = ProofDraft.objects.filter(submission_key=submission_key, post=post,
                                       created_at__gt=timezone.now() - _period()).prefetch_related("files")
    try:
        return object_from_token(drafts, token, salt=SALT, max_age=_period())
    except Http404:
        return None


class KeptProof:
    """The kept files of one form (by proof field) and what the applicant asked of them."""

    def __init__(self, draft, *, remove=()):
        self.draft = draft
        self.files = {} if draft is None else {f.field: f for f in draft.files.all()}
        removed = [self.files.pop(name) for name in remove if name in self.files]
        if removed:
            _delete(removed)

    def excuse(self, form):
        """The form's proof fields that have a kept file are not required in this form; ``restore`` puts the
        form's own fields back before it is written (they are shared by every form of the policy, and the
        markup kept of an empty field must stay that of the required field)."""
        self._shared = {}
        for name in self.files:
            self._shared[name] = form.fields[name]
            form.fields[name] = excused = copy.copy(form.fields[name])
            excused.required = False

    def restore(self, form):
        for name, field in getattr(self, "_shared", {}).items():
            form.fields[name] = field
            form._bound_fields_cache.pop(name, None)  # the bound field made with the copy during validation
        self._shared = {}

    def documents(self, form):
        """The checked proof to send, in the fields' order: a file sent now, else the kept one."""
        sent = {name: form.cleaned_data.get(name) for name in PROOF_FIELDS}
        return [sent[name] or _checked(self.files[name]) for name in PROOF_FIELDS
                if sent[name] or name in self.files]

    def too_many_pages(self, documents):
        return sum(d.pages for d in documents) > MAX_PAGES

    def keep(self, checked, *, post, submission_key):
        """Keep the checked files ``{field: CheckedUpload}`` (a file sent in the place of a kept one replaces
        it), making the draft if there is none yet."""
        checked = {name: upload for name, upload in checked.items() if isinstance(upload, CheckedUpload)}
        if not checked or submission_key is None:
            return
        if self.draft is None:
            self.draft = ProofDraft.objects.create(submission_key=submission_key, post=post)
        replaced = [self.files.pop(name) for name in checked if name in self.files]
        if replaced:
            _delete(replaced)
        for name, upload in checked.items():
            kept = ProofDraftFile(draft=self.draft, field=name, original_name=upload.original_name,
                                  content_type=upload.content_type, pages=upload.pages, sha256=upload.sha256)
            kept.file.save("proof", ContentFile(upload.content), save=False)
            try:
                with transaction.atomic():
                    kept.save()
            except IntegrityError:  # the same form sent twice at once kept its file first: that one stays
                delete_files([kept.file.name])
                continue
            self.files[name] = kept

    def keep_uploads(self, files, *, post, submission_key):
        """Keep the proof files of a page shown again without checking the form (more member rows): each file
        is checked as the form checks it; one refused is not kept (the form says why when it is sent)."""
        checked = {}
        for name in PROOF_FIELDS:
            upload = files.get(name)
            if upload:
                try:
                    checked[name] = upload_check(upload=upload)
                except ValidationError:  # a refused file is not kept: the form says why when it is sent
                    continue
        self.keep(checked, post=post, submission_key=submission_key)

    def sent(self):
        """The request was sent with the kept files: the draft goes (its stored files once committed)."""
        if self.draft is not None:
            names = [f.file.name for f in ProofDraftFile.objects.filter(draft=self.draft)]
            self.draft.delete()
            transaction.on_commit(lambda: delete_files(names))

    def html(self):
        """The signed key and the list of kept files with their "remove" boxes; nothing without kept files."""
        if not self.files:
            return ""
        return render_to_string("appointments/forms/kept_proof.html", {
            "key_field": KEY_FIELD, "remove_field": REMOVE_FIELD, "token": draft_token(self.draft),
            "files": [self.files[name] for name in PROOF_FIELDS if name in self.files],
        })


def _checked(kept):
    with kept.file.open("rb") as stored:
        content = stored.read()
    return CheckedUpload(content, kept.content_type, kept.pages, kept.sha256, kept.original_name)


def _delete(kept_files):
    names = [f.file.name for f in kept_files]
    ProofDraftFile.objects.filter(pk__in=[f.pk for f in kept_files]).delete()
    transaction.on_commit(lambda: delete_files(names))

"""Proof documents: accepted by what they contain, never by their name.

PDF, JPEG or PNG only, judged by their first bytes and a structural check (a PDF must open in pypdf and
have at most two pages; a PNG must start with its header chunk; a JPEG must start and end with its
markers); at most ``settings.UPLOAD_MAX_BYTES``. Stored under random names (see ``document_path``).
"""

import hashlib
import io
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

log = logging.getLogger(__name__)

MAX_PDF_PAGES = 2
PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"


@dataclass(frozen=True)
class CheckedUpload:
    content: bytes
    content_type: str
    pages: int
    sha256: str
    original_name: str


def _sniff(head):
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def _pdf_pages(content):
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise ValidationError(_("The PDF is protected by a password. Send it without a password."),
                                  code="encrypted")
        return len(reader.pages)
    except ValidationError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        log.info("upload: unreadable PDF (%s)", type(exc).__name__)
        raise ValidationError(_("This PDF cannot be read. Send a PDF, JPEG or PNG file."), code="unreadable") from exc


def _valid_image(content, content_type):
    if content_type == PNG:
        return len(content) > 24 and content[12:16] == b"IHDR"
    return content.rstrip(b"\x00\r\n ").endswith(b"\xff\xd9")


def upload_check(*, upload):
    """Read an uploaded file and return it checked, or raise ``ValidationError`` with a clear message."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    upload.seek(0)
    content = upload.read(limit + 1)
    if not content:
        raise ValidationError(_("The file is empty."), code="empty")
    if len(content) > limit:
        raise ValidationError(_("The file is too large. The limit is %(limit)s."), code="too_large",
                              params={"limit": filesizeformat(limit)})
    content_type = _sniff(content[:16])
    if content_type is None:
        raise ValidationError(
            _("Only PDF, JPEG and PNG files are accepted, and this file is none of them, whatever its name."),
            code="type",
        )
    pages = 1
    if content_type == PDF:
        pages = _pdf_pages(content)
        if pages < 1:
            raise ValidationError(_("This PDF has no pages."), code="no_pages")
        if pages > MAX_PDF_PAGES:
            raise ValidationError(
                _("The PDF has %(pages)s pages; send at most %(max)s pages of proof."),
                code="too_many_pages",
                params={"pages": pages, "max": MAX_PDF_PAGES},
            )
    elif not _valid_image(content, content_type):
        raise ValidationError(_("This image is damaged or incomplete."), code="damaged")
    name = "".join(ch for ch in (upload.name or "")[-120:] if ch.isprintable() and ch not in "/\\") or "proof"
    return CheckedUpload(content, content_type, pages, hashlib.sha256(content).hexdigest(), name)

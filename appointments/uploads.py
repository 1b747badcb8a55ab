"""Proof documents: accepted by what they contain, never by their name.

The rules, in the order they are applied:

- At most ``settings.UPLOAD_MAX_BYTES``: never more than that and one byte is read into memory.
- PDF, JPEG or PNG only, judged by the first bytes, whatever the name or the declared type.
- A PDF must open in pypdf, without a password, and have one or two pages. The page count is read from
  ``/Root /Pages /Count`` and checked by walking the page tree within a node budget and depth limit, so a
  60,000-page or 150-level tree is refused at once. Anything pypdf cannot read is "This PDF cannot be read".
- A PDF with active content is refused: JavaScript, an ``/OpenAction`` or ``/AA`` action, Launch,
  form-submit or remote actions, embedded or attached files, rich media or XFA forms. The applicant is
  asked to print it to a new PDF. A plain ``/OpenAction`` destination (open at page 1) is allowed.
- An image is decoded by Pillow (JPEG as JPEG, PNG as PNG) and refused above
  ``settings.UPLOAD_MAX_IMAGE_PIXELS``. What is kept is a re-encoded copy: upright, without metadata and
  without any bytes after the image. The original is not stored, and the type, size and SHA-256 are
  those of the copy.

Stored under random names (see ``document_path``).
"""

import hashlib
import io
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps
from pypdf import PdfReader, apply_configuration
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

log = logging.getLogger(__name__)

MAX_PDF_PAGES = 2
PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG"}

# A page tree of at most two pages has a handful of nodes; anything far beyond is not a proof document.
MAX_PAGE_TREE_NODES = 64
MAX_PAGE_TREE_DEPTH = 16
MAX_PDF_OBJECTS = 10_000
MAX_PDF_ELEMENTS = 100_000  # entries of all dictionaries and arrays looked at for active content
# pypdf's own limits while it parses an upload: no decompressed object stream beyond this, no huge arrays.
PDF_LIMITS = {
    "array_maximum_element_count": 100_000,
    "dictionary_maximum_element_count": 10_000,
    **{f"{name}_maximum_output_length": 16_000_000
       for name in ("zlib", "lzw", "run_length", "brotli", "jbig2", "array_based_stream")},
}
# Keys that make a viewer run something, open something or carry a file inside the PDF.
ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/AA", "/Launch", "/EmbeddedFiles", "/EmbeddedFile", "/EF",
                         "/RichMedia", "/RichMediaContent", "/XFA"})
# Action types (/S) and annotation types (/Subtype) of the same kind.
ACTIVE_TYPES = frozenset({"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/GoToR", "/GoToE",
                          "/RichMedia", "/RichMediaExecute", "/Rendition", "/Movie", "/Sound",
                          "/FileAttachment"})
# The same names written out in the file, for objects pypdf would not reach (parsed differently elsewhere).
ACTIVE_NAMES_RAW = re.compile(rb"/(?:JavaScript|Launch|EmbeddedFiles|RichMedia|XFA)(?![A-Za-z0-9])")

UNREADABLE = _("This PDF cannot be read. Send a PDF, JPEG or PNG file.")
ACTIVE_CONTENT = _("This PDF contains scripts, actions or attached files. Print it to a new PDF and send that.")
DAMAGED = _("This image is damaged or incomplete.")


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


def _unreadable():
    return ValidationError(UNREADABLE, code="unreadable")


def _too_many_pages(pages, exact=True):
    """``pages`` is the declared count (exact), or how many pages or kids were seen before refusing."""
    if exact:
        return ValidationError(_("The PDF has %(pages)s pages; send at most %(max)s pages of proof."),
                               code="too_many_pages", params={"pages": pages, "max": MAX_PDF_PAGES})
    return ValidationError(_("The PDF has more than %(max)s pages; send at most %(max)s pages of proof."),
                           code="too_many_pages", params={"max": MAX_PDF_PAGES, "seen": pages})


def _resolved(value):
    return value.get_object() if value is not None else None


def _count_pages(reader):
    """Pages of the tree, refusing early: the declared /Count first, then a walk with a node budget."""
    tree = reader.trailer["/Root"]["/Pages"]
    declared = _resolved(tree.get("/Count")) if isinstance(tree, DictionaryObject) else None
    if isinstance(declared, int) and declared > MAX_PDF_PAGES:
        raise _too_many_pages(declared)
    pages, nodes, stack = 0, 0, [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        node = _resolved(node)
        nodes += 1
        if nodes > MAX_PAGE_TREE_NODES or depth > MAX_PAGE_TREE_DEPTH or not isinstance(node, DictionaryObject):
            raise _unreadable()
        kids = _resolved(node.get("/Kids")) if _resolved(node.get("/Type")) != "/Page" else None
        if kids is None:
            pages += 1
            if pages > MAX_PDF_PAGES:
                raise _too_many_pages(pages, exact=False)
        elif isinstance(kids, ArrayObject) and len(kids) > MAX_PAGE_TREE_NODES:
            raise _too_many_pages(len(kids), exact=False)
        elif isinstance(kids, ArrayObject):
            stack.extend((kid, depth + 1) for kid in reversed(kids))
        else:
            raise _unreadable()
    return pages


def _is_name(value, names):
    return isinstance(value, str) and value in names


def _has_active_content(reader):
    """Walk every object reachable from the catalogue (not stream data) looking for actions and files."""
    seen, stack, elements = set(), [reader.trailer.raw_get("/Root")], 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            if len(seen) > MAX_PDF_OBJECTS:
                raise _unreadable()
            item = item.get_object()
        if isinstance(item, (DictionaryObject, ArrayObject)):
            elements += len(item)
            if elements > MAX_PDF_ELEMENTS:
                raise _unreadable()
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                if key in ACTIVE_KEYS:
                    return True
                if key in ("/S", "/Subtype") and _is_name(_resolved(value), ACTIVE_TYPES):
                    return True
                if key == "/OpenAction" and isinstance(_resolved(value), DictionaryObject):
                    return True  # an action; a destination array only says which page to show
                if key != "/Parent":
                    stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return False


def _check_pdf(content):
    """Return the number of pages of a harmless PDF, or raise ``ValidationError``."""
    try:
        with apply_configuration(**PDF_LIMITS):
            reader = PdfReader(io.BytesIO(content), strict=False)
            if reader.is_encrypted:
                raise ValidationError(_("The PDF is protected by a password. Send it without a password."),
                                      code="encrypted")
            pages = _count_pages(reader)
            if pages < 1:
                raise ValidationError(_("This PDF has no pages."), code="no_pages")
            active = ACTIVE_NAMES_RAW.search(content) is not None or _has_active_content(reader)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        log.info("upload: unreadable PDF (%s)", type(exc).__name__)
        raise _unreadable() from exc
    if active:
        log.info("upload: PDF with active content refused")
        raise ValidationError(ACTIVE_CONTENT, code="active_content")
    return pages


def _too_many_pixels(limit):
    return ValidationError(
        _("This image is too large: at most %(megapixels)s megapixels are accepted. "
          "Send a smaller image or a PDF."),
        code="too_many_pixels", params={"megapixels": limit // 1_000_000},
    )


def _reencoded_image(content, content_type):
    """Decode the image within the pixel limit and return a clean copy: upright, no metadata, no extra bytes."""
    limit = settings.UPLOAD_MAX_IMAGE_PIXELS
    try:
        with Image.open(io.BytesIO(content), formats=[PILLOW_FORMATS[content_type]]) as image:
            width, height = image.size
            if width * height > limit:
                raise _too_many_pixels(limit)
            image.load()
            ImageOps.exif_transpose(image, in_place=True)
            if content_type == JPEG:
                target = "L" if image.mode in ("1", "L") else "RGB"
            elif image.mode in ("1", "L", "LA", "RGB", "RGBA"):
                target = image.mode
            else:
                target = "RGBA" if image.has_transparency_data else "RGB"
            clean = image.convert(target) if image.mode != target else image
            clean.info = {}  # nothing of the original's metadata (EXIF, ICC, text chunks) is written again
            out = io.BytesIO()
            if content_type == JPEG:
                clean.save(out, "JPEG", quality=90)
            else:
                clean.save(out, "PNG")
    except ValidationError:
        raise
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels(limit) from exc
    except Exception as exc:  # Pillow reports a bad file through many exception types; each is a refusal
        log.info("upload: undecodable image (%s)", type(exc).__name__)
        raise ValidationError(DAMAGED, code="damaged") from exc
    return out.getvalue()


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
    if content_type == PDF:
        pages = _check_pdf(content)
    else:
        pages, content = 1, _reencoded_image(content, content_type)
    name = "".join(ch for ch in (upload.name or "")[-120:] if ch.isprintable() and ch not in "/\\") or "proof"
    return CheckedUpload(content, content_type, pages, hashlib.sha256(content).hexdigest(), name)

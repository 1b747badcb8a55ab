"""Hostile uploads are refused with a clear message; proof is stored under random names."""

import hashlib
import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from appointments.models import ExpediteRequest
from appointments.uploads import upload_check
from tests.factories import pdf_bytes, pdf_upload
from tests.form_data import expedite_form_data

pytestmark = pytest.mark.django_db
FORM = "/en/appointments/shanghai/request/"

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"This program"
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"

HOSTILE = [
    ("renamed executable", SimpleUploadedFile("letter.pdf", EXECUTABLE, content_type="application/pdf"),
     "Only PDF, JPEG and PNG files are accepted"),
    ("HTML saved as .pdf", SimpleUploadedFile("invitation.pdf", HTML, content_type="application/pdf"),
     "Only PDF, JPEG and PNG files are accepted"),
    ("3-page PDF", SimpleUploadedFile("i20.pdf", pdf_bytes(3), content_type="application/pdf"),
     "The PDF has 3 pages; send at most 2 pages of proof."),
    ("empty file", SimpleUploadedFile("empty.pdf", b"", content_type="application/pdf"),
     "is empty: upload another."),
    ("PDF header on garbage", SimpleUploadedFile("broken.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 50,
                                                 content_type="application/pdf"), "This PDF cannot be read"),
    ("JPEG header cut short", SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 40,
                                                 content_type="image/jpeg"), "damaged or incomplete"),
]


@pytest.mark.parametrize(("case", "upload", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_uploads_are_refused_with_a_clear_message(client, shanghai_policy, case, upload, message):
    upload.seek(0)
    response = client.post(FORM, {**expedite_form_data(shanghai_policy), "proof": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ExpediteRequest.objects.exists()


@override_settings(UPLOAD_MAX_BYTES=50_000)
def test_an_oversize_file_is_refused(client, shanghai_policy):
    big = SimpleUploadedFile("big.pdf", pdf_bytes(1) + b"%" + b"0" * 60_000, content_type="application/pdf")
    response = client.post(FORM, {**expedite_form_data(shanghai_policy), "proof": big})
    assert response.status_code == 400
    assert "The file is too large" in response.content.decode()
    assert not ExpediteRequest.objects.exists()


def test_the_default_limit_is_five_megabytes(settings):
    assert settings.UPLOAD_MAX_BYTES == 5 * 1024 * 1024
    too_big = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (5 * 1024 * 1024))
    with pytest.raises(Exception, match="too large"):
        upload_check(upload=too_big)


def test_two_pdfs_of_two_pages_are_too_many_pages(client, shanghai_policy):
    response = client.post(FORM, {**expedite_form_data(shanghai_policy), "proof": pdf_upload(2),
                                  "proof_second_page": pdf_upload(1, "more.pdf")})
    assert response.status_code == 400
    assert "at most 2 pages of proof in all" in response.content.decode()


def test_a_two_page_pdf_is_accepted_by_content_whatever_its_name(client, shanghai_policy, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("../../etc/passwd.exe", pdf_bytes(2), content_type="text/html")
    response = client.post(FORM, {**expedite_form_data(shanghai_policy), "proof": upload})
    assert response.status_code == 302
    document = ExpediteRequest.objects.get().documents.get()
    assert document.pages == 2 and document.content_type == "application/pdf"
    stored = document.file.name
    assert stored.startswith("expedite/") and stored.endswith(".pdf") and "passwd" not in stored
    assert (tmp_path / stored).is_file() and not str(tmp_path / stored).startswith(str(settings.STATIC_ROOT))
    assert len(stored.rsplit("/", 1)[1]) == 36  # 32 random hex characters and the extension


# Files built by hand: each is what an attacker would send. -----------------------------------------------

def raw_pdf(*objects):
    """A PDF of the given object bodies, numbered from 1 (the catalogue), with a correct cross-reference."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"


def one_page_pdf(catalogue=b"", page=b"", *more):
    """Catalogue 1, page tree 2, page 3, then ``more`` objects from 4 on; extra entries spliced in."""
    return raw_pdf(b"<< /Type /Catalog /Pages 2 0 R " + catalogue + b">>",
                   b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + page + b">>", *more)


def deep_page_tree_pdf(levels):
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(levels):
        number = 2 + level
        parent = b" /Parent %d 0 R" % (number - 1) if level else b""
        objects.append(b"<< /Type /Pages /Kids [%d 0 R] /Count 1%s >>" % (number + 1, parent))
    objects.append(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] >>" % (levels + 1))
    return raw_pdf(*objects)


def many_pages_pdf(pages, declared):
    """``pages`` leaves in one flat tree (all the same page object, so the file stays small)."""
    kids = b" ".join([b"3 0 R"] * pages)
    return raw_pdf(b"<< /Type /Catalog /Pages 2 0 R >>",
                   b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, declared), PAGE)


def image_bytes(fmt, size=(40, 30), **options):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt, **options)
    return buffer.getvalue()


def png_claiming(width, height):
    """A PNG whose header claims ``width`` x ``height`` pixels, with a few bytes of image data."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + chunk(b"IEND", b""))


def zip_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", HTML)
    return buffer.getvalue()


def submit(client, policy, content, name):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(FORM, {**expedite_form_data(policy), "proof": upload})


def refusal(content, name="proof.pdf"):
    with pytest.raises(ValidationError) as refused:
        upload_check(upload=SimpleUploadedFile(name, content))
    return " ".join(refused.value.messages)


# PDF page trees --------------------------------------------------------------------------------------------

def test_a_pdf_page_tree_150_levels_deep_is_a_form_error_not_a_server_error(client, shanghai_policy):
    response = submit(client, shanghai_policy, deep_page_tree_pdf(150), "deep.pdf")
    assert response.status_code == 400
    assert "This PDF cannot be read" in response.content.decode()
    assert not ExpediteRequest.objects.exists()


@pytest.mark.parametrize("declared", [60_000, 1], ids=["honest count", "lying count"])
def test_a_60000_page_pdf_is_refused_without_walking_its_pages(declared):
    content = many_pages_pdf(60_000, declared)
    assert len(content) < 5 * 1024 * 1024
    with pytest.raises(ValidationError) as refused:
        upload_check(upload=SimpleUploadedFile("proof.pdf", content))
    message = " ".join(refused.value.messages)
    assert "send at most 2 pages of proof" in message
    assert ("60000 pages" if declared == 60_000 else "more than 2 pages") in message
    if declared == 1:  # refused on the length of the page list, before a single page was visited
        assert refused.value.error_list[0].params["seen"] == 60_000


def test_a_pdf_page_tree_that_loops_is_unreadable():
    looping = raw_pdf(b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>")
    assert "This PDF cannot be read" in refusal(looping)


def test_a_pdf_without_pages_is_refused():
    empty = raw_pdf(b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>")
    assert "This PDF has no pages" in refusal(empty)


# Active content ---------------------------------------------------------------------------------------------

ACTIVE_PDFS = [
    ("JavaScript on opening", one_page_pdf(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> ")),
    ("script in an indirect action", one_page_pdf(b"/OpenAction 4 0 R ", b"",
                                                  b"<< /S /JavaScript /JS 5 0 R >>", b"(app.alert(1))")),
    ("OpenAction of any kind of action", one_page_pdf(b"/OpenAction << /S /GoTo /D [3 0 R /Fit] >> ")),
    ("Launch", one_page_pdf(b"", b"/Annots [4 0 R]", b"<< /Type /Annot /Subtype /Link /Rect [0 0 595 842] "
                                                       b"/A << /S /Launch /F (cmd.exe) >> >>")),
    ("page additional actions", one_page_pdf(b"", b"/AA << /O << /S /URI /URI (https://x.example) >> >>")),
    ("document JavaScript", one_page_pdf(b"/Names << /JavaScript << /Names [(a) 4 0 R] >> >> ", b"",
                                         b"<< /S /JavaScript /JS (app.alert(1)) >>")),
    ("embedded files", one_page_pdf(b"/Names << /EmbeddedFiles << /Names [] >> >> ")),
    ("file attached to the document", one_page_pdf(b"/AF [<< /Type /Filespec /F (a.exe) /EF << /F 4 0 R >> >>] ",
                                                   b"", b"<< /Length 0 >>\nstream\n\nendstream")),
    ("rich media", one_page_pdf(b"", b"/Annots [<< /Type /Annot /Subtype /RichMedia /Rect [0 0 9 9] >>]")),
    ("XFA form", one_page_pdf(b"/AcroForm << /Fields [] /XFA 4 0 R >> ", b"", b"<< /Length 0 >>\nstream\n\nendstream")),
    ("name written with escapes", one_page_pdf(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> ")),
]


@pytest.mark.parametrize(("case", "content"), ACTIVE_PDFS, ids=[a[0] for a in ACTIVE_PDFS])
def test_a_pdf_with_scripts_or_actions_is_refused_with_a_way_out(client, shanghai_policy, case, content):
    response = submit(client, shanghai_policy, content, "letter.pdf")
    assert response.status_code == 400
    assert "This PDF contains scripts, actions or attached files. Print it to a new PDF and send that." \
        in response.content.decode()
    assert not ExpediteRequest.objects.exists()


def test_a_pdf_that_opens_at_a_page_and_links_to_a_website_is_accepted(client, shanghai_policy, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    content = one_page_pdf(b"/OpenAction [3 0 R /Fit] ", b"/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] "
                                                         b"/A << /S /URI /URI (https://www.example.edu/) >> >>]")
    assert submit(client, shanghai_policy, content, "i20.pdf").status_code == 302
    document = ExpediteRequest.objects.get().documents.get()
    assert document.content_type == "application/pdf" and document.file.read() == content


# Images ------------------------------------------------------------------------------------------------------

def test_a_png_claiming_65535_by_65535_pixels_is_refused(client, shanghai_policy):
    response = submit(client, shanghai_policy, png_claiming(65535, 65535), "bomb.png")
    assert response.status_code == 400
    assert "This image is too large: at most 40 megapixels are accepted." in response.content.decode()
    assert not ExpediteRequest.objects.exists()


def test_an_image_over_the_pixel_setting_is_refused_before_it_is_decoded(settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 1_000_000
    assert "at most 1 megapixels" in refusal(png_claiming(1001, 1000), "scan.png")
    assert "at most 1 megapixels" in refusal(image_bytes("JPEG", (1001, 1000)), "scan.jpg")


@pytest.mark.parametrize(("fmt", "name", "extension"), [("JPEG", "photo.jpg", ".jpg"), ("PNG", "scan.png", ".png")])
@pytest.mark.parametrize("trailer", [HTML, zip_bytes()], ids=["HTML", "ZIP"])
def test_bytes_after_an_image_are_not_stored(client, shanghai_policy, settings, tmp_path, fmt, name, extension,
                                             trailer):
    settings.MEDIA_ROOT = tmp_path
    original = image_bytes(fmt)
    assert submit(client, shanghai_policy, original + trailer, name).status_code == 302
    document = ExpediteRequest.objects.get().documents.get()
    stored = document.file.read()
    assert trailer not in stored and b"<script" not in stored and b"PK\x03\x04" not in stored
    assert document.file.name.endswith(extension) and document.content_type == f"image/{fmt.lower()}"
    assert document.size == len(stored) and document.sha256 == hashlib.sha256(stored).hexdigest()
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == fmt and image.size == (40, 30)
    assert stored.endswith(b"\xff\xd9" if fmt == "JPEG" else b"IEND\xaeB`\x82")


def test_a_photo_is_stored_upright_without_its_metadata():
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: the camera was turned a quarter
    exif[0x010F] = "Camera maker"
    exif[0x8825] = {2: (35.0, 40.0, 0.0)}  # where it was taken
    original = image_bytes("JPEG", (40, 30), exif=exif.tobytes(), comment=b"<script>alert(1)</script>")
    checked = upload_check(upload=SimpleUploadedFile("photo.jpg", original))
    with Image.open(io.BytesIO(checked.content)) as image:
        assert image.size == (30, 40)
        assert "exif" not in image.info and "comment" not in image.info and not image.getexif()
    assert b"Camera maker" not in checked.content and b"<script" not in checked.content


@pytest.mark.parametrize(("fmt", "name"), [("JPEG", "photo.jpg"), ("PNG", "scan.png")])
def test_a_plain_image_is_accepted(client, shanghai_policy, settings, tmp_path, fmt, name):
    settings.MEDIA_ROOT = tmp_path
    assert submit(client, shanghai_policy, image_bytes(fmt), name).status_code == 302
    document = ExpediteRequest.objects.get().documents.get()
    assert document.pages == 1 and document.content_type == f"image/{fmt.lower()}"


def test_a_png_cut_short_is_damaged():
    assert "This image is damaged or incomplete." in refusal(image_bytes("PNG")[:-30], "scan.png")


def test_an_officer_opening_the_proof_gets_the_reencoded_image(client, shanghai_policy, officer_shanghai, settings,
                                                               tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert submit(client, shanghai_policy, image_bytes("JPEG") + HTML, "photo.jpg").status_code == 302
    expedite = ExpediteRequest.objects.get()
    document = expedite.documents.get()
    client.force_login(officer_shanghai)
    response = client.get(reverse("admin:appointments_expediterequest_document", args=[expedite.pk, document.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    served = b"".join(response.streaming_content)
    assert HTML not in served and hashlib.sha256(served).hexdigest() == document.sha256
    with Image.open(io.BytesIO(served)) as image:
        assert image.format == "JPEG" and image.size == (40, 30)


# Size ---------------------------------------------------------------------------------------------------------

class EndlessUpload:
    """An upload of unknown size that records how much is read from it."""

    name, size = "endless.png", None

    def __init__(self):
        self.read_sizes = []

    def seek(self, position):
        pass

    def read(self, size=-1):
        self.read_sizes.append(size)
        return b"\x89PNG\r\n\x1a\n" + b"\x00" * (size - 8)


@override_settings(UPLOAD_MAX_BYTES=50_000)
def test_no_more_than_the_limit_and_one_byte_is_read():
    upload = EndlessUpload()
    with pytest.raises(ValidationError, match="too large"):
        upload_check(upload=upload)
    assert upload.read_sizes == [50_001]

"""Hostile uploads are refused with a clear message; proof is stored under random names."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from appointments.models import ExpediteRequest
from appointments.uploads import upload_check

from .conftest import pdf_bytes, pdf_upload, shanghai_form_data

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
     "The submitted file is empty."),
    ("PDF header on garbage", SimpleUploadedFile("broken.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 50,
                                                 content_type="application/pdf"), "This PDF cannot be read"),
    ("JPEG header cut short", SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 40,
                                                 content_type="image/jpeg"), "damaged or incomplete"),
]


@pytest.mark.parametrize(("case", "upload", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_uploads_are_refused_with_a_clear_message(client, shanghai_policy, case, upload, message):
    upload.seek(0)
    response = client.post(FORM, {**shanghai_form_data(shanghai_policy), "proof": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ExpediteRequest.objects.exists()


@override_settings(UPLOAD_MAX_BYTES=50_000)
def test_an_oversize_file_is_refused(client, shanghai_policy):
    big = SimpleUploadedFile("big.pdf", pdf_bytes(1) + b"%" + b"0" * 60_000, content_type="application/pdf")
    response = client.post(FORM, {**shanghai_form_data(shanghai_policy), "proof": big})
    assert response.status_code == 400
    assert "The file is too large" in response.content.decode()
    assert not ExpediteRequest.objects.exists()


def test_the_default_limit_is_five_megabytes(settings):
    assert settings.UPLOAD_MAX_BYTES == 5 * 1024 * 1024
    too_big = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (5 * 1024 * 1024))
    with pytest.raises(Exception, match="too large"):
        upload_check(upload=too_big)


def test_two_pdfs_of_two_pages_are_too_many_pages(client, shanghai_policy):
    response = client.post(FORM, {**shanghai_form_data(shanghai_policy), "proof": pdf_upload(2),
                                  "proof_second_page": pdf_upload(1, "more.pdf")})
    assert response.status_code == 400
    assert "at most 2 pages of proof in all" in response.content.decode()


def test_a_two_page_pdf_is_accepted_by_content_whatever_its_name(client, shanghai_policy, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("../../etc/passwd.exe", pdf_bytes(2), content_type="text/html")
    response = client.post(FORM, {**shanghai_form_data(shanghai_policy), "proof": upload})
    assert response.status_code == 302
    document = ExpediteRequest.objects.get().documents.get()
    assert document.pages == 2 and document.content_type == "application/pdf"
    stored = document.file.name
    assert stored.startswith("expedite/") and stored.endswith(".pdf") and "passwd" not in stored
    assert (tmp_path / stored).is_file() and not str(tmp_path / stored).startswith(str(settings.STATIC_ROOT))
    assert len(stored.rsplit("/", 1)[1]) == 36  # 32 random hex characters and the extension

"""Every request body is capped before the portal reads it: large for the form that takes proof files, small
everywhere else. Over the cap the applicant gets a page in their language, and nothing is saved."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.test import RequestFactory

from consular_portal.body_limit import BodyTooLarge, CappedInput, RequestBodyLimitMiddleware
from consular_portal.models import FraudReport, SurveyResponse
from tests.form_data import fraud_form_data, survey_form_data

pytestmark = pytest.mark.django_db

FRAUD = fraud_form_data(description="Someone asked me to pay my MRV fee to them.")
CLAIMED_300_MB = str(300 * 1024 * 1024)


def test_a_300_mb_fraud_report_is_refused_unread_with_a_page_in_japanese(client, posts):
    response = client.post("/ja/fraud/", FRAUD, CONTENT_LENGTH=CLAIMED_300_MB)  # the body itself is small
    assert response.status_code == 413
    page = response.content.decode()
    assert '<html lang="ja">' in page
    assert 'href="/ja/fraud/"' in page  # back to the form
    assert not FraudReport.objects.exists()


def test_a_file_part_added_to_a_fraud_report_is_refused(client, posts, settings):
    extra = SimpleUploadedFile("big.bin", b"x" * (settings.REQUEST_MAX_BYTES_NO_UPLOAD + 1))
    response = client.post("/en/fraud/", {**FRAUD, "extra": extra})
    assert response.status_code == 413
    assert "What you sent is too large" in response.content.decode()
    assert not FraudReport.objects.exists()


def test_a_body_just_over_the_cap_is_refused_and_one_under_it_is_not(client, posts, settings):
    settings.REQUEST_MAX_BYTES_NO_UPLOAD = 4096
    assert client.post("/en/feedback/", survey_form_data(comments="x" * 4100)).status_code == 413
    assert client.post("/en/feedback/", survey_form_data(comments="x" * 1900)).status_code == 302
    assert SurveyResponse.objects.count() == 1


def test_a_small_file_part_on_a_form_without_files_is_never_written_to_disk(client, posts, monkeypatch):
    spooled = []
    monkeypatch.setattr(TemporaryFileUploadHandler, "new_file", lambda handler, *a, **k: spooled.append(a))
    extra = SimpleUploadedFile("small.bin", b"x" * 100_000)
    assert client.post("/en/fraud/", {**FRAUD, "extra": extra}).status_code == 302
    assert spooled == []


def test_the_request_form_takes_its_proof_but_not_300_mb(client, posts):
    response = client.post("/zh-hans/appointments/shanghai/request/", {"full_name": "Li Wei"},
                           CONTENT_LENGTH=CLAIMED_300_MB)
    assert response.status_code == 413
    assert '<html lang="zh-hans">' in response.content.decode()


def test_the_request_form_accepts_bodies_up_to_its_own_cap(settings):
    from consular_portal.body_limit import body_cap

    factory = RequestFactory()
    assert body_cap(factory.post("/en/appointments/shanghai/request/")) == settings.REQUEST_MAX_BYTES
    assert body_cap(factory.post("/en/fraud/")) == settings.REQUEST_MAX_BYTES_NO_UPLOAD
    assert body_cap(factory.post("/nowhere/")) == settings.REQUEST_MAX_BYTES_NO_UPLOAD
    # Two proof files of the largest size, and the fields, fit.
    assert settings.REQUEST_MAX_BYTES > 2 * settings.UPLOAD_MAX_BYTES


def test_a_body_of_unknown_length_is_read_no_further_than_the_cap(settings):
    capped = CappedInput(io.BytesIO(b"x" * 100), 60)
    assert capped.read(50) == b"x" * 50
    with pytest.raises(BodyTooLarge):
        capped.read(50)
    request = RequestFactory().post("/en/fraud/", data=b"x" * 100, content_type="application/octet-stream")
    del request.META["CONTENT_LENGTH"]
    seen = []
    RequestBodyLimitMiddleware(lambda r: seen.append(r.META["wsgi.input"]))(request)
    assert isinstance(seen[0], CappedInput)


def test_a_chunked_post_without_length_saves_nothing(client, posts):
    response = client.post("/en/fraud/", FRAUD, CONTENT_LENGTH="")
    assert response.status_code == 200  # the portal reads no body it was not told the length of
    assert not FraudReport.objects.exists()

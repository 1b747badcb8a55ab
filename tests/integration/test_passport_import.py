"""A CSV of passport statuses uploaded in the admin is checked by the real Celery worker (queued on
commit, JSON arguments, its own database connection), applied by it once staff apply the preview, and
the job's page shows the result."""

import time
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from passports.models import PassportImport, PassportTracking, TrackingEvent
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)
HEADER = "passport_number,post,status,letter_pack_number,date\n"


def wait_until_finished(job, *, seconds=60, statuses=(PassportImport.Status.DONE, PassportImport.Status.FAILED)):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in statuses:
            return job
        time.sleep(0.2)
    raise AssertionError(f"import {job.pk} still {job.status} after {seconds}s")


def test_an_upload_is_applied_by_the_worker_and_its_page_shows_the_counts(celery_worker, posts):
    tokyo = posts["tokyo"]
    PassportTracking.objects.create(post=tokyo, key="TK0000001", status=PassportTracking.Status.AT_POST)
    PassportTracking.objects.create(post=tokyo, key="TK0000002", status=PassportTracking.Status.PROCESSING)
    client = Client()
    client.force_login(factories.passport_staff(tokyo, username="passport-staff-tokyo"))
    text = (HEADER + "TK0000001,tokyo,out_for_delivery,123456789012,2026-11-30 10:00\n"
            "TK0000002,tokyo,processing,,2026-11-30\n"
            "TK0000003,tokyo,at_post,,2026/11/30\n"
            "TK0000004,tokyo,lost,,2026-11-30\n")
    response = client.post(reverse("admin:passports_passportimport_add"), {
        "post": tokyo.pk, "file": SimpleUploadedFile("statuses.csv", text.encode("shift_jis"))})
    assert response.status_code == 302
    job = PassportImport.objects.get()
    try:
        wait_until_finished(job, statuses=(PassportImport.Status.READY, PassportImport.Status.FAILED))
        assert job.status == PassportImport.Status.READY, job.error
        assert (job.updated, job.created, job.unchanged, job.rejected) == (1, 1, 1, 1)
        assert "Apply the 3 valid rows" in client.get(response["Location"]).content.decode()
        assert not TrackingEvent.objects.exists()
        assert client.post(reverse("admin:passports_passportimport_apply", args=[job.pk])).status_code == 302
        wait_until_finished(job)
        assert job.status == PassportImport.Status.DONE, job.error
        assert (job.rows_total, job.rows_done) == (4, 4)
        assert (job.updated, job.created, job.unchanged, job.rejected) == (1, 1, 1, 1)
        assert [row["line"] for row in job.rejected_rows] == [5]
        assert dict(PassportTracking.objects.filter(post=tokyo).values_list("key", "status")) == {
            "TK0000001": "out_for_delivery", "TK0000002": "processing", "TK0000003": "at_post"}
        assert PassportTracking.objects.get(key="TK0000001").letter_pack_number == "123456789012"
        assert set(TrackingEvent.objects.values_list("item__key", "status")) == {
            ("TK0000001", "out_for_delivery"), ("TK0000003", "at_post")}
        page = client.get(response["Location"]).content.decode()
        assert 'http-equiv="refresh"' not in page and "<th scope=\"row\">updated</th><td>1</td>" in page
    finally:
        default_storage.delete(job.file.name)
        assert not Path(default_storage.path(job.file.name)).exists()

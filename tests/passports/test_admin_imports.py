import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from consular_portal.tracking.imports import run_import
from passports.models import PassportImport, PassportTracking
from tests import factories

pytestmark = pytest.mark.django_db
HEADER = "passport_number,post,status,letter_pack_number,date\n"
UPLOAD = reverse("admin:passports_passportimport_add")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def upload(client, post, text, *, encoding="utf-8"):
    return client.post(UPLOAD, {"post": post.pk, "file": SimpleUploadedFile(
        "statuses.csv", text.encode(encoding), content_type="text/csv")})


def job_url(job):
    return reverse("admin:passports_passportimport_change", args=[job.pk])


def apply_url(job):
    return reverse("admin:passports_passportimport_apply", args=[job.pk])


def cancel_url(job):
    return reverse("admin:passports_passportimport_cancel", args=[job.pk])


def test_the_upload_page_offers_only_the_clerks_posts_and_links_the_template(clerk, tokyo, shanghai):
    page = clerk.get(UPLOAD)
    assert page.status_code == 200
    choices = {str(value) for value, _label in page.context["adminform"].form.fields["post"].choices if value}
    assert choices == {str(tokyo.pk)}
    text = page.content.decode()
    assert "Shift_JIS" in text and "YYYY/MM/DD" in text
    assert reverse("admin:passports_passportimport_template") in text


def test_an_upload_for_another_post_is_refused(clerk, shanghai):
    response = upload(clerk, shanghai, HEADER + "SH0000001,shanghai,at_post,,2026-11-30\n")
    assert response.status_code == 200 and response.context["adminform"].form.errors["post"]
    assert not PassportImport.objects.exists()


def test_an_upload_creates_the_job_queues_it_on_commit_and_shows_progress_then_the_result(
        clerk, clerk_tokyo, tokyo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(clerk, tokyo, HEADER + "TK0000001,tokyo,at_post,,2026-11-30\n"
                          "TK0000002,tokyo,lost,,2026-11-30\n"
                          "=HYPERLINK(1),tokyo,at_post,,someday\n")
    job = PassportImport.objects.get()
    assert (job.post, job.uploaded_by, job.status) == (tokyo, clerk_tokyo, "queued")
    assert response.status_code == 302 and response["Location"] == job_url(job)
    assert len(callbacks) == 1
    running = clerk.get(job_url(job)).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in running and "<progress" in running

    run_import("passports.PassportImport", job.pk)
    preview = clerk.get(job_url(job)).content.decode()
    assert 'http-equiv="refresh"' not in preview and "Preview: what applying the file would do" in preview
    assert "<th scope=\"row\">created</th><td>1</td>" in preview
    assert "<td>3</td><td>TK0000002</td><td>The status must be one of" in preview
    assert "Apply the 1 valid row</button>" in preview and ">Cancel</button>" in preview
    assert not PassportTracking.objects.exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert clerk.post(apply_url(job)).status_code == 302
    assert len(callbacks) == 1
    run_import("passports.PassportImport", job.pk)
    done = clerk.get(job_url(job)).content.decode()
    assert 'http-equiv="refresh"' not in done
    assert '<progress id="import-progress" max="3" value="3">' in done
    assert "<th scope=\"row\">created</th><td>1</td>" in done
    assert "<th scope=\"row\">rejected</th><td>2</td>" in done
    assert "<td>3</td><td>TK0000002</td><td>The status must be one of" in done
    assert PassportTracking.objects.filter(key="TK0000001", post=tokyo).exists()

    rejected = clerk.get(reverse("admin:passports_passportimport_rejected", args=[job.pk]))
    assert rejected["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(rejected.content.decode())))
    assert rows[0] == ["passport_number", "post", "status", "letter_pack_number", "date", "case", "line", "errors"]
    assert rows[1][:3] == ["TK0000002", "tokyo", "lost"] and rows[1][6] == "3"
    assert rows[2][0] == "'=HYPERLINK(1)" and "date must be" in rows[2][7]


def test_the_template_is_a_header_and_an_example_row_that_imports(clerk, tokyo):
    response = clerk.get(reverse("admin:passports_passportimport_template"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["passport_number", "post", "status", "letter_pack_number", "date", "case"]
    assert len(rows) == 2
    upload(clerk, tokyo, response.content.decode())
    run_import("passports.PassportImport", PassportImport.objects.get().pk)
    clerk.post(apply_url(PassportImport.objects.get()))
    run_import("passports.PassportImport", PassportImport.objects.get().pk)
    assert PassportImport.objects.get().created == 1


def test_a_clerk_of_tokyo_cannot_open_shanghais_import_and_an_officer_none(clerk, tokyo, shanghai):
    other = PassportImport.objects.create(post=shanghai, file=SimpleUploadedFile("s.csv", b"x"))
    for url in (job_url(other), reverse("admin:passports_passportimport_rejected", args=[other.pk])):
        assert clerk.get(url).status_code == 404
    PassportImport.objects.filter(pk=other.pk).update(status="ready", rows_total=1)
    for url in (apply_url(other), cancel_url(other)):
        assert clerk.post(url).status_code == 404
    assert PassportImport.objects.get(pk=other.pk).status == "ready"
    officer = Client()
    officer.force_login(factories.officer(tokyo))
    assert officer.get(UPLOAD).status_code == 403
    assert officer.get(reverse("admin:passports_passportimport_template")).status_code == 403


def test_a_file_without_the_columns_fails_and_its_page_says_why(clerk, tokyo):
    upload(clerk, tokyo, "number,status\nTK0000001,at_post\n")
    job = PassportImport.objects.get()
    assert run_import("passports.PassportImport", job.pk) == "failed"
    page = clerk.get(job_url(job))
    text = page.content.decode()
    assert page.status_code == 200 and 'http-equiv="refresh"' not in text
    assert "nothing of it was applied" in text and "lacks the columns: passport_number, post" in text
    assert not PassportTracking.objects.exists()


def test_a_double_click_on_apply_applies_once_and_says_so(
        clerk, clerk_tokyo, tokyo, django_capture_on_commit_callbacks):
    upload(clerk, tokyo, HEADER + "TK0000001,tokyo,at_post,,2026-11-30\n")
    job = PassportImport.objects.get()
    run_import("passports.PassportImport", job.pk)
    assert clerk.get(apply_url(job)).status_code == 405  # only the form's POST applies
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = clerk.post(apply_url(job), follow=True)
        second = clerk.post(apply_url(job), follow=True)
    assert len(callbacks) == 1
    assert "The valid rows are being applied." in first.content.decode()
    assert "it was applied or cancelled already" in second.content.decode()
    job.refresh_from_db()
    assert job.status == "approved" and job.applied_by == clerk_tokyo
    page = second.content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page and "Apply the" not in page


def test_cancel_marks_the_job_cancelled_and_applies_nothing(clerk, tokyo, django_capture_on_commit_callbacks):
    upload(clerk, tokyo, HEADER + "TK0000001,tokyo,at_post,,2026-11-30\n")
    job = PassportImport.objects.get()
    run_import("passports.PassportImport", job.pk)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page = clerk.post(cancel_url(job), follow=True).content.decode()
        clerk.post(apply_url(job))
    assert not callbacks
    assert "This import was cancelled: nothing of it was applied." in page and "Apply the" not in page
    assert PassportImport.objects.get().status == "cancelled"
    assert run_import("passports.PassportImport", job.pk) is None
    assert not PassportTracking.objects.exists()

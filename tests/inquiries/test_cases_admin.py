"""Officers keep their posts' case statuses in the admin, one by one and by CSV import (the tracking
imports: preview, apply, rejected rows), and see nothing of other posts."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from consular_portal.tracking.imports import run_import
from inquiries.models import Case, CaseEvent, CaseImport
from tests import factories

pytestmark = pytest.mark.django_db
Status = Case.Status
HEADER = "receipt_number,post,status,date,service\n"
UPLOAD = reverse("admin:inquiries_caseimport_add")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def upload(client, post, text):
    return client.post(UPLOAD, {"post": post.pk, "file": SimpleUploadedFile(
        "cases.csv", text.encode(), content_type="text/csv")})


def url(name, *args):
    return reverse(f"admin:inquiries_caseimport_{name}", args=args)


def inline_management(prefix="events"):
    return {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000"}


def test_an_officer_adds_a_case_and_changes_its_status_with_a_note_kept_in_its_history(
        officer_client, officer_tokyo, tokyo):
    response = officer_client.post(reverse("admin:inquiries_case_add"), {
        "post": tokyo.pk, "key": "eac-21-123-45678", "service": "I-130", "new_status": Status.RECEIVED,
        "note": "", **inline_management()})
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.key, case.status, case.post) == ("EAC2112345678", Status.RECEIVED, tokyo)
    change = reverse("admin:inquiries_case_change", args=[case.pk])
    page = officer_client.get(change).content.decode()
    offered = set(officer_client.get(change).context["adminform"].form.fields["new_status"].choices)
    assert (Status.DOCUMENT_MAILED.value, Status.DOCUMENT_MAILED.label) not in offered  # not after "received"
    assert "EAC2112345678" in page
    officer_client.post(change, {"service": "I-130", "new_status": Status.INTERVIEW_SCHEDULED,
                                 "note": "Interview on the 12th", **inline_management()})
    case.refresh_from_db()
    assert case.status == Status.INTERVIEW_SCHEDULED
    event = case.events.first()
    assert (event.status, event.actor, event.note) == (Status.INTERVIEW_SCHEDULED, officer_tokyo,
                                                      "Interview on the 12th")


def test_an_invalid_receipt_number_is_an_error_in_the_admin(officer_client, tokyo):
    response = officer_client.post(reverse("admin:inquiries_case_add"), {
        "post": tokyo.pk, "key": "ABC123", "service": "", "new_status": Status.RECEIVED, "note": "",
        **inline_management()})
    assert response.status_code == 200 and "3 letters and 10 digits" in response.content.decode()
    assert not Case.objects.exists()


def test_search_is_exact_and_an_officer_sees_only_their_posts_cases(officer_client, make_case, shanghai):
    mine, other = make_case("EAC2112345678"), make_case("MSC2112345678", post=shanghai)
    listing = reverse("admin:inquiries_case_changelist")
    assert officer_client.get(listing, {"q": "eac 21 123 45678"}).context["cl"].result_count == 1
    assert officer_client.get(listing, {"q": "EAC21"}).context["cl"].result_count == 0
    assert officer_client.get(reverse("admin:inquiries_case_change", args=[other.pk])).status_code == 404
    assert officer_client.get(reverse("admin:inquiries_case_change", args=[mine.pk])).status_code == 200


def test_passport_staff_cannot_open_case_statuses(tokyo):
    client = Client()
    client.force_login(factories.passport_staff(tokyo))
    assert client.get(reverse("admin:inquiries_case_changelist")).status_code == 403
    assert client.get(UPLOAD).status_code == 403


def test_a_csv_import_previews_then_applies_its_valid_rows_with_events_and_rejects_the_others(
        officer_client, officer_tokyo, tokyo, make_case, django_capture_on_commit_callbacks):
    make_case("WAC2112345678", status=Status.APPROVED)
    make_case("LIN2112345678", status=Status.RECEIVED)
    make_case("NBC2112345678", status=Status.RECEIVED)
    text = (HEADER
            + "EAC-21-123-45678,tokyo,received,2026-11-30,I-130\n"  # created
            + "WAC2112345678,tokyo,document_mailed,2026/11/30 10:00,\n"  # updated
            + "NBC2112345678,tokyo,received,2026-11-30,\n"  # unchanged
            + "ABC2112345678,tokyo,received,2026-11-30,\n"  # unknown prefix
            + "SRC2112345678,tokyo,lost,2026-11-30,\n"  # no such status
            + "LIN2112345678,tokyo,document_mailed,2026-11-30,\n"  # may not follow "received"
            + "=HYPERLINK(1),shanghai,received,someday,\n")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(officer_client, tokyo, text)
    job = CaseImport.objects.get()
    assert response.status_code == 302 and response["Location"] == url("change", job.pk) and len(callbacks) == 1
    assert '<meta http-equiv="refresh" content="2">' in officer_client.get(url("change", job.pk)).content.decode()

    assert run_import("inquiries.CaseImport", job.pk) == "ready"
    preview = officer_client.get(url("change", job.pk)).content.decode()
    assert "Preview: what applying the file would do" in preview
    for count, number in (("created", 1), ("updated", 1), ("unchanged", 1), ("rejected", 4)):
        assert f'<th scope="row">{count}</th><td>{number}</td>' in preview
    assert "<td>5</td><td>ABC2112345678</td><td>A receipt number begins with one of" in preview
    assert "cannot follow the case" in preview
    assert not Case.objects.filter(key="EAC2112345678").exists()  # nothing applied yet

    officer_client.post(url("apply", job.pk))
    assert run_import("inquiries.CaseImport", job.pk) == "done"
    created = Case.objects.get(key="EAC2112345678")
    assert (created.post, created.status, created.service) == (tokyo, Status.RECEIVED, "I-130")
    assert Case.objects.get(key="WAC2112345678").status == Status.DOCUMENT_MAILED
    assert Case.objects.get(key="LIN2112345678").status == Status.RECEIVED  # refused: changed nothing
    assert CaseEvent.objects.filter(item__key__in=["EAC2112345678", "WAC2112345678"]).count() == 2
    assert CaseEvent.objects.get(item__key="WAC2112345678").note == f"Import {job.pk}"

    rejected = officer_client.get(url("rejected", job.pk))
    rows = list(csv.reader(io.StringIO(rejected.content.decode())))
    assert rows[0] == ["receipt_number", "post", "status", "date", "service", "line", "errors"]
    assert [row[5] for row in rows[1:]] == ["5", "6", "7", "8"]
    assert rows[4][0] == "'=HYPERLINK(1)"  # never a formula in a spreadsheet

    # The same file again changes nothing.
    upload(officer_client, tokyo, text)
    again = CaseImport.objects.exclude(pk=job.pk).get()
    run_import("inquiries.CaseImport", again.pk)
    again.refresh_from_db()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_the_template_imports_and_a_file_without_the_columns_fails_with_its_reason(officer_client, tokyo):
    template = officer_client.get(url("template"))
    assert template.status_code == 200 and "attachment" in template["Content-Disposition"]
    upload(officer_client, tokyo, template.content.decode())
    job = CaseImport.objects.get()
    run_import("inquiries.CaseImport", job.pk)
    officer_client.post(url("apply", job.pk))
    run_import("inquiries.CaseImport", job.pk)
    assert CaseImport.objects.get().created == 1

    upload(officer_client, tokyo, "number,status\nEAC2112345678,received\n")
    broken = CaseImport.objects.exclude(pk=job.pk).get()
    assert run_import("inquiries.CaseImport", broken.pk) == "failed"
    assert "lacks the columns: receipt_number, post" in officer_client.get(url("change", broken.pk)).content.decode()


def test_an_imported_status_change_alerts_the_confirmed_subscribers_once(officer_client, tokyo, make_case):
    from consular_portal.models import OutboundEmail
    from consular_portal.tracking import alerts
    from inquiries.models import CaseSubscription

    case = make_case("EAC2112345678", status=Status.RECEIVED)
    subscription = alerts.subscription_request(subscriptions=CaseSubscription, item=case,
                                               email="applicant@example.com", language="en")
    alerts.subscription_confirm(subscription=subscription)
    upload(officer_client, tokyo, HEADER + "EAC2112345678,tokyo,in_review,2026-11-30,\n")
    job = CaseImport.objects.get()
    run_import("inquiries.CaseImport", job.pk)
    officer_client.post(url("apply", job.pk))
    run_import("inquiries.CaseImport", job.pk)
    [alert] = OutboundEmail.objects.filter(template="case_status_alert")
    assert alert.to == "applicant@example.com" and "Case Is Being Actively Reviewed" in alert.body_text


def test_an_officer_cannot_open_another_posts_import(officer_client, shanghai):
    other = CaseImport.objects.create(post=shanghai, file=SimpleUploadedFile("s.csv", b"x"))
    for address in (url("change", other.pk), url("rejected", other.pk)):
        assert officer_client.get(address).status_code == 404
    CaseImport.objects.filter(pk=other.pk).update(status="ready", rows_total=1)
    assert officer_client.post(url("apply", other.pk)).status_code == 404
    assert CaseImport.objects.get(pk=other.pk).status == "ready"

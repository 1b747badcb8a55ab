import pytest
from django.core.files.base import ContentFile

from consular_portal.tracking.imports import import_apply, import_cancel, run_import
from passports.models import PassportImport, PassportTracking, TrackingEvent

pytestmark = pytest.mark.django_db
Status = PassportTracking.Status
HEADER = "passport_number,post,status,letter_pack_number,date\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture(autouse=True, params=["set_based", "orm"])
def apply_path(request, monkeypatch):
    """Every test on both ways of applying rows: set-based on PostgreSQL, and the ORM (the SQLite default)."""
    from passports import imports

    if request.param == "orm":
        monkeypatch.setattr(imports, "set_based", lambda: False)
    else:
        assert imports.set_based(), "the suite runs on PostgreSQL, where imports take the set-based path"
    return request.param


def job(post, text, encoding="utf-8", **fields):
    return PassportImport.objects.create(post=post, file=ContentFile(text.encode(encoding), name="statuses.csv"),
                                         **fields)


def check_and_apply(job_id, **options):
    """The worker's check, staff's apply, then the worker's apply step: the status the last one returns."""
    assert run_import("passports.PassportImport", job_id, **options) == "ready"
    assert import_apply(job=PassportImport.objects.get(pk=job_id), user=None)
    return run_import("passports.PassportImport", job_id, **options)


def test_valid_rows_are_applied_and_invalid_ones_reported_with_line_and_reason(tokyo, make_tracking, settings):
    make_tracking("TK0000001", status=Status.AT_POST)
    make_tracking("TK0000002", status=Status.PROCESSING)
    imported = job(
        tokyo, HEADER + "tk0000001,tokyo,out_for_delivery,1234-5678-9012,2026-11-30 10:00\n"
        "TK0000002,tokyo,processing,,2026/11/30\n"
        "TK0000003,tokyo,at_post,,2026-11-30\n"
        "TK0000004,shanghai,at_post,,2026-11-30\n"
        "TK0000005,tokyo,lost,12345,yesterday\n")
    assert check_and_apply(imported.pk, chunk_size=2) == "done"
    imported.refresh_from_db()
    assert (imported.rows_total, imported.rows_done) == (5, 5)
    assert (imported.updated, imported.created, imported.unchanged, imported.rejected) == (1, 1, 1, 2)
    assert [row["line"] for row in imported.rejected_rows] == [5, 6]
    assert any("post must be tokyo" in reason for reason in imported.rejected_rows[0]["reasons"])
    assert len(imported.rejected_rows[1]["reasons"]) == 3  # status, Letter Pack number, date
    first = PassportTracking.objects.get(key="TK0000001")
    assert (first.status, first.letter_pack_number) == ("out_for_delivery", "123456789012")
    assert PassportTracking.objects.get(key="TK0000003").status == "at_post"
    assert not PassportTracking.objects.filter(key__in=["TK0000004", "TK0000005"]).exists()


def test_the_same_file_imported_twice_changes_nothing_the_second_time(tokyo, settings):
    text = HEADER + "TK0000001,tokyo,delivered,123456789012,2026-11-30\n"
    check_and_apply(job(tokyo, text).pk)
    events = TrackingEvent.objects.count()
    second = job(tokyo, text)
    check_and_apply(second.pk)
    second.refresh_from_db()
    assert (second.created, second.updated, second.unchanged) == (0, 0, 1)
    assert TrackingEvent.objects.count() == events


def test_a_shift_jis_file_is_read(tokyo, settings):
    imported = job(tokyo, HEADER + "ＴＫ０００００１,tokyo,at_post,,2026-11-30\n", encoding="shift_jis")
    check_and_apply(imported.pk)
    assert PassportTracking.objects.filter(key="TK000001").exists()


def test_a_failure_while_applying_leaves_nothing_half_applied(tokyo, settings, monkeypatch):
    from passports import imports

    def fail(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(imports, "record_events", fail)  # after the passports are written, on either path
    imported = job(tokyo, HEADER + "TK0000001,tokyo,at_post,,2026-11-30\n")
    assert check_and_apply(imported.pk) == "failed"
    imported.refresh_from_db()
    assert imported.status == "failed" and "database gone" in imported.error
    assert not PassportTracking.objects.exists()


def test_a_job_delivered_twice_runs_once(tokyo, settings):
    imported = job(tokyo, HEADER + "TK0000001,tokyo,at_post,,2026-11-30\n")
    assert run_import("passports.PassportImport", imported.pk) == "ready"
    assert run_import("passports.PassportImport", imported.pk) is None
    assert import_apply(job=imported, user=None)
    assert run_import("passports.PassportImport", imported.pk) == "done"
    assert run_import("passports.PassportImport", imported.pk) is None


def test_a_case_number_too_long_is_rejected_not_a_failure(tokyo, settings):
    imported = job(tokyo, "passport_number,post,status,letter_pack_number,date,case\n"
                          f"TK0000001,tokyo,at_post,,2026-11-30,{'9' * 41}\n"
                          "TK0000002,tokyo,at_post,,2026-11-30,C-1\n")
    assert check_and_apply(imported.pk) == "done"
    imported.refresh_from_db()
    assert (imported.created, imported.rejected) == (1, 1)
    assert "case number" in imported.rejected_rows[0]["reasons"][0]
    assert PassportTracking.objects.get().case == "C1"


def test_a_second_file_in_one_transaction_is_applied_too(tokyo, settings):
    from django.db import transaction

    with transaction.atomic():
        check_and_apply(job(tokyo, HEADER + "TK0000001,tokyo,at_post,,2026-11-30\n").pk)
        second = job(tokyo, HEADER + "TK0000001,tokyo,delivered,,2026-12-01\nTK0000002,tokyo,at_post,,2026-12-01\n")
        check_and_apply(second.pk)
    second.refresh_from_db()
    assert (second.created, second.updated, second.unchanged) == (1, 1, 0)
    assert PassportTracking.objects.get(key="TK0000001").status == "delivered"
    assert list(TrackingEvent.objects.filter(item__key="TK0000001").values_list("status", flat=True)) == [
        "delivered", "at_post"]


def test_rows_with_fields_missing_or_blank_lines_are_reported_by_their_line(tokyo, settings):
    imported = job(tokyo, HEADER + "TK0000001,tokyo\n\n" + "TK0000002,tokyo,at_post,,2026-11-30 9:05,extra\n")
    check_and_apply(imported.pk)
    imported.refresh_from_db()
    assert [row["line"] for row in imported.rejected_rows] == [2]
    item = PassportTracking.objects.get()
    assert item.key == "TK0000002"
    assert item.status_changed_at.astimezone(tokyo.tz).strftime("%Y-%m-%d %H:%M") == "2026-11-30 09:05"


def subscriber(number, email, *, confirm=True):
    from consular_portal.tracking.alerts import subscription_confirm
    from passports.alerts import subscription_request

    subscription = subscription_request(number=number, email=email, language="en")
    return subscription_confirm(subscription=subscription) if confirm else subscription


def alerts_to(address):
    from consular_portal.models import OutboundEmail

    return OutboundEmail.objects.filter(to=address, template="passport_status_alert")


def test_a_status_changed_by_an_import_alerts_each_confirmed_subscriber_once(tokyo, make_tracking, settings):
    make_tracking("TK0000001", status=Status.AT_POST)
    make_tracking("TK0000002", status=Status.AT_POST)
    make_tracking("TK0000003", status=Status.OUT_FOR_DELIVERY, letter_pack_number="123456789012")
    subscriber("TK0000001", "hanako@example.com")
    subscriber("TK0000001", "taro@example.com", confirm=False)
    subscriber("TK0000002", "jiro@example.com")  # its status stays: no alert
    subscriber("TK0000003", "yuki@example.com")  # only its Letter Pack number changes: no alert
    text = HEADER + ("TK0000001,tokyo,out_for_delivery,123456789012,2026-11-30 10:00\n"
                     "TK0000002,tokyo,at_post,,2026-11-30\n"
                     "TK0000003,tokyo,out_for_delivery,999999999999,2026-11-30\n"
                     "TK0000004,tokyo,at_post,,2026-11-30\n")
    assert check_and_apply(job(tokyo, text).pk) == "done"
    [alert] = alerts_to("hanako@example.com")
    assert "/alerts/unsubscribe/" in alert.body_text
    for address in ("taro@example.com", "jiro@example.com", "yuki@example.com"):
        assert not alerts_to(address).exists()
    assert check_and_apply(job(tokyo, text).pk) == "done"  # the same file again
    assert alerts_to("hanako@example.com").count() == 1
    later = HEADER + "TK0000001,tokyo,delivered,123456789012,2026-12-01\n"
    assert check_and_apply(job(tokyo, later).pk) == "done"
    assert alerts_to("hanako@example.com").count() == 2 and not alerts_to("taro@example.com").exists()


def test_the_check_counts_what_would_change_and_writes_nothing_until_applied(tokyo, make_tracking, settings):
    make_tracking("TK0000001", status=Status.AT_POST)
    make_tracking("TK0000002", status=Status.PROCESSING)
    imported = job(tokyo, HEADER + "TK0000001,tokyo,out_for_delivery,,2026-11-30\n"
                   "TK0000002,tokyo,processing,,2026-11-30\n"
                   "TK0000003,tokyo,at_post,,2026-11-30\n"
                   "TK0000004,tokyo,lost,,2026-11-30\n")
    assert run_import("passports.PassportImport", imported.pk) == "ready"
    imported.refresh_from_db()
    assert (imported.status, imported.rows_done) == ("ready", 4)
    assert (imported.updated, imported.created, imported.unchanged, imported.rejected) == (1, 1, 1, 1)
    assert [row["line"] for row in imported.rejected_rows] == [5]
    assert dict(PassportTracking.objects.values_list("key", "status")) == {
        "TK0000001": "at_post", "TK0000002": "processing"}
    assert not TrackingEvent.objects.exists()
    assert run_import("passports.PassportImport", imported.pk) is None  # not applied until staff apply it


def test_apply_works_on_the_database_as_it_is_then_not_as_previewed(tokyo, make_tracking, settings):
    imported = job(tokyo, HEADER + "TK0000001,tokyo,out_for_delivery,,2026-11-30\n")
    assert run_import("passports.PassportImport", imported.pk) == "ready"
    make_tracking("TK0000001", status=Status.OUT_FOR_DELIVERY)  # entered while the preview was shown
    assert import_apply(job=imported, user=None)
    assert run_import("passports.PassportImport", imported.pk) == "done"
    imported.refresh_from_db()
    assert (imported.created, imported.updated, imported.unchanged) == (0, 0, 1)
    assert PassportTracking.objects.count() == 1


def test_a_job_is_applied_once_and_a_cancelled_one_never(tokyo, settings):
    applied = job(tokyo, HEADER + "TK0000001,tokyo,at_post,,2026-11-30\n")
    run_import("passports.PassportImport", applied.pk)
    assert import_apply(job=applied, user=None)
    assert not import_apply(job=applied, user=None)  # a double click, or a second clerk
    assert not import_cancel(job=applied)
    cancelled = job(tokyo, HEADER + "TK0000002,tokyo,at_post,,2026-11-30\n")
    run_import("passports.PassportImport", cancelled.pk)
    assert import_cancel(job=cancelled)
    assert not import_apply(job=cancelled, user=None)
    assert run_import("passports.PassportImport", cancelled.pk) is None
    assert run_import("passports.PassportImport", applied.pk) == "done"
    assert run_import("passports.PassportImport", applied.pk) is None
    assert list(PassportTracking.objects.values_list("key", flat=True)) == ["TK0000001"]
    assert PassportImport.objects.get(pk=cancelled.pk).status == "cancelled"


def test_a_status_that_may_not_follow_the_passports_is_a_rejected_row_with_its_line(tokyo, make_tracking, settings):
    make_tracking("TK0000001", status=Status.DELIVERED)
    make_tracking("TK0000002", status=Status.OUT_FOR_DELIVERY)
    imported = job(tokyo, HEADER + "TK0000001,tokyo,out_for_delivery,,2026-11-30\n"  # back from delivered
                   "TK0000002,tokyo,delivered,,2026-11-30\n"
                   "TK0000003,tokyo,delivered,,2026-11-30\n"  # new: any status
                   "TK0000004,tokyo,lost,,2026-11-30\n")
    assert run_import("passports.PassportImport", imported.pk) == "ready"
    imported.refresh_from_db()
    assert (imported.updated, imported.created, imported.unchanged, imported.rejected) == (1, 1, 0, 2)
    assert [row["line"] for row in imported.rejected_rows] == [2, 5]
    assert "cannot follow" in imported.rejected_rows[0]["reasons"][0]
    assert imported.rejected_rows[0]["row"]["passport_number"] == "TK0000001"
    assert import_apply(job=imported, user=None)
    assert run_import("passports.PassportImport", imported.pk) == "done"
    imported.refresh_from_db()
    assert (imported.updated, imported.created, imported.unchanged, imported.rejected) == (1, 1, 0, 2)
    assert [row["line"] for row in imported.rejected_rows] == [2, 5]
    assert dict(PassportTracking.objects.values_list("key", "status")) == {
        "TK0000001": "delivered", "TK0000002": "delivered", "TK0000003": "delivered"}
    assert not TrackingEvent.objects.filter(item__key="TK0000001").exists()


def test_a_transition_made_illegal_after_the_preview_is_rejected_when_applied(tokyo, make_tracking, settings):
    item = make_tracking("TK0000001", status=Status.PROCESSING)
    imported = job(tokyo, HEADER + "TK0000001,tokyo,out_for_delivery,,2026-11-30\n")
    assert run_import("passports.PassportImport", imported.pk) == "ready"
    PassportTracking.objects.filter(pk=item.pk).update(status=Status.DELIVERED)  # changed meanwhile
    assert import_apply(job=imported, user=None)
    assert run_import("passports.PassportImport", imported.pk) == "done"
    imported.refresh_from_db()
    assert (imported.updated, imported.unchanged, imported.rejected) == (0, 0, 1)
    assert imported.rejected_rows[0]["line"] == 2
    assert PassportTracking.objects.get().status == "delivered"


def test_every_passport_an_import_creates_has_its_delivery_reference(tokyo, settings):
    from consular_portal.references import reference_is_valid

    rows = "".join(f"TK{i:07d},tokyo,at_post,,2026-11-30\n" for i in range(50))
    check_and_apply(job(tokyo, HEADER + rows).pk)
    references = list(PassportTracking.objects.values_list("reference", flat=True))
    assert len(references) == len(set(references)) == 50
    assert all(reference_is_valid(reference, "PD") for reference in references)


def test_a_reference_drawn_twice_is_drawn_again_and_the_row_still_created(tokyo, make_tracking, settings,
                                                                          monkeypatch):
    from passports import delivery, imports

    taken = make_tracking("TK9999999").reference
    real_one, real_many = delivery.reference_generate, imports.references_generate
    draws = {"one": 0, "many": 0}

    def one(prefix):  # the field's default (the ORM path): the first draw repeats a taken reference
        draws["one"] += 1
        return taken if draws["one"] == 1 else real_one(prefix)

    def many(prefix, count):  # the set-based path's draw: the same
        draws["many"] += 1
        return [taken, *real_many(prefix, count - 1)] if draws["many"] == 1 else real_many(prefix, count)

    monkeypatch.setattr(delivery, "reference_generate", one)
    monkeypatch.setattr(imports, "references_generate", many)
    imported = job(tokyo, HEADER + "TK0000001,tokyo,at_post,,2026-11-30\nTK0000002,tokyo,at_post,,2026-11-30\n")
    assert check_and_apply(imported.pk) == "done"
    imported.refresh_from_db()
    assert imported.created == 2
    assert PassportTracking.objects.filter(key__in=["TK0000001", "TK0000002"]).exclude(reference=taken).count() == 2

"""The daily purge: each kind of record goes once closed for its period (a day earlier it stays), an open record
never goes, the proof files leave the storage once the rows' deletion has committed, and the history goes too."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from appointments import booking
from appointments.models import ExpediteRequest, GroupMember, InPersonRequest, RequestEvent, SupportingDocument
from consular_portal import retention, tasks
from consular_portal.feedback import survey_submit
from consular_portal.fraud import fraud_report_submit
from consular_portal.models import FraudReport, SurveyResponse
from inquiries.models import Case, Inquiry, LiveAssistanceRequest, StandardReply
from passports.models import PassportTracking
from tests.factories import ExpediteRequestFactory, SlotFactory, in_person_request, live_assistance_request, member

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def aged(obj, days, field="updated_at"):
    """``obj`` as if its ``field`` (its last change, by default) were ``days`` days ago."""
    type(obj).objects.filter(pk=obj.pk).update(**{field: timezone.now() - days * DAY})
    return obj


def purge(kind, django_capture_on_commit_callbacks, **options):
    with django_capture_on_commit_callbacks(execute=True):
        return retention.purge(kind, **options)


def exists(obj):
    return type(obj).objects.filter(pk=obj.pk).exists()


# A closed record of each kind, as its period counts it: (kind, make(post), field its period runs from).


def refused_expedite(post):
    request = ExpediteRequestFactory(post=post)
    ExpediteRequest.objects.filter(pk=request.pk).update(status=ExpediteRequest.Status.REFUSED)
    return request


def declined_in_person(post):
    request = in_person_request(post)
    InPersonRequest.objects.filter(pk=request.pk).update(status=InPersonRequest.Status.DECLINED)
    return request


def inquiry(post, status=Inquiry.Status.ANSWERED, number=1):
    today = post.local_today()
    return Inquiry.objects.create(
        reference=f"INQ{number:08d}", post=post, status=status, promised_by=today, full_name="Applicant",
        date_of_birth=dt.date(1990, 1, 1), email="applicant@example.com", passport_number="TK1234567",
        visa_category="nonimmigrant", case_number="AA00123456", route="interview", route_start=today,
        eligible_from=today, question="Where is my visa?",
    )


def done_live_assistance(post):
    request = live_assistance_request(post)
    LiveAssistanceRequest.objects.filter(pk=request.pk).update(status=LiveAssistanceRequest.Status.DONE)
    return request


def delivered_passport(post):
    return PassportTracking.objects.create(post=post, key="TK1234567", status=PassportTracking.Status.DELIVERED,
                                           status_changed_at=timezone.now())


def mailed_case(post):
    return Case.objects.create(post=post, key="EAC2112345678", status=Case.Status.DOCUMENT_MAILED,
                               status_changed_at=timezone.now())


def survey(post):
    return survey_submit(rating=4, comments="Fine.", post=post, language="en")


def fraud_report(post):
    return fraud_report_submit(post=post, kind="mrv_fee", description="Asked to pay.", language="en")


CLOSED = [
    ("expedite_requests", refused_expedite, "updated_at"),
    ("in_person_requests", declined_in_person, "updated_at"),
    ("inquiries", inquiry, "updated_at"),
    ("live_assistance_requests", done_live_assistance, "updated_at"),
    ("passports", delivered_passport, "status_changed_at"),
    ("cases", mailed_case, "status_changed_at"),
    ("survey_responses", survey, "created_at"),
    ("fraud_reports", fraud_report, "created_at"),
]


@pytest.mark.parametrize(("kind", "make", "since"), CLOSED, ids=[kind for kind, *_ in CLOSED])
def test_a_closed_record_is_kept_a_day_before_its_period_and_purged_from_its_last_day(
        kind, make, since, shanghai_policy, django_capture_on_commit_callbacks):
    post = shanghai_policy.post
    days = settings.RETENTION_DAYS[kind]
    record = aged(make(post), days - 1, since)

    assert purge(kind, django_capture_on_commit_callbacks) == 0
    assert exists(record)

    aged(record, days, since)
    assert purge(kind, django_capture_on_commit_callbacks) == 1
    assert not exists(record)


def test_the_period_of_each_kind_is_a_setting(settings, shanghai_policy, django_capture_on_commit_callbacks):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "fraud_reports": 30}
    report = aged(fraud_report(shanghai_policy.post), 30, "created_at")
    assert purge("fraud_reports", django_capture_on_commit_callbacks) == 1
    assert not exists(report)


def test_open_records_are_never_purged_whatever_their_age(shanghai_policy, officer_shanghai,
                                                         django_capture_on_commit_callbacks):
    post = shanghai_policy.post
    long_ago = 10 * 365
    submitted = ExpediteRequestFactory(post=post)
    under_review = booking.request_start_review(request=ExpediteRequestFactory(post=post), officer=officer_shanghai)
    approved = booking.request_approve(request=ExpediteRequestFactory(post=post), officer=officer_shanghai,
                                       slot=SlotFactory(post=post))  # its appointment is still to come
    kept = [
        submitted, under_review, approved, in_person_request(post),
        inquiry(post, Inquiry.Status.OPEN), live_assistance_request(post),
    ]
    for record in kept:
        aged(record, long_ago)
    kept += [
        aged(PassportTracking.objects.create(post=post, key=f"TK000000{n}", status=status), long_ago,
             "status_changed_at")
        for n, status in enumerate(["at_post", "processing", "out_for_delivery", "no_update", "returned"])
    ]
    kept.append(aged(Case.objects.create(post=post, key="EAC2112345678", status=Case.Status.IN_REVIEW), long_ago,
                     "status_changed_at"))
    documents = list(SupportingDocument.objects.values_list("file", flat=True))

    assert retention.purge_all() == dict.fromkeys(retention.kinds(), 0)
    assert all(exists(record) for record in kept)
    assert len(documents) == 3 and all((settings.MEDIA_ROOT / name).is_file() for name in documents)


def test_an_approved_request_goes_once_its_appointment_is_a_period_past(shanghai_policy, officer_shanghai,
                                                                       django_capture_on_commit_callbacks):
    post = shanghai_policy.post
    slot = SlotFactory(post=post, in_days=3)
    request = booking.request_approve(request=ExpediteRequestFactory(post=post), officer=officer_shanghai, slot=slot)
    days = settings.RETENTION_DAYS["expedite_requests"]

    assert purge("expedite_requests", django_capture_on_commit_callbacks, now=slot.starts_at + (days - 1) * DAY) == 0
    assert exists(request)
    assert purge("expedite_requests", django_capture_on_commit_callbacks, now=slot.starts_at + days * DAY) == 1
    assert not exists(request)


def test_the_proof_of_a_closed_request_leaves_the_database_and_the_storage_before_the_request(
        shanghai_policy, django_capture_on_commit_callbacks):
    post = shanghai_policy.post
    closed, still_open = refused_expedite(post), ExpediteRequestFactory(post=post)
    aged(closed, settings.RETENTION_DAYS["expedite_uploads"])
    aged(still_open, settings.RETENTION_DAYS["expedite_uploads"])
    closed_file = closed.documents.get().file.name
    open_file = still_open.documents.get().file.name

    assert purge("expedite_uploads", django_capture_on_commit_callbacks) == 1

    assert exists(closed) and not closed.documents.exists()
    assert not (settings.MEDIA_ROOT / closed_file).exists()
    assert still_open.documents.exists() and (settings.MEDIA_ROOT / open_file).is_file()


def test_a_purged_request_takes_its_members_events_proof_and_stored_files_with_it(
        shanghai_policy, django_capture_on_commit_callbacks):
    request = ExpediteRequestFactory(post=shanghai_policy.post, is_group=True, members=[member(1), member(2)])
    ExpediteRequest.objects.filter(pk=request.pk).update(status=ExpediteRequest.Status.WITHDRAWN)
    stored = request.documents.get().file.name
    assert (settings.MEDIA_ROOT / stored).is_file()
    aged(request, settings.RETENTION_DAYS["expedite_requests"])

    assert purge("expedite_requests", django_capture_on_commit_callbacks) == 1

    assert not GroupMember.objects.filter(request_id=request.pk).exists()
    assert not RequestEvent.objects.filter(request_id=request.pk).exists()
    assert not SupportingDocument.objects.filter(request_id=request.pk).exists()
    assert not (settings.MEDIA_ROOT / stored).exists()


def test_stored_files_are_deleted_only_once_the_rows_deletion_has_committed(
        shanghai_policy, django_capture_on_commit_callbacks):
    request = aged(refused_expedite(shanghai_policy.post), settings.RETENTION_DAYS["expedite_requests"])
    stored = settings.MEDIA_ROOT / request.documents.get().file.name

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert retention.purge("expedite_requests") == 1
    assert stored.is_file()  # a rollback now would find its file
    for callback in callbacks:
        callback()
    assert not stored.exists()


def test_a_large_purge_goes_in_batches(shanghai_policy, django_capture_on_commit_callbacks):
    reports = [aged(fraud_report(shanghai_policy.post), 800, "created_at") for _ in range(5)]
    assert purge("fraud_reports", django_capture_on_commit_callbacks, batch_size=2) == 5
    assert not FraudReport.objects.filter(pk__in=[report.pk for report in reports]).exists()


def test_a_purge_out_of_time_starts_no_batch_and_leaves_the_rest_for_the_next_run(
        shanghai_policy, django_capture_on_commit_callbacks):
    reports = [aged(fraud_report(shanghai_policy.post), 800, "created_at") for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.purge_all(seconds=0)["fraud_reports"] == 0
    assert FraudReport.objects.filter(pk__in=[report.pk for report in reports]).count() == 3


def test_the_history_of_a_purged_record_is_purged_with_it(settings, monkeypatch, shanghai_policy,
                                                         django_capture_on_commit_callbacks):
    """Of the purged kinds none keeps a simple-history yet: a kind of standard replies stands in for one."""
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "standard_replies": 30}
    monkeypatch.setattr(retention, "KINDS", dict(retention.kinds()))
    retention.register("standard_replies", expired=lambda cutoff: StandardReply.objects.filter(updated_at__lte=cutoff))
    reply = StandardReply.objects.create(post=shanghai_policy.post, title="Wait", body="Please wait.")
    reply.body = "Please wait a week."
    reply.save()
    other = StandardReply.objects.create(post=shanghai_policy.post, title="Other", body="Kept.")
    assert reply.history.count() == 2
    aged(reply, 30)

    assert purge("standard_replies", django_capture_on_commit_callbacks) == 1

    assert not StandardReply.history.filter(id=reply.pk).exists()  # no deletion record either
    assert StandardReply.history.filter(id=other.pk).count() == 1


def test_the_beat_runs_the_purge_of_every_kind_daily(shanghai_policy, django_capture_on_commit_callbacks):
    entry = next(entry for entry in settings.CELERY_BEAT_SCHEDULE.values()
                 if entry["task"] == "consular_portal.tasks.purge_expired_records")
    assert entry["schedule"].hour == {3} and entry["schedule"].minute == {45}
    report = aged(fraud_report(shanghai_policy.post), settings.RETENTION_DAYS["fraud_reports"], "created_at")
    answer = aged(survey(shanghai_policy.post), settings.RETENTION_DAYS["survey_responses"], "created_at")

    with django_capture_on_commit_callbacks(execute=True):
        purged = tasks.purge_expired_records()

    assert purged["fraud_reports"] == 1 and purged["survey_responses"] == 1
    assert not exists(report) and not SurveyResponse.objects.filter(pk=answer.pk).exists()

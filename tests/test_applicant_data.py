"""One applicant's data, found by email address and passport number, exported as a zip and erased on request:
every kind is found, the zip holds it, the erasure takes it (and its files) and nobody else's, the record of
the erasure holds no identifier, an approved request still counts against a later one, and only
administrators reach the page."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.serializers import serialize
from django.test import Client
from django.urls import reverse

from appointments import booking
from appointments.models import EarlierExpedite, ExpediteRequest, GroupMember, InPersonRequest, SupportingDocument
from consular_portal import applicant_data
from consular_portal.feedback import survey_submit
from consular_portal.fraud import fraud_report_submit
from consular_portal.models import Erasure, FraudReport, OutboundEmail, SurveyResponse
from consular_portal.tracking.alerts import subscription_request
from inquiries.models import Case, CaseSubscription, Inquiry, LiveAssistanceRequest
from passports.models import PassportSubscription, PassportTracking
from tests.factories import ExpediteRequestFactory, SlotFactory, in_person_request, live_assistance_request, member

pytestmark = pytest.mark.django_db

EMAIL = "taro.yamada@example.com"
PASSPORT = "TK1234567"
OTHER_EMAIL = "hanako.suzuki@example.com"
OTHER_PASSPORT = "TH7654321"
ERASED_KINDS = {kind.name for kind in applicant_data.kinds()} - applicant_data.KEPT
PAGE = "admin:consular_portal_erasure_applicant"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def inquiry(post, *, email, passport_number, number):
    today = post.local_today()
    return Inquiry.objects.create(
        reference=f"INQ{number:08d}", post=post, promised_by=today, full_name="Applicant",
        date_of_birth="1990-01-01", email=email, passport_number=passport_number, visa_category="nonimmigrant",
        case_number="AA00123456", route="interview", route_start=today, eligible_from=today, question="Where?")


def applicant(tokyo, shanghai, *, email, passport_number, number):
    """One applicant's records of every kind, at both posts; returns them by kind."""
    request = ExpediteRequestFactory(post=tokyo, email=email, passport_number=passport_number, number=number)
    # Someone else's group request naming this applicant's passport as a member.
    group = ExpediteRequestFactory(post=shanghai, number=number + 50, is_group=True,
                                   members=[member(1, passport_number=passport_number), member(2)])
    tracking = PassportTracking.objects.create(post=tokyo, key=passport_number)
    other_passport = PassportTracking.objects.create(post=shanghai, key=f"ZZ{number:07d}")
    case = Case.objects.create(post=tokyo, key=f"EAC21{number:08d}")
    return {
        "expedite_requests": request,
        "expedite_group_members": group.members.get(passport_number=passport_number),
        "in_person_requests": in_person_request(tokyo, number=number, email=email),
        "inquiries": inquiry(shanghai, email=email, passport_number=passport_number, number=number),
        "live_assistance_requests": live_assistance_request(shanghai, number=number, email=email),
        "passport_tracking": tracking,
        "passport_subscriptions": subscription_request(subscriptions=PassportSubscription, item=other_passport,
                                                       email=email, language="en"),
        "case_subscriptions": subscription_request(subscriptions=CaseSubscription, item=case, email=email,
                                                   language="en"),
        "fraud_reports": fraud_report_submit(post=tokyo, kind="other", description="Asked to pay.", language="en",
                                             reporter_email=email),
        "survey_responses": survey_submit(rating=2, comments=f"Nobody answered me at {email}.", language="en"),
        "outbox": OutboundEmail.objects.filter(to=email).first(),
        # Kept with the tracking it subscribes to, and found with it.
        "tracking_subscription": subscription_request(subscriptions=PassportSubscription, item=tracking,
                                                      email="relative@example.com", language="en"),
    }


@pytest.fixture
def records(policies, tokyo, shanghai):
    return (applicant(tokyo, shanghai, email=EMAIL, passport_number=PASSPORT, number=1),
            applicant(tokyo, shanghai, email=OTHER_EMAIL, passport_number=OTHER_PASSPORT, number=2))


def exists(obj):
    return type(obj)._base_manager.filter(pk=obj.pk).exists()


def test_find_lists_rows_of_every_kind_for_the_email_and_the_passport_number(records):
    mine, theirs = records
    found = applicant_data.find(email=" Taro.Yamada@EXAMPLE.com ", passport_number="tk 1234-567")
    counts = found.counts()
    assert {kind for kind, count in counts.items() if count} == ERASED_KINDS
    for kind in ERASED_KINDS:
        assert mine[kind] in found.rows[kind], kind
        assert theirs[kind] not in found.rows[kind], kind
    # The acknowledgements and the subscriptions' confirmations sent to them; the fraud report answerable to them.
    assert counts["outbox"] == OutboundEmail.objects.filter(to__iexact=EMAIL).count() + 1 == 6
    assert found.rows["outbox"].filter(template="fraud_report", reply_to=EMAIL).exists()


def test_find_by_email_only_leaves_out_what_only_the_passport_number_names(records):
    mine, _theirs = records
    found = applicant_data.find(email=EMAIL)
    assert "passport_tracking" not in found.rows and "expedite_group_members" not in found.rows
    assert mine["inquiries"] in found.rows["inquiries"]


def test_the_export_holds_every_kind_and_the_uploaded_proof(records):
    mine, _theirs = records
    archive = zipfile.ZipFile(io.BytesIO(applicant_data.export(email=EMAIL, passport_number=PASSPORT)))
    names = set(archive.namelist())
    assert {f"{kind}.json" for kind in ERASED_KINDS} <= names
    requests = json.loads(archive.read("expedite_requests.json"))
    request = next(row for row in requests if row["model"] == "appointments.expediterequest")
    assert request["fields"]["reference"] == mine["expedite_requests"].reference
    assert request["fields"]["email"] == EMAIL
    assert {row["model"] for row in requests} >= {"appointments.requestevent", "appointments.supportingdocument"}
    document = mine["expedite_requests"].documents.get()
    assert archive.read(f"files/expedite_requests/{document.file.name}") == document.file.open("rb").read()
    for kind in ERASED_KINDS - {"expedite_requests"}:
        rows = json.loads(archive.read(f"{kind}.json"))
        assert mine[kind].pk in {row["pk"] for row in rows if row["model"] == mine[kind]._meta.label_lower}, kind
    assert json.loads(archive.read("summary.json"))["counts"]["inquiries"] == 1
    assert OTHER_EMAIL not in archive.read("inquiries.json").decode()


def test_erase_removes_every_kind_and_the_files_and_leaves_the_other_applicant_alone(
        records, administrator, django_capture_on_commit_callbacks):
    mine, theirs = records
    document = mine["expedite_requests"].documents.get()
    storage = document.file.storage
    assert storage.exists(document.file.name)

    with django_capture_on_commit_callbacks(execute=True):
        erasure = applicant_data.erase(email=EMAIL, passport_number=PASSPORT, by=administrator,
                                       reason="Request by email, ref. 2026-0042")

    for kind in ERASED_KINDS:
        assert not exists(mine[kind]), kind
        assert exists(theirs[kind]), kind
    assert not exists(mine["tracking_subscription"])  # it went with the tracked passport
    assert exists(theirs["tracking_subscription"])
    assert not SupportingDocument.objects.filter(pk=document.pk).exists()
    assert not storage.exists(document.file.name)
    assert not applicant_data.find(email=EMAIL, passport_number=PASSPORT)
    # The other member of the group request and the request itself stay.
    group = theirs["expedite_group_members"].request
    assert ExpediteRequest.objects.filter(members__passport_number=OTHER_PASSPORT).exists()
    assert exists(group)
    assert not GroupMember.objects.filter(passport_number=PASSPORT).exists()
    assert InPersonRequest.objects.filter(email=OTHER_EMAIL).exists()
    assert LiveAssistanceRequest.objects.filter(email=OTHER_EMAIL).exists()
    assert FraudReport.objects.filter(reporter_email=OTHER_EMAIL).exists()
    assert SurveyResponse.objects.filter(comments__contains=OTHER_EMAIL).exists()
    assert OutboundEmail.objects.filter(to=OTHER_EMAIL).exists()

    erasure.refresh_from_db()
    assert erasure.erased_by == administrator and erasure.reason == "Request by email, ref. 2026-0042"
    assert erasure.counts["inquiries"] == 1 and erasure.counts["expedite_requests"] == 1
    stored = serialize("json", Erasure.objects.filter(pk=erasure.pk)).lower()
    assert EMAIL not in stored and PASSPORT.lower() not in stored and "taro" not in stored
    assert erasure.email_hash == applicant_data.identifier_hash("email", EMAIL.upper())
    assert list(applicant_data.earlier_erasures(passport_number="tk1234567")) == [erasure]
    assert not applicant_data.earlier_erasures(email=OTHER_EMAIL).exists()


def test_an_approved_request_erased_still_counts_against_a_later_one(policies, tokyo, officer_tokyo, administrator):
    request = ExpediteRequestFactory(post=tokyo, email=EMAIL, passport_number=PASSPORT, number=1)
    booking.request_approve(request=request, officer=officer_tokyo, slot=SlotFactory(post=tokyo))

    applicant_data.erase(passport_number=PASSPORT, by=administrator, reason="Asked in person")

    assert not ExpediteRequest.objects.filter(passport_number=PASSPORT).exists()
    kept = EarlierExpedite.objects.get()
    assert PASSPORT not in serialize("json", [kept])
    assert applicant_data.find(passport_number=PASSPORT).counts()["earlier_expedites"] == 1
    again = ExpediteRequestFactory(post=tokyo, email=EMAIL, passport_number=PASSPORT, number=3)
    assert again.previous_expedite_flag


def test_an_erasure_needs_a_reason(records, administrator):
    with pytest.raises(ValueError, match="reason"):
        applicant_data.erase(email=EMAIL, by=administrator, reason="  ")
    assert exists(records[0]["inquiries"]) and not Erasure.objects.exists()


# The administrators' page ------------------------------------------------------------------------------------


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_posts_officer_cannot_reach_the_page_nor_erase(records, officer_tokyo):
    officer = client_of(officer_tokyo)
    assert officer.get(reverse(PAGE)).status_code == 403
    response = officer.post(reverse(PAGE), {"email": EMAIL, "action": "erase", "reason": "x", "confirm": "on"})
    assert response.status_code == 403
    assert exists(records[0]["inquiries"]) and not Erasure.objects.exists()
    assert officer.get(reverse("admin:consular_portal_erasure_changelist")).status_code == 403
    assert Client().get(reverse(PAGE)).status_code == 302  # to the login page


def test_an_administrator_finds_downloads_and_erases_from_the_page(records, administrator):
    mine, theirs = records
    admin = client_of(administrator)
    assert admin.get(reverse(PAGE)).status_code == 200

    page = admin.post(reverse(PAGE), {"email": EMAIL, "passport_number": PASSPORT, "action": "find"})
    content = page.content.decode()
    assert page.status_code == 200
    assert mine["inquiries"].reference in content and mine["expedite_requests"].reference in content
    assert theirs["inquiries"].reference not in content

    download = admin.post(reverse(PAGE), {"email": EMAIL, "passport_number": PASSPORT, "action": "export"})
    assert download["Content-Type"] == "application/zip"
    assert "inquiries.json" in zipfile.ZipFile(io.BytesIO(download.content)).namelist()

    unconfirmed = admin.post(reverse(PAGE), {"email": EMAIL, "passport_number": PASSPORT, "action": "erase",
                                            "reason": "Applicant's request"})
    assert unconfirmed.status_code == 200 and "Confirm that the rows found are to be erased." in \
        unconfirmed.content.decode()
    assert exists(mine["inquiries"])

    erased = admin.post(reverse(PAGE), {"email": EMAIL, "passport_number": PASSPORT, "action": "erase",
                                       "reason": "Applicant's request", "confirm": "on"}, follow=True)
    assert erased.status_code == 200 and "the erasure is recorded" in erased.content.decode()
    assert not exists(mine["inquiries"]) and exists(theirs["inquiries"])
    erasure = Erasure.objects.get()
    assert erasure.erased_by == administrator and EMAIL not in erased.content.decode()


def test_the_page_asks_for_an_address_or_a_number(administrator):
    response = client_of(administrator).post(reverse(PAGE), {"action": "find"})
    assert "Enter an email address or a passport number." in response.content.decode()


# The management commands -------------------------------------------------------------------------------------


def test_the_commands_export_and_erase(records, administrator, tmp_path):
    output = tmp_path / "taro.zip"
    call_command("applicant_export", email=EMAIL, passport_number=PASSPORT, output=str(output), stdout=io.StringIO())
    assert "passport_tracking.json" in zipfile.ZipFile(output).namelist()

    out = io.StringIO()
    call_command("applicant_erase", email=EMAIL, by=administrator.username, reason="Letter of 1 May", dry_run=True,
                 stdout=out)
    assert "inquiries: 1" in out.getvalue() and exists(records[0]["inquiries"])

    call_command("applicant_erase", email=EMAIL, passport_number=PASSPORT, by=administrator.username,
                 reason="Letter of 1 May", stdout=io.StringIO())
    assert not exists(records[0]["inquiries"]) and Erasure.objects.get().reason == "Letter of 1 May"

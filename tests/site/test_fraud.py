"""Fraud reports: stored with the notification to the post's officers in one transaction; bad input refused."""

import datetime as dt

import pytest
from django.db import transaction

from consular_portal.fraud import fraud_report_submit
from consular_portal.models import FraudReport, OutboundEmail
from consular_portal.references import reference_generate, reference_is_valid
from tests.form_data import fraud_form_data

pytestmark = pytest.mark.django_db

VALID = fraud_form_data(
    description="A caller said he was from the Embassy & asked for ¥30,000 to \"speed up\" my MRV fee payment.",
    incident_date="2026-05-01",
)


def test_reference_is_random_and_carries_a_check_character():
    references = {reference_generate("FR") for _ in range(200)}
    assert len(references) == 200
    assert all(r.startswith("FR-") and reference_is_valid(r, "FR") for r in references)
    reference = references.pop()
    tampered = reference[:-1] + ("0" if reference[-1] != "0" else "1")
    assert not reference_is_valid(tampered, "FR")
    assert not reference_is_valid(reference, "EXP")


def test_report_is_stored_and_the_officers_notified_in_english(client, posts):
    response = client.post("/ja/fraud/", {**VALID, "reporter_email": "taro@example.com"})
    assert response.status_code == 302
    report = FraudReport.objects.get()
    assert (report.post.slug, report.kind, report.incident_date, report.language) == (
        "tokyo", "mrv_fee", dt.date(2026, 5, 1), "ja"
    )
    email = OutboundEmail.objects.get()
    assert email.to == "officers-tokyo@consular-portal.example"
    assert email.template == "fraud_report" and email.language == "en" and email.reply_to == "taro@example.com"
    assert report.reference in email.subject
    assert 'asked for ¥30,000 to "speed up" my MRV fee' in email.body_text  # plain text is not HTML-escaped
    assert "I was asked to pay an unnecessary fee to pay my MRV fee" in email.body_text
    # The applicant sees the reference on the next page.
    page = client.get(response["Location"]).content.decode()
    assert report.reference in page and "通報を送信しました" in page


def test_report_and_notification_are_one_transaction(posts):
    with pytest.raises(RuntimeError), transaction.atomic():
        fraud_report_submit(post=posts["naha"], kind="other", description="x", language="en")
        raise RuntimeError("something after it failed")
    assert not FraudReport.objects.exists() and not OutboundEmail.objects.exists()


def test_anonymous_report_says_so_to_the_officers(posts):
    report = fraud_report_submit(
        post=posts["shanghai"], kind="impersonation", description="Fake site", language="zh-hans"
    )
    email = OutboundEmail.objects.get()
    assert email.to == "officers-shanghai@consular-portal.example" and email.reply_to == ""
    assert "The report is anonymous." in email.body_text and report.reference in email.body_html


def test_only_posts_with_an_officer_mailbox_can_be_chosen(client, posts):
    html = client.get("/en/fraud/").content.decode()
    select = html.split('id="id_post"', 1)[1].split("</select>", 1)[0]
    assert '<option value="shanghai">' in select and '<option value="beijing">' not in select
    response = client.post("/en/fraud/", {**VALID, "post": "beijing"})
    assert response.status_code == 200 and not FraudReport.objects.exists()


def errors_of(response):
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error-summary"' in html
    return html


def test_missing_fields_are_listed_in_the_summary_with_links(client, posts):
    html = errors_of(client.post("/en/fraud/", {}))
    assert '<a href="#id_post">Choose the embassy or consulate to tell.</a>' in html
    assert '<a href="#id_kind_0">Choose what happened.</a>' in html
    assert '<a href="#id_description">Tell us what happened.</a>' in html
    assert not FraudReport.objects.exists() and not OutboundEmail.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"description": "x" * 100_000},
        {"description": "ok", "fraudster_contact": "y" * 100_000},
        {"reporter_name": "z" * 100_000},
        {"reporter_email": "not-an-email"},
        {"reporter_email": "a@" + "b" * 100_000 + ".com"},
        {"description": "null\x00byte"},
        {"description": "escape\x1b[2J"},
        {"reporter_name": "Taro\x08"},
        {"incident_date": "yesterday"},
        {"incident_date": "99999-01-01"},
        {"incident_date": (dt.date.today() + dt.timedelta(days=30)).isoformat()},
        {"kind": "robbery"},
        {"post": "x" * 100_000},
    ],
)
def test_bad_input_gets_the_form_with_errors_and_stores_nothing(client, posts, change):
    errors_of(client.post("/en/fraud/", {**VALID, **change}))
    assert not FraudReport.objects.exists() and not OutboundEmail.objects.exists()


def test_officers_see_only_their_posts_reports(client, posts, officer_tokyo):
    fraud_report_submit(post=posts["tokyo"], kind="other", description="Tokyo case", language="en")
    fraud_report_submit(post=posts["shanghai"], kind="other", description="Shanghai case", language="en")
    client.force_login(officer_tokyo)
    html = client.get("/admin/consular_portal/fraudreport/").content.decode()
    tokyo_ref = FraudReport.objects.get(post__slug="tokyo").reference
    shanghai = FraudReport.objects.get(post__slug="shanghai")
    assert tokyo_ref in html and shanghai.reference not in html
    assert client.get(f"/admin/consular_portal/fraudreport/{shanghai.pk}/change/").status_code == 404

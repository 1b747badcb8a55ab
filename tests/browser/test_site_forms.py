"""A person fills in the survey and the fraud report in Chromium; the fraud report reaches the officers."""

import re

import pytest

from consular_portal.models import FraudReport, OutboundEmail, SurveyResponse

pytestmark = pytest.mark.django_db(transaction=True)


def fill_survey(page, base):
    page.goto(f"{base}/en/feedback/")
    page.get_by_text("Satisfied", exact=True).click()  # the label: USWDS draws its own radio
    page.get_by_label("Which service did you use?").select_option(label="Passport tracking")
    page.get_by_label("Which embassy or consulate did you deal with?").select_option(label="U.S. Embassy Tokyo")
    page.get_by_label("How could we improve?").fill("The tracking page was clear.\nThank you.")
    page.get_by_role("button", name="Send feedback").click()
    page.wait_for_url(f"{base}/en/feedback/thanks/")
    assert page.get_by_role("heading", name="Thank you for your feedback").is_visible()


def test_a_person_answers_the_survey(page, live_server, posts):
    fill_survey(page, live_server.url)
    answer = SurveyResponse.objects.get()
    assert (answer.rating, answer.service, answer.post.slug, answer.language) == (4, "passport_tracking", "tokyo", "en")
    assert answer.comments == "The tracking page was clear.\nThank you."


def test_the_survey_works_without_javascript(no_js_page, live_server, posts):
    fill_survey(no_js_page, live_server.url)
    assert SurveyResponse.objects.count() == 1


def test_a_person_corrects_the_survey_after_the_error_summary(page, live_server, posts):
    page.goto(f"{live_server.url}/ja/feedback/")
    page.get_by_role("button", name="回答を送信する").click()
    summary = page.locator("#error-summary")
    assert "満足度を選んでください。" in summary.inner_text()
    summary.get_by_role("link").click()  # the link takes the person to the first choice
    assert page.evaluate("() => document.activeElement.id") == "id_rating_0"
    page.keyboard.press("Space")
    assert page.is_checked("#id_rating_0")
    page.get_by_role("button", name="回答を送信する").click()
    page.wait_for_url(re.compile(r"/ja/feedback/thanks/"))  # (the browser keeps the #fragment)
    assert SurveyResponse.objects.get().rating == 5


def report_fraud(page, base):
    page.goto(f"{base}/en/fraud/")
    page.get_by_label("Which embassy or consulate should we tell?").select_option(label="U.S. Embassy Tokyo")
    page.get_by_text("I was asked to pay to schedule my visa interview").click()
    page.get_by_label("Tell us what happened").fill(
        "A website offered an earlier interview for 20,000 yen & asked me to pay by bank transfer."
    )
    page.get_by_label("When did it happen?").fill("2026-04-20")
    page.get_by_label("How did they contact you?").fill("https://fast-visa.example")
    page.get_by_label("Your email address").fill("hanako@example.com")
    page.get_by_role("button", name="Send report").click()
    page.wait_for_selector("#fraud-reference")
    return page.locator("#fraud-reference").inner_text()


def test_a_fraud_report_reaches_the_officers_through_the_worker(page, live_server, posts, celery_worker, mailbox):
    tokyo = posts["tokyo"]
    tokyo.officer_mailbox = "officers-tokyo@example.com"
    tokyo.save(update_fields=["officer_mailbox"])

    reference = report_fraud(page, live_server.url)

    report = FraudReport.objects.get()
    assert report.reference == reference and report.kind == "interview"
    [message] = mailbox.wait_for(1, to="officers-tokyo@example.com")
    assert reference in message["Subject"]
    assert message["Reply-To"] == "hanako@example.com"
    body = message.get_body(("plain",)).get_content()
    assert "20,000 yen & asked me to pay by bank transfer" in body
    assert "https://fast-visa.example" in body
    assert "2026-04-20" in body
    email = OutboundEmail.objects.get(to="officers-tokyo@example.com")
    for _ in range(50):
        email.refresh_from_db()
        if email.status == OutboundEmail.Status.SENT:
            break
        page.wait_for_timeout(100)
    assert email.status == OutboundEmail.Status.SENT


def test_the_fraud_report_works_without_javascript(no_js_page, live_server, posts):
    reference = report_fraud(no_js_page, live_server.url)
    assert FraudReport.objects.get().reference == reference
    assert OutboundEmail.objects.get().to == "officers-tokyo@consular-portal.example"

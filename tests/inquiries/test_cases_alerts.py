"""Case status alerts: the tracking subscriptions (double opt-in, one alert per status change, unsubscribe
from every alert), from the status page's sign-up to the SMTP peer through a real worker."""

import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from consular_portal.models import OutboundEmail
from consular_portal.tracking.changes import tracking_change
from inquiries.case_forms import subscribe_number
from inquiries.models import Case, CaseSubscription

pytestmark = pytest.mark.django_db
Status = Case.Status
NUMBER = "EAC2112345678"


@pytest.fixture(autouse=True)
def _default_language_after():
    yield
    translation.activate("en")


def subscribe(client, number=NUMBER, email="applicant@example.com", language="en"):
    return client.post(f"/{language}/cases/alerts/", {"number": subscribe_number(number), "email": email})


def link(body, purpose):
    [url] = re.findall(rf"https?://[^/\s]+(/\S+/cases/alerts/{purpose}/\S+/)", body)
    return url


def test_the_sign_up_is_offered_under_a_found_case_with_the_number_signed(client, make_case):
    make_case(NUMBER)
    html = client.get("/en/cases/status/", {"number": NUMBER}).content.decode()
    form = html.split('id="case-subscribe"')[1].split("</form>")[0]
    assert NUMBER not in form and 'name="email"' in form


def test_subscribe_confirm_one_alert_per_change_and_nothing_for_a_note(client, make_case):
    item = make_case(NUMBER)
    response = subscribe(client)
    assert response.status_code == 302 and response["Location"] == "/en/cases/alerts/sent/"
    confirm = OutboundEmail.objects.get()
    assert confirm.template == "case_alert_confirm" and "EAC••••5678" in confirm.subject
    assert NUMBER not in confirm.subject + confirm.body_text + confirm.body_html
    url = link(confirm.body_text, "confirm")
    assert 'id="subscription-confirm"' in client.get(url).content.decode()
    assert CaseSubscription.objects.get().confirmed_at is None  # opening the link confirms nothing
    assert 'id="subscription-confirmed"' in client.post(url).content.decode()

    tracking_change(item=item, status=Status.IN_REVIEW, actor=None)
    tracking_change(item=item, status=Status.IN_REVIEW, actor=None, note="file checked")
    [alert] = OutboundEmail.objects.filter(template="case_status_alert")
    assert "Case Is Being Actively Reviewed" in alert.body_text and NUMBER not in alert.body_text
    assert alert.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_an_unknown_number_stores_and_sends_nothing_and_a_forged_one_is_refused(client, make_case):
    make_case(NUMBER)
    assert subscribe(client, number="EAC2112345670")["Location"] == "/en/cases/alerts/sent/"
    assert not CaseSubscription.objects.exists() and not OutboundEmail.objects.exists()
    forged = client.post("/en/cases/alerts/", {"number": NUMBER, "email": "applicant@example.com"})
    assert forged.status_code == 400 and "Check the status of your case again" in forged.content.decode()


@pytest.mark.django_db(transaction=True)
def test_through_the_worker_a_status_change_by_an_officer_reaches_the_subscriber_at_the_smtp_peer(
    celery_worker, mailbox, posts, client
):
    from tests import factories

    tokyo = posts["tokyo"]
    item = Case.objects.create(post=tokyo, key=NUMBER, status=Status.RECEIVED, status_changed_at=timezone.now())
    subscribe(client, email="case-alerts@example.com")
    [confirm] = mailbox.wait_for(1, to="case-alerts@example.com")
    assert client.post(link(confirm.get_body(("plain",)).get_content(), "confirm")).status_code == 200

    officer = Client()
    officer.force_login(factories.officer(tokyo, username="officer-tokyo"))
    change = reverse("admin:inquiries_case_change", args=[item.pk])
    response = officer.post(change, {"service": "I-130", "new_status": Status.EVIDENCE_REQUESTED,
                                     "note": "", **inline_management()})
    assert response.status_code == 302, response.content.decode()[:2000]
    [_confirm, alert] = mailbox.wait_for(2, to="case-alerts@example.com")
    body = alert.get_body(("plain",)).get_content()
    assert "Request for Evidence Was Sent" in body and NUMBER not in alert.as_string()
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    time.sleep(1)
    assert len(mailbox.wait_for(2, to="case-alerts@example.com")) == 2  # exactly one alert

    unsubscribe = re.sub(r"^https?://[^/]+", "", alert["List-Unsubscribe"].strip("<>"))
    Client(enforce_csrf_checks=True).post(unsubscribe, "List-Unsubscribe=One-Click",
                                          content_type="application/x-www-form-urlencoded")
    assert CaseSubscription.objects.get().unsubscribed_at is not None
    tracking_change(item=item, status=Status.EVIDENCE_RECEIVED, actor=None)
    assert OutboundEmail.objects.filter(template="case_status_alert").count() == 1


def inline_management(prefix="events"):
    return {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000"}

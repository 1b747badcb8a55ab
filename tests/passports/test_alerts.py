"""Status alerts: subscribe on the lookup page, confirm by a signed link, one email per status change,
unsubscribe from every alert, a reminder before a passport waiting for pickup is sent back."""

import datetime as dt
import re
import time

import pytest
from django.core import signing
from django.test import Client, override_settings
from django.utils import timezone, translation

from consular_portal.models import OutboundEmail
from consular_portal.tracking.changes import tracking_change
from passports import alerts
from passports.forms import subscribe_number
from passports.models import PassportSubscription, PassportTracking

pytestmark = pytest.mark.django_db
Status = PassportTracking.Status
NUMBER = "TK1234567"
SITE = "https://visa.example.gov"  # SITE_URL in these tests: links never follow the request's Host


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture(autouse=True)
def _default_language_after():
    """A request in another language leaves it active in this thread: the next module starts in English."""
    yield
    translation.activate("en")


def subscribe(client, number=NUMBER, email="hanako@example.com", language="en"):
    return client.post(f"/{language}/passports/alerts/", {"number": subscribe_number(number), "email": email})


def link(email, purpose):
    [url] = re.findall(rf"{re.escape(SITE)}(/\S+/alerts/{purpose}/\S+/)", email.body_text)
    return url


def confirmed(client, make_tracking, email="hanako@example.com", **fields):
    item = make_tracking(NUMBER, **fields)
    subscribe(client, email=email)
    confirm = OutboundEmail.objects.get(to=email, template="passport_alert_confirm")
    client.post(link(confirm, "confirm"))
    return item


def alerts_to(address):
    return OutboundEmail.objects.filter(to=address, template="passport_status_alert")


def test_every_lookup_answer_offers_the_email_alerts(client, make_tracking):
    make_tracking(NUMBER)
    for number in (NUMBER, "ZZ9999999"):
        html = client.get("/en/passports/status/", {"number": number}).content.decode()
        subscribe_form = html.split('id="passport-subscribe"')[1].split("</form>")[0]
        [value] = re.findall(r'name="number" value="([^"]+)"', subscribe_form)
        assert number not in subscribe_form and signing.loads(value, salt="passports.subscribe") == number


def test_a_number_that_is_not_from_a_lookup_is_refused(client, make_tracking):
    make_tracking(NUMBER)
    response = client.post("/en/passports/alerts/", {"number": NUMBER, "email": "hanako@example.com"})
    assert response.status_code == 400 and "Check the status of your passport again" in response.content.decode()
    assert not PassportSubscription.objects.exists() and not OutboundEmail.objects.exists()


def test_subscribe_confirm_and_a_status_change_sends_exactly_one_alert(client, make_tracking):
    item = make_tracking(NUMBER)
    response = subscribe(client)
    assert response.status_code == 302 and response["Location"] == "/en/passports/alerts/sent/"
    assert "Check your inbox" in client.get(response["Location"]).content.decode()
    subscription = PassportSubscription.objects.get()
    assert subscription.item == item and subscription.confirmed_at is None and subscription.language == "en"
    confirm = OutboundEmail.objects.get()
    assert confirm.template == "passport_alert_confirm" and confirm.to == "hanako@example.com"
    assert NUMBER not in confirm.body_text + confirm.body_html + confirm.subject and "4567" in confirm.subject

    page = client.get(link(confirm, "confirm"))
    assert page.status_code == 200 and 'id="subscription-confirm"' in page.content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None  # opening the link (a mail scanner) confirms nothing
    done = client.post(link(confirm, "confirm"))
    assert 'id="subscription-confirmed"' in done.content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None

    tracking_change(item=item, status=Status.PROCESSING, actor=None)
    [alert] = alerts_to("hanako@example.com")
    assert alert.language == "en" and alert.post == item.post
    with translation.override("en"):
        assert str(Status.PROCESSING.label) in alert.body_text
    assert NUMBER not in alert.body_text + alert.body_html + alert.subject
    unsubscribe = link(alert, "unsubscribe")
    assert alert.headers["List-Unsubscribe"] == f"<{SITE}{unsubscribe}>"
    assert alert.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    tracking_change(item=item, status=Status.PROCESSING, actor=None, note="checked")  # a note, same status
    assert alerts_to("hanako@example.com").count() == 1
    tracking_change(item=item, status=Status.OUT_FOR_DELIVERY, actor=None)
    assert alerts_to("hanako@example.com").count() == 2


def test_a_subscriber_who_never_confirmed_gets_nothing(client, make_tracking):
    item = make_tracking(NUMBER)
    subscribe(client)
    tracking_change(item=item, status=Status.PROCESSING, actor=None)
    assert not alerts_to("hanako@example.com").exists()
    assert OutboundEmail.objects.count() == 1  # the confirmation only


def test_the_alert_is_in_the_language_the_subscriber_used(client, make_tracking):
    item = make_tracking(NUMBER)
    subscribe(client, language="ja")
    confirm = OutboundEmail.objects.get()
    assert confirm.language == "ja" and "/ja/passports/alerts/confirm/" in confirm.body_text
    client.post(link(confirm, "confirm"))
    tracking_change(item=item, status=Status.PROCESSING, actor=None)
    [alert] = alerts_to("hanako@example.com")
    with translation.override("ja"):
        assert str(Status.PROCESSING.label) in alert.body_text
    assert "/ja/passports/alerts/unsubscribe/" in alert.body_text


def test_unsubscribe_from_the_link_shows_a_button_and_the_post_stops_the_alerts(client, make_tracking):
    item = confirmed(client, make_tracking)
    tracking_change(item=item, status=Status.PROCESSING, actor=None)
    unsubscribe = link(alerts_to("hanako@example.com").get(), "unsubscribe")

    page = client.get(unsubscribe)
    assert page.status_code == 200 and 'id="subscription-unsubscribe"' in page.content.decode()
    assert PassportSubscription.objects.get().unsubscribed_at is None
    done = client.post(unsubscribe)
    assert done.status_code == 200 and 'id="unsubscribed"' in done.content.decode()
    assert PassportSubscription.objects.get().unsubscribed_at is not None
    tracking_change(item=item, status=Status.OUT_FOR_DELIVERY, actor=None)
    assert alerts_to("hanako@example.com").count() == 1


def test_one_click_unsubscribe_needs_no_csrf_token(make_tracking, client):
    item = confirmed(client, make_tracking)
    tracking_change(item=item, status=Status.PROCESSING, actor=None)
    unsubscribe = link(alerts_to("hanako@example.com").get(), "unsubscribe")
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(unsubscribe, "List-Unsubscribe=One-Click",
                                content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert PassportSubscription.objects.get().unsubscribed_at is not None


def test_subscribing_again_after_unsubscribing_needs_a_new_confirmation(client, make_tracking):
    item = confirmed(client, make_tracking)
    PassportSubscription.objects.update(unsubscribed_at=timezone.now())
    old_confirm = OutboundEmail.objects.get(template="passport_alert_confirm")
    subscribe(client)
    assert PassportSubscription.objects.count() == 1
    assert client.get(link(old_confirm, "confirm")).status_code == 404  # the older link is revoked
    tracking_change(item=item, status=Status.PROCESSING, actor=None)
    assert not alerts_to("hanako@example.com").exists()


def test_an_unknown_number_gets_the_same_page_and_nothing_is_stored_or_sent(client, make_tracking):
    make_tracking(NUMBER)
    known, unknown = subscribe(client), subscribe(client, number="ZZ9999999", email="taro@example.com")
    assert unknown.status_code == known.status_code == 302 and unknown["Location"] == known["Location"]
    assert not PassportSubscription.objects.filter(email="taro@example.com").exists()
    assert not OutboundEmail.objects.filter(to="taro@example.com").exists()


def test_a_bad_address_comes_back_with_its_error(client, make_tracking):
    make_tracking(NUMBER)
    response = subscribe(client, email="not an address")
    assert response.status_code == 400 and "Enter an email address" in response.content.decode()
    assert not PassportSubscription.objects.exists() and not OutboundEmail.objects.exists()


def test_a_tampered_or_expired_link_is_404(client, make_tracking, monkeypatch):
    make_tracking(NUMBER)
    subscribe(client)
    confirm_url = link(OutboundEmail.objects.get(), "confirm")
    token = confirm_url.rstrip("/").rsplit("/", 1)[1]
    tampered = confirm_url.replace(token, token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
    assert client.get(tampered).status_code == 404
    assert client.post(tampered).status_code == 404
    # A confirm link does not open the unsubscribe page (each purpose has its own salt).
    assert client.get(confirm_url.replace("/confirm/", "/unsubscribe/")).status_code == 404
    with override_settings(TRACKING_CONFIRM_LINK_DAYS=7):
        later = time.time() + 8 * 86400
        monkeypatch.setattr(signing.time, "time", lambda: later)
        assert client.post(confirm_url).status_code == 404
        monkeypatch.undo()
    assert PassportSubscription.objects.get().confirmed_at is None


def test_imported_changes_alert_through_alerts_for_changes(client, make_tracking):
    item = confirmed(client, make_tracking)
    PassportTracking.objects.filter(pk=item.pk).update(status=Status.PROCESSING)
    assert alerts.alerts_for_changes([(item.pk, Status.AT_POST)]) == 1
    assert alerts.alerts_for_changes([(item.pk, Status.PROCESSING)]) == 0  # no change: no alert
    assert alerts_to("hanako@example.com").count() == 1


def waiting_for_pickup(client, make_tracking, *, days_ago):
    item = confirmed(client, make_tracking, delivery=PassportTracking.Delivery.POST_OFFICE)
    tracking_change(item=item, status=Status.DELIVERED, actor=None)
    PassportTracking.objects.filter(pk=item.pk).update(
        status_changed_at=timezone.now() - dt.timedelta(days=days_ago))
    return item


def reminders_to(address):
    return OutboundEmail.objects.filter(to=address, template="passport_pickup_reminder")


@override_settings(PASSPORT_PICKUP_HOLD_DAYS=7, PASSPORT_PICKUP_REMINDER_DAYS=2)
def test_a_passport_waiting_for_pickup_is_reminded_once_before_it_is_sent_back(client, make_tracking):
    waiting_for_pickup(client, make_tracking, days_ago=4)
    assert alerts.pickup_reminders_send() == 0  # three days left: not yet
    PassportTracking.objects.update(status_changed_at=timezone.now() - dt.timedelta(days=5, hours=1))
    assert alerts.pickup_reminders_send() == 1
    assert alerts.pickup_reminders_send() == 0  # the next day's run sends nothing more
    [reminder] = reminders_to("hanako@example.com")
    assert "sent back" in reminder.body_text and "4567" in reminder.subject
    assert NUMBER not in reminder.body_text + reminder.body_html + reminder.subject
    assert reminder.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@override_settings(PASSPORT_PICKUP_HOLD_DAYS=7, PASSPORT_PICKUP_REMINDER_DAYS=2)
def test_no_reminder_past_the_return_date_for_delivery_at_home_or_after_unsubscribing(client, make_tracking):
    waiting_for_pickup(client, make_tracking, days_ago=8)
    assert alerts.pickup_reminders_send() == 0
    PassportTracking.objects.update(status_changed_at=timezone.now() - dt.timedelta(days=6),
                                    delivery=PassportTracking.Delivery.LETTER_PACK)
    assert alerts.pickup_reminders_send() == 0
    PassportTracking.objects.update(delivery=PassportTracking.Delivery.POST_OFFICE)
    PassportSubscription.objects.update(unsubscribed_at=timezone.now())
    assert alerts.pickup_reminders_send() == 0
    assert not reminders_to("hanako@example.com").exists()


def test_the_reminder_runs_daily_on_beat():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["passport-pickup-reminders"]
    assert entry["task"] == "passports.tasks.send_pickup_reminders"
    from passports.tasks import send_pickup_reminders

    assert send_pickup_reminders.name == entry["task"]


@pytest.mark.django_db(transaction=True)
def test_through_the_worker_a_confirmed_subscriber_gets_one_alert_at_the_smtp_peer(
    celery_worker, mailbox, posts, client
):
    item = PassportTracking.objects.create(post=posts["tokyo"], key=NUMBER, status=Status.AT_POST,
                                           status_changed_at=timezone.now())
    subscribe(client, email="alerts@example.com")
    [confirm] = mailbox.wait_for(1, to="alerts@example.com")
    [path] = re.findall(rf"{re.escape(SITE)}(/\S+/alerts/confirm/\S+/)", confirm.get_body(("plain",)).get_content())
    assert client.post(path).status_code == 200

    tracking_change(item=item, status=Status.PROCESSING, actor=None)
    [_confirm, alert] = mailbox.wait_for(2, to="alerts@example.com")
    with translation.override("en"):
        assert str(Status.PROCESSING.label) in alert.get_body(("plain",)).get_content()
    assert NUMBER not in alert.as_string()
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = alert["List-Unsubscribe"].strip("<>").removeprefix(SITE)
    time.sleep(1)
    assert len(mailbox.wait_for(2, to="alerts@example.com")) == 2  # exactly one alert
    assert OutboundEmail.objects.filter(to="alerts@example.com", template="passport_status_alert").count() == 1

    Client(enforce_csrf_checks=True).post(unsubscribe, "List-Unsubscribe=One-Click",
                                          content_type="application/x-www-form-urlencoded")
    assert PassportSubscription.objects.get().unsubscribed_at is not None


@pytest.mark.parametrize("number, email", [
    ("\x00", "hanako@example.com"), ("x" * 5000, "a@b.example"), ("", ""), ("TK1234567", "\x00@example.com"),
    ("TK1234567", "a" * 300 + "@example.com"), ("TK1234567", "hanako@example.com\r\nBcc: x@example.com"),
])
def test_hostile_subscribe_values_come_back_as_errors_never_a_500(client, make_tracking, number, email):
    make_tracking(NUMBER)
    response = client.post("/en/passports/alerts/", {"number": number, "email": email})
    assert response.status_code == 400
    assert not PassportSubscription.objects.exists() and not OutboundEmail.objects.exists()


def test_the_same_address_twice_is_one_subscription_and_once_confirmed_gets_no_more_confirmations(
    client, make_tracking
):
    confirmed(client, make_tracking)
    subscribe(client, email="HANAKO@example.com")
    assert PassportSubscription.objects.count() == 1
    assert OutboundEmail.objects.filter(template="passport_alert_confirm").count() == 1


def test_two_requests_for_one_address_at_once_keep_one_subscription(make_tracking, monkeypatch):
    from consular_portal.tracking import alerts as tracking_alerts

    item = make_tracking(NUMBER)
    real = tracking_alerts.save_with_new_reference

    def concurrent(instance, prefix):  # the other request inserts first
        real(PassportSubscription(item=item, email="hanako@example.com", language="en"), prefix)
        return real(instance, prefix)

    monkeypatch.setattr(tracking_alerts, "save_with_new_reference", concurrent)
    subscription = alerts.subscription_request(number=NUMBER, email="Hanako@example.com", language="en")
    assert PassportSubscription.objects.get() == subscription
    assert not OutboundEmail.objects.exists()  # the other request sends the confirmation


@pytest.mark.parametrize("language", ["en", "ja", "zh-hans"])
def test_the_alert_pages_are_in_the_applicants_language(client, make_tracking, language):
    make_tracking(NUMBER)
    sent = client.get(subscribe(client, language=language)["Location"])
    confirm = client.get(link(OutboundEmail.objects.get(), "confirm"))
    for page in (sent, confirm):
        assert page.status_code == 200 and f'lang="{language}"' in page.content.decode()
    assert f"/{language}/passports/alerts/confirm/" in link(OutboundEmail.objects.get(), "confirm")


def test_the_links_are_made_on_site_url_whatever_host_the_request_names(client, make_tracking):
    make_tracking(NUMBER)
    assert client.post("/en/passports/alerts/", {"number": subscribe_number(NUMBER), "email": "hanako@example.com"},
                       HTTP_HOST="localhost").status_code == 302
    [email] = OutboundEmail.objects.filter(to="hanako@example.com")
    assert re.search(rf"{re.escape(SITE)}/en/passports/alerts/confirm/\S+/", email.body_text)
    assert "localhost" not in email.body_text + email.body_html

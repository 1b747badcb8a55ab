import datetime as dt
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from passports.delivery import SALT, address_change_open, delivery_path
from passports.forms import normalise_postal_code
from passports.models import PassportTracking

pytestmark = pytest.mark.django_db
Delivery = PassportTracking.Delivery
INTERVIEW = dt.date(2026, 12, 10)
JST = dt.timezone(dt.timedelta(hours=9))
LAST_MINUTE = dt.datetime(2026, 12, 10, 23, 59, 59, tzinfo=JST)
NEXT_DAY = dt.datetime(2026, 12, 11, 0, 0, tzinfo=JST)
ADDRESS = {"delivery": Delivery.LETTER_PACK, "postal_code": "１０７８４２０", "prefecture": "Tokyo",
           "address_line1": "1-10-5 Akasaka, Minato-ku", "address_line2": "Room 3"}


@pytest.fixture
def tracking(make_tracking):
    return make_tracking("TK1234567", interview_date=INTERVIEW, delivery=Delivery.AT_POST)


@pytest.fixture
def at(monkeypatch):
    def move(instant):
        monkeypatch.setattr(timezone, "now", lambda: instant)

    return move


@pytest.mark.parametrize(("instant", "open_"), [
    (dt.datetime(2026, 12, 9, 12, 0, tzinfo=JST), True),
    (dt.datetime(2026, 12, 10, 0, 0, tzinfo=JST), True),
    (LAST_MINUTE, True),
    (dt.datetime(2026, 12, 10, 14, 59, 59, tzinfo=dt.UTC), True),  # 23:59:59 in Tokyo
    (NEXT_DAY, False),
    (dt.datetime(2026, 12, 10, 15, 0, tzinfo=dt.UTC), False),  # midnight in Tokyo, still the 10th in UTC
    (dt.datetime(2026, 12, 12, 9, 0, tzinfo=JST), False),
])
def test_the_change_is_open_until_the_end_of_the_interview_day_at_the_post(tracking, instant, open_):
    assert address_change_open(tracking, instant) is open_


def test_without_an_interview_date_the_change_is_closed(make_tracking):
    assert not address_change_open(make_tracking("TK7654321"), LAST_MINUTE)


@pytest.mark.parametrize(("typed", "kept"), [
    ("107-8420", "107-8420"), ("1078420", "107-8420"), ("１０７－８４２０", "107-8420"), ("107ー8420", "107-8420"),
    ("10-78420", "10-78420"), ("abc", "abc"),
])
def test_postal_codes_are_read_as_typed(typed, kept):
    assert normalise_postal_code(typed) == kept


def test_before_the_deadline_the_change_is_saved_and_kept_in_the_history(client, tracking, at):
    at(LAST_MINUTE)
    url = delivery_path(tracking)
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "passport-delivery" in html
    assert "TK1234567" not in html and tracking.masked_number in html
    response = client.post(url, ADDRESS)
    assert response.status_code == 302, response.content.decode()[:2000]
    tracking.refresh_from_db()
    assert (tracking.delivery, tracking.postal_code, tracking.prefecture, tracking.address_line1,
            tracking.address_line2) == (Delivery.LETTER_PACK, "107-8420", "Tokyo", "1-10-5 Akasaka, Minato-ku",
                                        "Room 3")
    event = tracking.events.get()
    assert event.actor is None and event.status == tracking.status == PassportTracking.Status.AT_POST
    assert "107-8420" in event.note and "Letter Pack" in event.note
    assert "delivery-saved" in client.get(response["Location"]).content.decode()


def test_a_pickup_at_a_post_office_needs_its_name_and_keeps_no_address(client, tracking, at):
    at(LAST_MINUTE)
    url = delivery_path(tracking)
    response = client.post(url, {"delivery": Delivery.POST_OFFICE, "postal_code": ""})
    assert response.status_code == 400 and "post office" in response.content.decode()
    pickup = {**ADDRESS, "delivery": Delivery.POST_OFFICE, "pickup_office": "Akasaka"}
    assert client.post(url, pickup).status_code == 302
    tracking.refresh_from_db()
    assert (tracking.delivery, tracking.pickup_office, tracking.postal_code) == (Delivery.POST_OFFICE, "Akasaka", "")


def test_a_delivery_needs_a_japanese_postal_code(client, tracking, at):
    at(LAST_MINUTE)
    response = client.post(delivery_path(tracking), {**ADDRESS, "postal_code": "12-345"})
    assert response.status_code == 400 and "123-4567" in response.content.decode()
    tracking.refresh_from_db()
    assert tracking.delivery == Delivery.AT_POST and not tracking.events.exists()


def test_at_midnight_after_the_interview_day_the_form_is_closed_with_the_posts_phone(client, tracking, at):
    url = delivery_path(tracking)
    at(NEXT_DAY)
    html = client.get(url).content.decode()
    assert "delivery-closed" in html and "passport-delivery" not in html
    assert "050-5533-2737" in html and tracking.masked_number in html
    assert client.post(url, ADDRESS).status_code == 403
    tracking.refresh_from_db()
    assert tracking.delivery == Delivery.AT_POST and not tracking.events.exists()


def test_the_page_is_closed_in_japanese_and_chinese_too(client, tracking, at):
    url = delivery_path(tracking).replace("/en/", "/{}/", 1)
    at(NEXT_DAY)
    for language in ("ja", "zh-hans"):
        response = client.get(url.format(language))
        assert response.status_code == 200 and "050-5533-2737" in response.content.decode()


def test_the_page_is_never_stored(client, tracking, at):
    at(LAST_MINUTE)
    cache_control = client.get(delivery_path(tracking))["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


def test_a_tampered_expired_or_revoked_link_finds_nothing(client, tracking, at, settings):
    at(LAST_MINUTE)
    url = delivery_path(tracking)
    token = url.rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    assert client.get(url.replace(token, tampered)).status_code == 404
    other_salt = signing.dumps(["passports.passporttracking", tracking.reference, 0], salt="another", compress=True)
    assert client.get(url.replace(token, quote(other_salt))).status_code == 404
    settings.PASSPORT_DELIVERY_LINK_MAX_AGE_DAYS = 1
    old = signing.TimestampSigner(salt=SALT).sign_object(
        ["passports.passporttracking", tracking.reference, 0], compress=True)
    assert client.get(url.replace(token, old)).status_code == 200
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: dt.datetime.now().timestamp() + 2 * 86400)
        assert client.get(url).status_code == 404
    tracking.link_renew()
    tracking.save(update_fields=["link_version"])
    assert client.get(url).status_code == 404
    assert client.post(url, ADDRESS).status_code == 404


@pytest.mark.parametrize("value", ["\x00", "x" * 5000, "<script>", "１" * 300, "1078420\n"])
def test_a_hostile_value_in_any_field_is_no_error(client, tracking, at, value):
    at(LAST_MINUTE)
    url = delivery_path(tracking)
    for name in (*ADDRESS, "pickup_office"):
        response = client.post(url, {**ADDRESS, name: value})
        assert response.status_code in (302, 400), (name, response.status_code)
    assert client.get(url + "?saved=" + quote(value)).status_code == 200


def test_a_form_body_that_is_not_utf8_is_no_error(client, tracking, at):
    at(LAST_MINUTE)
    url = delivery_path(tracking)
    for body in (b"delivery=letter_pack&postal_code=%ED%A0%80", b"delivery=%FF%FE&prefecture=\xff", b"\x00" * 100):
        response = client.post(url, body, content_type="application/x-www-form-urlencoded")
        assert response.status_code in (400, 403), response.status_code
    tracking.refresh_from_db()
    assert tracking.delivery == Delivery.AT_POST and not tracking.events.exists()


def test_the_admin_shows_the_applicants_link_to_the_posts_staff(clerk, make_tracking, tokyo, shanghai):
    item = make_tracking("TK1234567", interview_date=tokyo.local_today() + dt.timedelta(days=3))
    page = clerk.get(reverse("admin:passports_passporttracking_change", args=[item.pk]))
    assert page.status_code == 200, page
    html = page.content.decode()
    item.refresh_from_db()
    assert item.reference and 'id="delivery-link"' in html
    link = html.split('id="delivery-link">', 1)[1].split("<", 1)[0]
    assert link.startswith(f"{settings.SITE_URL}/")
    assert clerk.get(link.removeprefix(settings.SITE_URL)).status_code == 200
    other = make_tracking("SH1234567", post=shanghai, interview_date=INTERVIEW)
    assert clerk.get(reverse("admin:passports_passporttracking_change", args=[other.pk])).status_code in (302, 403, 404)

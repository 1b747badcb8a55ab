"""Staff set up their own second factor after the password; backup codes work once; an administrator's reset
makes them set it up again. All in production mode (``OTP_ADMIN`` on), through the admin's own pages."""

import re
from base64 import b32decode

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from consular_portal import staff_devices

from . import factories

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
ENROL = "/admin/second-factor/"


@pytest.fixture(autouse=True)
def production_login(settings):
    settings.OTP_ADMIN = True


@pytest.fixture
def officer(tokyo):
    return factories.officer(tokyo, username="officer")


def log_in(client, username, code=""):
    return client.post(LOGIN, {"username": username, "password": factories.PASSWORD, "otp_token": code,
                               "next": "/admin/"}, REMOTE_ADDR="198.51.100.7")


def code_for(secret, steps_ahead=0):
    """What an authenticator app shows for the key the page wrote out (``steps_ahead`` periods from now)."""
    key = b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key, drift=steps_ahead):06d}"


def secret_on(page):
    return re.search(r'<code id="staff-secret">([A-Z2-7 ]+)</code>', page).group(1)


def backup_codes_on(page):
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)


def enrol(client, username):
    """Logs in with the password, scans nothing but reads the key, confirms: returns the backup codes shown."""
    assert log_in(client, username)["Location"] == ENROL
    page = client.get(ENROL).content.decode()
    response = client.post(ENROL, {"otp_token": code_for(secret_on(page))})
    assert response.status_code == 200
    return backup_codes_on(response.content.decode()), secret_on(page)


def test_staff_without_a_device_are_taken_to_set_up_an_app_after_the_password(client, officer):
    response = log_in(client, "officer")
    assert response.status_code == 302 and response["Location"] == ENROL
    assert client.get("/admin/").status_code == 302  # logged in, not verified: no admin page yet
    assert client.get(LOGIN)["Location"] == ENROL  # the login page sends them back to finish

    page = client.get(ENROL).content.decode()
    assert "Set up your authenticator app" in page
    assert "<svg" in page and "<script" not in page.split('id="content-main"')[1]
    device = TOTPDevice.objects.get(user=officer)
    assert not device.confirmed
    assert secret_on(page).replace(" ", "") == staff_devices.secret_text(device).replace(" ", "")
    assert secret_on(client.get(ENROL).content.decode()) == secret_on(page)  # a reload keeps the same key
    assert TOTPDevice.objects.filter(user=officer).count() == 1


def test_the_apps_code_confirms_it_and_ten_backup_codes_are_shown_once(client, officer):
    codes, _secret = enrol(client, "officer")
    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=officer).confirmed
    stored = StaticToken.objects.filter(device__user=officer).values_list("token", flat=True)
    assert sorted(stored) == sorted(codes)
    assert client.get("/admin/").status_code == 200  # this session is verified by the new app

    again = client.get(ENROL)  # the page (and its codes) cannot be opened again
    assert again.status_code == 302 and not backup_codes_on(client.get(again["Location"], follow=True)
                                                             .content.decode())


def test_a_wrong_code_does_not_confirm_the_app(client, officer):
    log_in(client, "officer")
    page = client.get(ENROL).content.decode()
    wrong = f"{(int(code_for(secret_on(page))) + 1) % 1_000_000:06d}"
    response = client.post(ENROL, {"otp_token": wrong})
    assert response.status_code == 200
    assert "That is not the code your app shows now" in response.content.decode()
    assert not TOTPDevice.objects.get(user=officer).confirmed
    assert not StaticDevice.objects.filter(user=officer).exists()
    assert client.get("/admin/").status_code == 302


def test_after_setting_up_the_app_the_login_is_one_form_with_its_code(officer):
    _codes, secret = enrol(Client(), "officer")
    client = Client()
    assert log_in(client, "officer", code="").status_code == 200  # the password alone no longer logs in
    assert client.get("/admin/").status_code == 302
    # The code of the period just used to confirm is spent; the app's next one is accepted (one period ahead).
    response = log_in(client, "officer", code=code_for(secret, steps_ahead=1))
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_wrong_login_code_is_refused(officer):
    _codes, secret = enrol(Client(), "officer")
    client = Client()
    wrong = f"{(int(code_for(secret, steps_ahead=1)) + 1) % 1_000_000:06d}"
    response = log_in(client, "officer", code=wrong)
    assert response.status_code == 200
    assert "Please enter the correct username, password and authentication code" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_each_backup_code_logs_in_once(officer):
    codes, _secret = enrol(Client(), "officer")
    first = Client()
    assert log_in(first, "officer", code=codes[0])["Location"] == "/admin/"
    assert first.get("/admin/").status_code == 200
    assert log_in(Client(), "officer", code=codes[1])["Location"] == "/admin/"  # the others still work
    again = Client()
    assert log_in(again, "officer", code=codes[0]).status_code == 200  # used up
    assert again.get("/admin/").status_code == 302
    assert StaticToken.objects.filter(device__user=officer).count() == 8


def test_an_administrators_reset_makes_the_staff_member_set_up_the_app_again(officer):
    administrator = factories.administrator()
    admin_codes, _ = enrol(admin_client := Client(), administrator.username)
    officer_session = Client()
    enrol(officer_session, "officer")
    assert officer_session.get("/admin/").status_code == 200

    response = admin_client.post("/admin/auth/user/", {"action": "reset_second_factor",
                                                       "_selected_action": [officer.pk]}, follow=True)
    assert "The second factor of 1 account was reset" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not StaticDevice.objects.filter(user=officer).exists()
    entry = LogEntry.objects.get(object_id=str(officer.pk))
    assert entry.user == administrator and "second factor" in entry.get_change_message()

    assert officer_session.get("/admin/").status_code == 302  # the session verified by the old app ends
    assert officer_session.get(ENROL)["Location"] == "/admin/login/"  # and cannot set up a new one itself
    fresh = Client()
    assert log_in(fresh, "officer")["Location"] == ENROL  # the next login sets it up again
    codes, _ = enrol(fresh, "officer")
    assert len(codes) == 10 and fresh.get("/admin/").status_code == 200


def test_officers_cannot_reset_anyones_second_factor(officer):
    enrol(officer_client := Client(), "officer")
    other = factories.officer(username="other")
    TOTPDevice.objects.create(user=other, name="phone", confirmed=True)
    response = officer_client.post("/admin/auth/user/", {"action": "reset_second_factor",
                                                         "_selected_action": [other.pk]})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=other).exists()


def test_staff_without_a_confirmed_device_never_reach_the_admin_in_production(client, officer):
    TOTPDevice.objects.create(user=officer, name="unfinished", confirmed=False)
    client.force_login(officer)  # a session with the password only
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/appointments/expediterequest/").status_code == 302
    assert client.get(ENROL)["Location"] == "/admin/login/"  # not marked by the login: no way to a device


def test_the_set_up_page_does_not_exist_outside_production(client, officer, settings):
    settings.OTP_ADMIN = False
    client.force_login(officer)
    assert client.get(ENROL).status_code == 404


def test_a_backup_code_is_never_all_digits(monkeypatch):
    drawn = iter(["23456723", "abcd2345"])
    monkeypatch.setattr(StaticToken, "random_token", staticmethod(lambda: next(drawn)))
    assert staff_devices.new_backup_code() == "abcd2345"

"""The one-step staff login form: the code's shape picks the kind of device, and nothing else is throttled."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from consular_portal.staff_login import StaffLoginForm

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-9"


@pytest.fixture
def officer(django_user_model):
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = django_user_model.objects.create_user(username="officer", password=PASSWORD, is_staff=True)
    totp = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    backup = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    backup.token_set.create(token="abcd2345")
    return user, totp, backup


def login_form(code, password=PASSWORD):
    request = RequestFactory().post("/admin/login/", REMOTE_ADDR="198.51.100.7")
    request.session = SessionStore()
    return StaffLoginForm(request, data={"username": "officer", "password": password, "otp_token": code})


def test_a_backup_code_logs_in_once(officer):
    _, _, backup = officer
    form = login_form("abcd 2345")
    assert form.is_valid()
    assert form.get_user().otp_device == backup
    assert not login_form("abcd2345").is_valid()  # used up


def test_a_wrong_app_code_does_not_throttle_the_backup_codes(officer):
    _, totp, backup = officer
    assert not login_form("123456").is_valid()
    totp.refresh_from_db()
    backup.refresh_from_db()
    assert totp.throttling_failure_count == 1 and backup.throttling_failure_count == 0


def test_a_wrong_password_and_a_wrong_code_read_the_same(officer):
    wrong_password = login_form("123456", password="wrong-password-1").errors["__all__"]
    wrong_code = login_form("123456").errors["__all__"]
    assert wrong_password == wrong_code


def test_with_a_device_an_empty_code_is_a_failed_login(officer):
    form = login_form("")
    assert not form.is_valid()
    assert form.errors["__all__"] == login_form("123456", password="wrong-password-1").errors["__all__"]


def test_without_a_confirmed_device_the_password_alone_logs_in_unverified(django_user_model):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = django_user_model.objects.create_user(username="officer", password=PASSWORD, is_staff=True)
    TOTPDevice.objects.create(user=user, name="unfinished", confirmed=False)
    form = login_form("")
    assert form.is_valid()
    assert form.get_user().otp_device is None  # the admin takes them to set up an app, nothing else

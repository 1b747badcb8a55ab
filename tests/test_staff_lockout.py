"""Failed staff logins lock out the client that made them, by the address the proxy saw, not the proxy's."""

import pytest

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
PASSWORD = "correct-horse-battery-9"


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user(username="officer", password=PASSWORD, is_staff=True)


def log_in(client, password, client_address):
    return client.post("/admin/login/?next=/admin/", {"username": "officer", "password": password},
                       REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address)


def test_failures_from_one_client_behind_the_proxy_do_not_lock_out_another(client, officer, settings):
    from django.test import Client

    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "wrong-password", "198.51.100.7")

    locked = log_in(client, PASSWORD, "198.51.100.7")
    assert locked.status_code == 429  # the guessing client is locked out, even with the right password

    elsewhere = Client()
    response = log_in(elsewhere, PASSWORD, "203.0.113.20")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert elsewhere.get("/admin/").status_code == 200


def test_the_lock_out_is_recorded_with_the_clients_address(client, officer, settings):
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXY_COUNT = 1
    log_in(client, "wrong-password", "198.51.100.7")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["198.51.100.7"]

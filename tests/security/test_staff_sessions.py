"""Staff sessions: a new session key at login (a session planted before it is worth nothing after), signed
out after STAFF_IDLE_TIMEOUT_MINUTES without a request, and a visitor's page never reads a session."""

import time

import pytest

from consular_portal.staff_sessions import LAST_SEEN

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-9"


def signed_in(client):
    return "_auth_user_id" in client.session


def idle_for(client, minutes):
    session = client.session
    session[LAST_SEEN] = int(time.time()) - minutes * 60
    session.save()


def test_logging_in_gives_a_new_session_key(client, django_user_model, settings):
    settings.AXES_ENABLED = False  # the login form alone, not the lock-out (tests/test_staff_lockout.py)
    django_user_model.objects.create_user(username="officer", password=PASSWORD, is_staff=True)
    planted = client.session
    planted["planted"] = True
    planted.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key
    response = client.post("/admin/login/", {
        "username": "officer", "password": PASSWORD, "otp_token": "", "next": "/admin/"})
    assert response.status_code == 302
    assert signed_in(client)
    assert client.session.session_key != planted.session_key


def test_a_staff_session_ends_after_the_idle_timeout(client, officer_tokyo, settings):
    settings.STAFF_IDLE_TIMEOUT_MINUTES = 30
    client.force_login(officer_tokyo)
    client.get("/admin/")
    idle_for(client, 29)
    client.get("/admin/")
    assert signed_in(client)  # 29 minutes: still in, and the clock starts again
    assert time.time() - client.session[LAST_SEEN] < 5

    idle_for(client, 31)
    response = client.get("/admin/", follow=True)
    assert not signed_in(client)
    assert "You were signed out after 30 minutes without activity" in response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/admin/login/")


def test_a_visitors_page_reads_no_session(client, posts, settings):
    response = client.get("/en/contact/")
    assert response.wsgi_request.session.accessed is False
    assert settings.SESSION_COOKIE_NAME not in response.cookies

"""Logged paths carry neither the query string (officers' searches) nor an applicant's signed token."""

import datetime as dt
import logging

import pytest
from django.core import signing
from gunicorn.config import Config

from consular_portal.access_log import AccessLogger, PrivatePathFilter, mask_path

pytestmark = pytest.mark.pure

TOKEN = signing.dumps("EXP-2K7Q-9", salt="appointments.request", compress=True)


@pytest.mark.parametrize(("path", "logged"), [
    ("/en/admin/appointments/expediterequest/?q=TZ1234567", "/en/admin/appointments/expediterequest/"),
    ("/admin/passports/passport/?q=someone%40example.com&o=1", "/admin/passports/passport/"),
    (f"/en/appointments/requests/{TOKEN}/", "/en/appointments/requests/…/"),
    (f"/ja/fraud/received/{TOKEN}/?x=1", "/ja/fraud/received/…/"),
    (f"/zh-hans/anything/{TOKEN.replace(':', '%3A')}/", "/zh-hans/anything/…/"),
    ("/en/future/" + "A" * 48 + "/", "/en/future/…/"),
    (f"https://visa.example.gov/en/appointments/requests/{TOKEN}/", "https://visa.example.gov/en/appointments/requests/…/"),
    ("/en/appointments/expedite/tokyo/", "/en/appointments/expedite/tokyo/"),
    ("/static/uswds-3.13.0/css/uswds.min.css", "/static/uswds-3.13.0/css/uswds.min.css"),
])
def test_logged_paths_lose_query_strings_and_signed_tokens(path, logged):
    assert mask_path(path) == logged


def record(name, msg, *args):
    return logging.LogRecord(name, logging.WARNING, __file__, 1, msg, args, None)


def test_the_development_server_log_line_is_masked():
    line = record("django.server", '"%s" %s %s', f"GET /en/appointments/requests/{TOKEN}/?lang=ja HTTP/1.1",
                  "200", "5120")
    assert PrivatePathFilter().filter(line)
    assert line.getMessage() == '"GET /en/appointments/requests/…/ HTTP/1.1" 200 5120'


def test_django_request_warnings_for_4xx_are_masked():
    line = record("django.request", "%s: %s", "Not Found", f"/en/fraud/received/{TOKEN}/")
    PrivatePathFilter().filter(line)
    assert line.getMessage() == "Not Found: /en/fraud/received/…/"
    assert TOKEN not in line.getMessage()


def test_other_loggers_are_left_alone():
    line = record("consular_portal.health", "readyz: %s unavailable: %s", "cache", "localhost:6379 refused")
    PrivatePathFilter().filter(line)
    assert line.getMessage() == "readyz: cache unavailable: localhost:6379 refused"


def test_settings_attach_the_filter_to_the_request_loggers():
    from django.conf import settings

    assert settings.LOGGING["loggers"]["django.server"]["filters"] == ["private_paths"]
    assert settings.LOGGING["loggers"]["django.request"]["filters"] == ["private_paths"]
    assert logging.getLogger("django.request").filters  # configured at startup


class Response:
    status = "200 OK"
    sent = 1234
    headers = [("Content-Type", "text/html")]


class Request:
    headers = [("REFERER", "https://visa.example.gov/admin/passports/passport/?q=TZ1234567")]


def test_gunicorn_access_log_shows_neither_search_nor_token(caplog):
    config = Config()
    config.set("accesslog", "-")
    logger = AccessLogger(config)
    environ = {
        "REQUEST_METHOD": "GET", "RAW_URI": f"/en/appointments/requests/{TOKEN}/?q=TZ1234567",
        "PATH_INFO": f"/en/appointments/requests/{TOKEN}/", "QUERY_STRING": "q=TZ1234567",
        "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "203.0.113.9",
        "HTTP_REFERER": "https://visa.example.gov/admin/passports/passport/?q=TZ1234567",
        "HTTP_USER_AGENT": "Mozilla/5.0",
    }
    logger.access_log.propagate = True
    with caplog.at_level(logging.INFO, logger="gunicorn.access"):
        logger.access(Response(), Request(), environ, dt.timedelta(milliseconds=12))
    line = caplog.records[-1].getMessage()
    assert '"GET /en/appointments/requests/…/ HTTP/1.1" 200 1234' in line
    assert '"https://visa.example.gov/admin/passports/passport/"' in line
    assert "TZ1234567" not in line and TOKEN not in line

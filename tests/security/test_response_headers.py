"""Every public page, whatever its answer (a page, a form sent back, a 404 for a wrong link, a 405), carries the
portal's security headers, and every cookie it sets is host-only and sent over HTTPS only, as production sets
them. (`tests/integration/test_production_mode.py` shows the same headers through gunicorn for one page.)"""

import pytest
from django.conf import settings as django_settings

from tests.site.public_forms import UNLIMITED
from tests.site.test_hostile_input import page_paths

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_client(client, settings):
    """The test client with the settings production adds (settings.py's PRODUCTION block), over HTTPS."""
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = settings.LANGUAGE_COOKIE_SECURE = True
    settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME = "__Host-sessionid", "__Host-csrftoken"
    for name, rate in UNLIMITED.items():
        setattr(settings, name, rate)
    client.raise_request_exception = False
    return client


def header_faults(response):
    faults = []
    csp = response.get("Content-Security-Policy", "")
    required = ("frame-ancestors 'none'", "object-src 'none'")
    if not ("default-src 'self'" in csp or "default-src 'none'" in csp) or any(r not in csp for r in required):
        faults.append(f"CSP: {csp!r}")
    if "unsafe-inline" in csp or "unsafe-eval" in csp:
        faults.append(f"CSP allows inline code: {csp!r}")
    expected = {
        "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }
    faults += [f"{name}: {response.get(name)!r}" for name, value in expected.items() if response.get(name) != value]
    for name, cookie in response.cookies.items():
        if not cookie["secure"]:
            faults.append(f"cookie {name} without Secure")
        if name in (django_settings.SESSION_COOKIE_NAME, django_settings.CSRF_COOKIE_NAME) and (
                not name.startswith("__Host-") or cookie["domain"] or cookie["path"] != "/"):
            faults.append(f"cookie {name} is not host-only")
    return faults


def test_every_public_page_carries_the_security_headers(production_client, policies):
    faults = {}
    for path in [p.format(lang=lang) for p in page_paths() for lang in ("en", "ja")]:
        response = production_client.get(path, secure=True)
        assert response.status_code < 500, path
        if found := header_faults(response):
            faults[f"{path} ({response.status_code})"] = found
    assert not faults, faults


def test_a_form_sent_back_with_errors_carries_them_too(production_client, policies):
    for path in ("/en/feedback/", "/en/fraud/", "/en/appointments/tokyo/request/", "/en/inquiries/ask/"):
        response = production_client.post(path, {"submission_key": "x"}, secure=True)
        assert response.status_code in (200, 400), path
        assert header_faults(response) == [], path

"""The portal under DJANGO_ENV=production behind gunicorn: HTTPS only, HSTS, CSP, second factor for staff."""

import re
import subprocess
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.services import free_port, wait_for_port

from .test_embedded_default import ROOT, stop

HOST = "visa.example.gov"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(port, path, https=True):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": HOST})
    if https:
        request.add_header("X-Forwarded-Proto", "https")
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture
def production_server(postgres, redis_server, django_db_setup, tmp_path):
    from django.conf import settings

    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_ENV": "production",
        "SECRET_KEY": "p9Vx2Lm7Qr4Tz8Kb1Nc6Wd3Hf5Jg0Ys-Ua7Ie2Po9Rt4Yw1Sa8Df3Gh6Jk5Lz0Xc",
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": f"https://{HOST}",
        "DATABASE_URL": postgres.url(settings.DATABASES["default"]["NAME"]),
        "REDIS_URL": redis_server.url,
        "EMAIL_URL": "smtp://127.0.0.1:9",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    subprocess.run([str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput", "-v0"],
                   cwd=ROOT, env=env, check=True, timeout=120)
    port = free_port()
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "consular_portal.wsgi", "--bind", f"127.0.0.1:{port}",
         "--forwarded-allow-ips", "*"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    wait_for_port(port, timeout=60, process=process)
    yield port
    stop(process)


@pytest.mark.django_db(transaction=True)
def test_production_serves_https_only_with_strict_headers(production_server, posts):
    status, headers, _ = fetch(production_server, "/en/", https=False)
    assert status == 301 and headers["Location"] == f"https://{HOST}/en/"

    status, headers, body = fetch(production_server, "/en/")
    assert status == 200 and "U.S. Embassy Tokyo" in body
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db(transaction=True)
def test_staff_log_in_with_a_second_factor_in_production(production_server):
    status, headers, body = fetch(production_server, "/admin/login/")
    assert status == 200
    assert 'name="otp_token"' in body
    assert "Secure" in headers["Set-Cookie"]  # the CSRF cookie travels over HTTPS only


class Browser:
    """Keeps the cookies a browser would keep over HTTPS (urllib's jar drops Secure cookies on http://)."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}
        self.set_cookie_headers = []

    def request(self, path, data=None):
        headers = {"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers |= {"Origin": f"https://{HOST}", "Content-Type": "application/x-www-form-urlencoded"}
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=body, headers=headers)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request, timeout=10)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            set_cookies = response.headers.get_all("Set-Cookie") or []
            self.set_cookie_headers += set_cookies
            for header in set_cookies:
                name, _, rest = header.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
            return response.status, dict(response.headers), response.read().decode()


def csrf_token(body):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)


def set_cookie(browser, name):
    [header] = [h for h in browser.set_cookie_headers if h.startswith(f"{name}=")][-1:]
    return header


@pytest.fixture
def officer_with_totp(django_user_model):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = django_user_model.objects.create_user(
        username="officer", password="correct-horse-battery-9", is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user, device


def current_code(device):
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.django_db(transaction=True)
def test_staff_log_in_with_username_password_and_code_in_one_step(production_server, officer_with_totp):
    _, device = officer_with_totp
    browser = Browser(production_server)
    status, _, body = browser.request("/admin/login/?next=/admin/")
    assert status == 200
    for field in ('name="username"', 'name="password"', 'name="otp_token"'):
        assert field in body
    assert 'name="otp_device"' not in body

    status, headers, _ = browser.request("/admin/login/?next=/admin/", {
        "csrfmiddlewaretoken": csrf_token(body), "username": "officer", "password": "correct-horse-battery-9",
        "otp_token": current_code(device), "next": "/admin/"})
    assert status == 302 and headers["Location"] == "/admin/"
    status, _, body = browser.request("/admin/")
    assert status == 200 and "Site administration" in body

    session = set_cookie(browser, "__Host-sessionid")
    assert "Secure" in session and "Path=/" in session and "Domain" not in session and "HttpOnly" in session


@pytest.mark.django_db(transaction=True)
def test_a_wrong_code_refuses_the_login_without_echoing_the_password(production_server, officer_with_totp):
    from axes.models import AccessAttempt

    browser = Browser(production_server)
    _, _, body = browser.request("/admin/login/")
    status, _, body = browser.request("/admin/login/", {
        "csrfmiddlewaretoken": csrf_token(body), "username": "officer", "password": "correct-horse-battery-9",
        "otp_token": "000000"})
    assert status == 200
    assert "Please enter the correct username, password and authentication code" in body
    assert "correct-horse-battery-9" not in body
    assert "Please select a device" not in body
    assert AccessAttempt.objects.get(username="officer").failures_since_start == 1
    assert browser.request("/admin/")[0] == 302  # still not logged in


@pytest.mark.django_db(transaction=True)
def test_production_cookies_are_host_only_and_same_site(production_server, posts):
    browser = Browser(production_server)
    _, _, body = browser.request("/admin/login/")
    csrf = set_cookie(browser, "__Host-csrftoken")
    assert "Secure" in csrf and "Path=/" in csrf and "Domain" not in csrf and "SameSite=Lax" in csrf

    status, _, _ = browser.request("/i18n/setlang/", {"csrfmiddlewaretoken": csrf_token(body), "language": "ja",
                                                      "next": "/ja/"})
    assert status == 302
    language = set_cookie(browser, "django_language")
    assert "SameSite=Lax" in language and "Secure" in language

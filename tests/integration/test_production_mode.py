"""The portal under DJANGO_ENV=production behind gunicorn: HTTPS only, HSTS, CSP, second factor for staff."""

import subprocess
import urllib.error
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

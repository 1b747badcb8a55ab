"""`make run` on the embedded default: SQLite, eager tasks, local-memory cache, emails as files."""

import json
import os
import signal
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.services import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own local server
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def embedded_env(tmp_path):
    """The environment of a fresh shell: no service URLs, only private paths for the data files."""
    keep = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    return keep | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "EMAIL_URL": f"filemail://{tmp_path / 'mail'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }


def serve(command, env):
    port = free_port()
    process = subprocess.Popen(
        [*command, f"PORT={port}"] if command[0] == "make" else [*command, f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    return process, port


def stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    try:
        return process.communicate(timeout=20)[0]
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        return process.communicate()[0]


# Every public page, as a first visitor of `make run` opens it on the demo data: a query only PostgreSQL
# understands (a JSON containment lookup, say) passes the suite on PostgreSQL and fails here.
PUBLIC_PAGES = [
    "/en/", "/ja/", "/zh-hans/", "/en/contact/", "/en/contact/?post=tokyo", "/en/feedback/", "/en/fraud/",
    "/en/appointments/tokyo/", "/en/appointments/shanghai/", "/en/appointments/shanghai/request/check/",
    "/en/appointments/shanghai/request/", "/en/appointments/tokyo/in-person/",
    "/en/passports/status/", "/en/passports/status/?number=TK1234567", "/en/passports/statuses/",
    "/en/cases/status/", "/en/cases/status/?number=IOE0912345678", "/en/cases/statuses/",
    "/en/processing-times/", "/en/processing-times/?post=tokyo&service=I-130", "/en/assistance/tokyo/",
    "/en/inquiries/", "/en/inquiries/?post=tokyo&route=interview&route_start=2026-01-05",
    "/en/inquiries/ask/?post=tokyo&route=interview&route_start=2026-01-05", "/admin/login/",
]


def test_make_run_migrates_loads_demo_data_and_serves(embedded_env, tmp_path):
    process, port = serve(["make", "--no-print-directory", "run"], embedded_env)
    try:
        wait_for_port(port, timeout=240, process=process)
        base = f"http://127.0.0.1:{port}"
        status, body = get(f"{base}/en/")
        assert status == 200 and "U.S. Embassy Tokyo" in body
        assert get(f"{base}/healthz")[0] == 200
        status, body = get(f"{base}/readyz")
        assert status == 200, body
        assert json.loads(body) == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}
        answers = {path: get(f"{base}{path}")[0] for path in PUBLIC_PAGES}
        assert {path: status for path, status in answers.items() if status != 200} == {}
    finally:
        output = stop(process)
    assert "officer-demo-pass" in output, "the staff logins are printed"
    assert "new expedite requests" in output and "Demo content: 0 " not in output

    # Demo data is idempotent: loading it again changes nothing.
    python = str(ROOT / ".venv/bin/python")
    count = (
        "from django.contrib.auth.models import User; "
        "print(User.objects.count(), User.objects.order_by('pk').last().pk)"
    )
    before = subprocess.run([python, "manage.py", "shell", "-c", count], cwd=ROOT, env=embedded_env,
                            capture_output=True, text=True, check=True).stdout
    again = subprocess.run([python, "manage.py", "load_demo"], cwd=ROOT, env=embedded_env,
                           capture_output=True, text=True, check=True)
    assert "officer-demo-pass" in again.stdout
    assert "Demo content: 0 new appointment slots, 0 new expedite requests." in again.stdout
    after = subprocess.run([python, "manage.py", "shell", "-c", count], cwd=ROOT, env=embedded_env,
                           capture_output=True, text=True, check=True).stdout
    assert before == after and before.splitlines()[-1].startswith("4 ")

    # Emails are sent eagerly and written as files.
    subprocess.run([python, "manage.py", "send_test_email", "dev@example.com", "--language", "ja"], cwd=ROOT,
                   env=embedded_env, capture_output=True, text=True, check=True)
    mails = [path.read_text() for path in (tmp_path / "mail").iterdir()]
    assert sum("To: dev@example.com" in mail for mail in mails) == 1
    assert sum("To: li.wei@example.com" in mail for mail in mails) == 1, "the demo request's acknowledgement"


def test_readyz_is_503_when_the_database_is_unreachable(embedded_env):
    env = embedded_env | {"DATABASE_URL": f"postgres://nobody@127.0.0.1:{free_port()}/portal"}
    process, port = serve([str(ROOT / ".venv/bin/gunicorn"), "consular_portal.wsgi", "--bind"], env)
    try:
        wait_for_port(port, timeout=60, process=process)
        assert get(f"http://127.0.0.1:{port}/healthz")[0] == 200
        status, body = get(f"http://127.0.0.1:{port}/readyz")
    finally:
        stop(process)
    assert status == 503
    assert json.loads(body)["database"] == "unavailable"

"""The embedded default of `make run` (SQLite, eager tasks, emails to files): every public page answers.

The suite runs on PostgreSQL; a query that only PostgreSQL understands would pass it and fail the first
person who tries the portal with `make run`. This test does what `make run` does, in its own process.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "/en/", "/ja/", "/zh-hans/", "/en/contact/", "/en/contact/?post=tokyo", "/en/feedback/", "/en/fraud/",
    "/en/appointments/tokyo/", "/en/appointments/shanghai/", "/en/appointments/shanghai/request/check/",
    "/en/appointments/shanghai/request/", "/en/appointments/tokyo/in-person/",
    "/en/passports/status/", "/en/passports/status/?number=TK1234567", "/en/passports/statuses/",
    "/en/cases/status/", "/en/cases/status/?number=IOE0912345678", "/en/cases/statuses/",
    "/en/processing-times/", "/en/processing-times/?post=tokyo&service=I-130", "/en/assistance/tokyo/",
    "/en/inquiries/", "/en/inquiries/?post=tokyo&route=interview&route_start=2026-01-05",
    "/en/inquiries/ask/?post=tokyo&route=interview&route_start=2026-01-05", "/admin/login/",
]
VISIT = f"""
from django.test import Client
client = Client()
for path in {PAGES!r}:
    print(client.get(path).status_code, path)
"""


def manage(*args, env):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300, check=False)


def test_every_public_page_answers_on_the_embedded_default_with_the_demo_data(tmp_path):
    # Only what `make run` has: no DATABASE_URL, REDIS_URL or EMAIL_URL of the test services; the database is
    # a file of its own so the developer's var/db.sqlite3 is left alone.
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "MEDIA_ROOT": str(tmp_path / "media")}
    for command in (["migrate", "--noinput"], ["load_demo"]):
        result = manage(*command, env=env)
        assert result.returncode == 0, result.stderr
    result = manage("shell", "--no-imports", "-c", VISIT, env=env)
    assert result.returncode == 0, result.stderr
    answers = [line.split(" ", 1) for line in result.stdout.splitlines() if " /" in line]
    assert [path for _, path in answers] == PAGES
    assert [f"{status} {path}" for status, path in answers if status != "200"] == []

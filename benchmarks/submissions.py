#!/usr/bin/env python
"""Request submission under load: accepted submissions a second, against the floor view's POST, in one run.

Usage: .venv/bin/python benchmarks/submissions.py [SECONDS]      (default 8 s a form; `make bench` runs it)

The production shape of ``benchmarks/pages.py`` (``benchmarks/production.py``). wrk (16 connections) POSTs,
each request a new applicant: a Lua script writes a per-request number into the body (the submission key,
the passport number), so every POST is a complete, valid submission that is stored, not a duplicate:
- the floor's POST (``/floor/``: one indexed query through the same middleware, the CSRF check included);
- the expedite request form of Tokyo with a one-page PDF as proof (multipart), answered by the redirect to
  the applicant's page;
- the satisfaction survey.
Afterwards the rows stored are counted and compared with the responses wrk counted: every accepted POST must
be a row, and no request may fail. No target yet (issue 14): the figures are reported.
"""

import datetime as dt
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.pages import CONNECTIONS, Inputs, parse_ms  # noqa: E402
from benchmarks.production import CLIENT, production_site  # noqa: E402

BOUNDARY = "----consular-portal-benchmark"
NUMBER = "@@N@@"  # replaced in each request by a number of 7 digits unique to it (thread digit + counter)

LUA = """
local counter = 0
local threads = 0
local template = nil

function setup(thread)
  threads = threads + 1
  thread:set("digit", threads)
end

function init(args)
  local file = io.open(args[1], "rb")
  template = file:read("*a")
  file:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = args[2]
  wrk.headers["Cookie"] = args[3]
  wrk.headers["Origin"] = args[4]
end

function request()
  counter = counter + 1
  local number = string.format("%d%06d", digit, counter)
  local body = template:gsub("@@N@@", number)
  return wrk.format(nil, nil, nil, body)
end

done = function(summary, latency, requests)
  io.write(string.format("NON2XX %d\\n", summary.errors.status))
end
"""


def csrf(client, path):
    """The hidden inputs of ``path``'s form and the cookie header that goes with its CSRF token."""
    response = client.get(path)
    parser = Inputs()
    parser.feed(response.content.decode())
    cookie = "; ".join(f"{morsel.key}={morsel.value}" for morsel in client.cookies.values())
    return parser.values, cookie


def urlencoded(fields):
    from urllib.parse import urlencode

    return urlencode(fields).encode(), "application/x-www-form-urlencoded"


def multipart(fields, files):
    parts = []
    for name, value in fields.items():
        parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content_type, content) in files.items():
        parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {content_type}\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={BOUNDARY}"


def expedite_body(client, path):
    from appointments.models import ExpeditePolicy
    from tests.factories import local_today, pdf_bytes

    policy = ExpeditePolicy.objects.select_related("post").get(post__slug="tokyo")
    today = local_today(policy.post)
    hidden, cookie = csrf(client, path)
    fields = {
        **hidden,
        "submission_key": f"00000000-0000-4000-8000-00000{NUMBER}",
        "request_type": "single",
        "category": str(policy.categories.get(code="crew-c1d").pk),
        "travel_date": (today + dt.timedelta(days=10)).isoformat(),
        "justification": "I join my ship in Long Beach in ten days.",
        "full_name": "Sato Hanako",
        "date_of_birth": "1990-01-02",
        "passport_number": f"TK{NUMBER}",
        "visa_class": "C1/D",
        "ds160_number": "AA11223344",
        "phone": "+81 3 1234 5678",
        "email": "hanako@example.com",
        "previous_visa": "none",
        "language": "ja",
    }
    body, content_type = multipart(fields, {"proof": ("proof.pdf", "application/pdf", pdf_bytes(1))})
    return body, content_type, cookie


def survey_body(client, path):
    hidden, cookie = csrf(client, path)
    fields = {**hidden, "rating": "4", "service": "passport_tracking", "post": "osaka-kobe",
              "comments": f"Quick and clear. {NUMBER}"}
    return *urlencoded(fields), cookie


def floor_body(client, path):
    hidden, cookie = csrf(client, "/en/feedback/")  # any page sets the CSRF cookie the floor's POST checks
    return *urlencoded({"csrfmiddlewaretoken": hidden["csrfmiddlewaretoken"], "n": NUMBER}), cookie


def run(site, work, name, path, body, content_type, cookie, seconds):
    template = Path(work) / f"{name}.body"
    template.write_bytes(body)
    script = Path(work) / "post.lua"
    script.write_text(LUA)
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s", "--latency",
               "-H", "X-Forwarded-Proto: https", "-H", f"X-Forwarded-For: {CLIENT}", "-s", str(script),
               site.base + path, "--", str(template), content_type, cookie, site.origin]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    total = int(re.search(r"(\d+) requests in", output).group(1))
    p50 = parse_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = parse_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    errors = re.search(r"Socket errors: (.*)", output)
    non2xx = int(re.search(r"NON2XX (\d+)", output).group(1))
    time.sleep(1)  # let the workers finish what wrk left queued
    print(f"  {name}: {rate:.0f} req/s", file=sys.stderr, flush=True)
    return rate, total, p50, p99, non2xx, errors.group(1) if errors else ""


def main(seconds=8):
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: run `make bench`, or apt-get install -y wrk")
    env = {"SUBMISSION_RATE_LIMIT": "1000000000/s"}
    with production_site(env=env) as site:
        from appointments.models import ExpediteRequest
        from consular_portal.models import SurveyResponse

        forms = [
            ("floor", "/floor/", floor_body, None, 200),
            ("expedite request, 1-page PDF", "/en/appointments/tokyo/request/", expedite_body, ExpediteRequest, 302),
            ("survey", "/en/feedback/", survey_body, SurveyResponse, 302),
            ("floor", "/floor/", floor_body, None, 200),
        ]
        work = tempfile.mkdtemp(prefix="cp-bench-wrk-")
        rows = []
        for name, path, build, model, answer in forms:
            body, content_type, cookie = build(site.client, path)
            check = site.client.generic("POST", path, body.replace(NUMBER.encode(), b"9999999"),
                                        content_type=content_type)
            if check.status_code != answer:
                sys.exit(f"{name}: a POST answered {check.status_code}, not {answer}:\n{check.content[:2000]}")
            before = model.objects.count() if model else None
            rate, total, p50, p99, non2xx, errors = run(site, work, name.split(",")[0].replace(" ", "-"), path,
                                                        body, content_type, cookie, seconds)
            stored = model.objects.count() - before if model else None
            rows.append((name, path, rate, total, p50, p99, non2xx, stored, errors))
        shutil.rmtree(work, ignore_errors=True)

    floors = [row[2] for row in rows if row[0] == "floor"]
    floor = sum(floors) / len(floors)
    print(f"{site.workers} gunicorn sync workers, {CONNECTIONS} connections, {seconds} s a form; "
          f"floor POST {floors[0]:.0f} then {floors[-1]:.0f} req/s")
    print("| POST | req/s | ÷ floor | p50 | p99 | requests | not 2xx/3xx | rows stored |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, path, rate, total, p50, p99, non2xx, stored, errors in rows:
        note = f" ({errors})" if errors else ""
        print(f"| {name} `{path}` | {rate:.0f} | {rate / floor:.2f} | {p50:.1f} ms | {p99:.1f} ms | {total:,} | "
              f"{non2xx} | {'' if stored is None else f'{stored:,}'}{note} |")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:2]))

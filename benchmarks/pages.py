#!/usr/bin/env python
"""Public pages under load, against the framework's floor, in one run.

Usage: .venv/bin/python benchmarks/pages.py [SECONDS]          (default 8 s a page; `make bench` runs it)

Starts its own PostgreSQL and Redis (the test suite's throwaway servers), migrates, loads the demo data,
collects the static files and serves the production shape: gunicorn with as many sync workers as cores,
``DJANGO_ENV=production`` behind the TLS proxy header, the Redis cache. The server's URLconf is
``benchmarks/floor_urls.py``: the product's URLs plus ``/floor/`` (one indexed query, a few bytes, the same
middleware), which is the yardstick. Each page is loaded with wrk (16 connections), the floor first and
last; it prints requests/s, the ratio to the mean floor, p50/p99 latency, SQL queries, and the bytes of the
HTML, plain and gzipped. The expedite request form is measured twice: the GET and a POST that comes back
with errors (400).
"""

import gzip
import html.parser
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.production import CLIENT, production_site  # noqa: E402

CONNECTIONS = 16
FORM = "/en/appointments/shanghai/request/"
PAGES = [
    ("floor", "GET", "/floor/"),
    ("home", "GET", "/en/"),
    ("home (ja)", "GET", "/ja/"),
    ("contact", "GET", "/en/contact/"),
    ("contact tokyo", "GET", "/en/contact/?post=tokyo"),
    ("feedback", "GET", "/en/feedback/"),
    ("fraud", "GET", "/en/fraud/"),
    ("policy tokyo", "GET", "/en/appointments/tokyo/"),
    ("policy shanghai", "GET", "/en/appointments/shanghai/"),
    ("in-person request form", "GET", "/en/appointments/tokyo/in-person/"),
    ("passport lookup", "GET", "/en/passports/status/?number=TK1234567"),
    ("passport unknown", "GET", "/en/passports/status/?number=ZZ9876543"),
    ("passport statuses", "GET", "/en/passports/statuses/"),
    ("case status", "GET", "/en/cases/status/?number=IOE0912345678"),
    ("case not found", "GET", "/en/cases/status/?number=EAC2100000000"),
    ("case statuses", "GET", "/en/cases/statuses/"),
    ("processing times", "GET", "/en/processing-times/"),
    ("live assistance form", "GET", "/en/assistance/tokyo/"),
    ("processing times, filtered", "GET", "/en/processing-times/?post=tokyo&service=I-130"),
    ("status inquiry check", "GET", "/en/inquiries/"),
    ("status inquiry check, answered", "GET", "/en/inquiries/?post=tokyo&route=interview&route_start=2026-01-05"),
    ("status inquiry form", "GET", "/en/inquiries/ask/?post=tokyo&route=interview&route_start=2026-01-05"),
    ("request first step", "GET", "/en/appointments/shanghai/request/check/"),
    ("request form", "GET", FORM),
    ("request form, errors", "POST", FORM),
    ("floor", "GET", "/floor/"),
]
# The form pages are allowed more (they are the heaviest pages); the others must reach this share of the floor.
TARGET_RATIO = {"request form": 0.3, "request form, errors": 0.3}
TARGET_P99_MS = {"request form": 100, "request form, errors": 100}


class Inputs(html.parser.HTMLParser):
    """Names and values of the hidden inputs of a page (CSRF token, submission key, management form)."""

    def __init__(self):
        super().__init__()
        self.values = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self.values[attrs["name"]] = attrs.get("value") or ""


def form_post(client):
    """The body and cookie of a POST of the request form that has errors (only a name is typed)."""
    response = client.get(FORM)
    parser = Inputs()
    parser.feed(response.content.decode())
    data = {**parser.values, "full_name": "Wang Wei", "request_type": "single"}
    cookie = "; ".join(f"{morsel.key}={morsel.value}" for morsel in client.cookies.values())
    return urllib.parse.urlencode(data), cookie


def page_cost(client, method, path, body):
    """(status, SQL queries, bytes, gzip bytes) of one request made in this process."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def request():
        if method == "POST":
            return client.post(path, body, content_type="application/x-www-form-urlencoded")
        return client.get(path)

    request()  # the first page of a language fills the layout's cache
    with CaptureQueriesContext(connection) as queries:
        response = request()
    content = response.content
    return response.status_code, len(queries), len(content), len(gzip.compress(content, 6))


def lua_script(directory, method, body, cookie, origin):
    if method == "GET":
        return None
    script = Path(directory) / "post.lua"
    script.write_text(
        f"wrk.method = {method!r}\nwrk.body = {body!r}\n"
        f"wrk.headers['Content-Type'] = 'application/x-www-form-urlencoded'\n"
        f"wrk.headers['Cookie'] = {cookie!r}\nwrk.headers['Origin'] = {origin!r}\n"
    )
    return str(script)


def parse_ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(url, seconds, script=None):
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s", "--latency",
               "-H", "X-Forwarded-Proto: https", "-H", f"X-Forwarded-For: {CLIENT}"]
    if script:
        command += ["-s", script]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = parse_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = parse_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    errors = re.search(r"Socket errors: (.*)", output)
    return rate, p50, p99, errors.group(1) if errors else ""


def main(seconds=8):
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: run `make bench`, or apt-get install -y wrk")
    with production_site() as site:
        body, cookie = form_post(site.client)
        work = tempfile.mkdtemp(prefix="cp-bench-wrk-")
        rows = []
        for name, method, path in PAGES:
            status, queries, size, gzipped = page_cost(site.client, method, path, body)
            script = lua_script(work, method, body, cookie, site.origin)
            run_wrk(site.base + path, 1, script)  # warm every worker up
            rate, p50, p99, errors = run_wrk(site.base + path, seconds, script)
            time.sleep(1)  # let the workers finish what wrk left queued
            rows.append((name, method, path, status, rate, p50, p99, queries, size, gzipped, errors))
            print(f"  {name}: {rate:.0f} req/s", file=sys.stderr, flush=True)
        shutil.rmtree(work, ignore_errors=True)
    workers = site.workers

    floors = [row[4] for row in rows if row[0] == "floor"]
    floor = sum(floors) / len(floors)
    print(f"{workers} gunicorn sync workers, {CONNECTIONS} connections, {seconds} s a page; "
          f"floor {floors[0]:.0f} then {floors[-1]:.0f} req/s (spread {abs(floors[0] - floors[-1]) / floor:.0%})")
    print("| page | status | req/s | ÷ floor | p50 | p99 | SQL | HTML bytes (gzip) | target |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, method, path, status, rate, p50, p99, queries, size, gzipped, errors in rows:
        ratio = rate / floor
        if name == "floor":
            verdict = ""
        else:
            ok = ratio >= TARGET_RATIO.get(name, 0.5) and p99 <= TARGET_P99_MS.get(name, 50)
            verdict = "met" if ok else "missed"
        label = f"{method} `{path}`" if method == "POST" else f"`{path}`"
        note = f" ({errors})" if errors else ""
        print(f"| {label} | {status} | {rate:.0f} | {ratio:.2f} | {p50:.1f} ms | {p99:.1f} ms | {queries} | "
              f"{size:,} ({gzipped:,}) | {verdict}{note} |")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:2]))

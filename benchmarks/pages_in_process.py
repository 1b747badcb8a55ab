#!/usr/bin/env python
"""The public pages of ``benchmarks/pages.py`` timed in this one process, each against the floor view.

Usage: .venv/bin/python benchmarks/pages_in_process.py [PAGE-NAME-PART ...]

The same servers, data and production settings as ``pages.py``, but no gunicorn and no wrk: Django's test
client calls each page (through all the middleware) and the floor, 100 times each (30 for the forms), and
prints the median time and the ratio floor ÷ page. Quicker and less disturbed by a busy machine than wrk, so
it is the one to iterate with; the HTTP server's own cost per request, which wrk includes, is not in it, so
its ratios are lower than wrk's for the same page.
"""

import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import pages  # noqa: E402

from benchmarks.production import server_env  # noqa: E402
from tests.services import PostgreSQL, Redis  # noqa: E402


def median_ms(request, runs):
    request()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = request()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000, response.status_code


def main(selected):
    postgres, redis = PostgreSQL().start(), Redis().start()
    try:
        postgres.create_database("bench")
        env = server_env(postgres, redis, Path(tempfile.mkdtemp(prefix="cp-bench-static-")))
        python = str(ROOT / ".venv" / "bin" / "python")
        development = {**env, "DJANGO_ENV": "development"}  # the demo data refuses a production database
        for command, command_env in ((["migrate", "--noinput", "-v0"], env), (["load_demo"], development),
                                     (["collectstatic", "--noinput", "-v0"], env)):
            subprocess.run([python, "manage.py", *command], cwd=ROOT, env=command_env, check=True,
                           stdout=subprocess.DEVNULL)
        os.environ.update({k: v for k, v in env.items() if k != "PATH"})
        import logging

        import consular_portal.wsgi  # noqa: F401 - starts Django as the web process does (gc.freeze included)

        logging.disable(logging.WARNING)  # a 400 page logs a warning per request
        from django.test import Client

        client = Client(headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": pages.CLIENT},
                        HTTP_HOST="127.0.0.1")
        body, _cookie = pages.form_post(client)
        gc.collect()

        def call(method, path):
            if method == "POST":
                return lambda: client.post(path, body, content_type="application/x-www-form-urlencoded")
            return lambda: client.get(path)

        floor, _status = median_ms(call("GET", "/floor/"), 300)
        print("| page | status | ms | floor ÷ page |\n| --- | --- | --- | --- |")
        print(f"| `/floor/` | 200 | {floor:.2f} | 1.00 |")
        for name, method, path in pages.PAGES:
            if name == "floor" or (selected and not any(part in name for part in selected)):
                continue
            ms, status = median_ms(call(method, path), 30 if "form" in name else 100)
            print(f"| {'POST ' if method == 'POST' else ''}`{path}` | {status} | {ms:.2f} | {floor / ms:.2f} |",
                  flush=True)
    finally:
        redis.stop()
        postgres.stop()


if __name__ == "__main__":
    main(sys.argv[1:])

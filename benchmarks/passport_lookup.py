#!/usr/bin/env python
"""The passport status lookup at scale: 10 k, 1 M and 10 M tracked passports, against the floor, and the
time a known and an unknown number take (is there an index-hit timing oracle?).

Usage: .venv/bin/python benchmarks/passport_lookup.py [SECONDS] [SIZES]   (default 8 s a page, 10000,1000000,10000000;
       SAMPLES=2000 interleaved samples per number for the timing comparison, made at 1 M rows or the largest
       size below it)

Served as ``benchmarks/pages.py`` serves the pages (the test suite's PostgreSQL and Redis, gunicorn in the
production shape, URLconf ``benchmarks/floor_urls.py``; the lookup limit raised, since wrk is one client).
The table grows from one size to the next by COPY (then ANALYZE), so 10 M rows are written once. At each
size wrk loads ``/en/passports/status/?number=…`` for a known number and an unknown one (16 connections),
the floor first and last; SQL queries are counted in this process and the lookup's query plan is printed.
The timing comparison alternates known and unknown requests, one at a time (no queueing), in this process
(Django's test client: the view, its one query and the template) and over HTTP (one keep-alive connection
to gunicorn), and reports each median, their difference with a bootstrap 95 % interval, and the same for
two halves of the known number's own samples (the noise of the measurement itself).
"""

import http.client
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.pages import page_cost, run_wrk  # noqa: E402
from benchmarks.production import CLIENT, production_site  # noqa: E402

SIZES = [10_000, 1_000_000, 10_000_000]
STATUSES = ["at_post", "processing", "out_for_delivery", "delivered", "no_update", "returned"]
UNKNOWN = "ZZ99999999"  # a passport number of the right form that no row holds
COPY_BATCH = 500_000


def key(i):
    return f"P{i:09d}"


def known_index(size):
    """A row in the middle of the table whose status is ``processing``."""
    i = size // 2
    return i - i % len(STATUSES) + 1


def seed(connection, posts, start, stop):
    """COPY rows ``start``…``stop`` - 1 into the tracking table, then ANALYZE it."""
    with connection.cursor() as cursor:
        for low in range(start, stop, COPY_BATCH):
            buffer = io.StringIO()
            for i in range(low, min(stop, low + COPY_BATCH)):
                status = STATUSES[i % len(STATUSES)]
                letter_pack = f"{i:012d}" if status in ("out_for_delivery", "delivered") else ""
                day, hour, minute = 1 + i % 28, i % 24, i % 60
                buffer.write(f"{posts[i % len(posts)]}\t{key(i)}\t\t{status}\t2026-11-{day:02d} {hour:02d}:{minute:02d}"
                             f"+09\tletter_pack\t{letter_pack}\tB{i:010d}\t2026-11-01 00:00+09\t2026-11-01 00:00+09\n")
            buffer.seek(0)
            cursor.cursor.copy_expert(
                "COPY passports_passporttracking (post_id, key, \"case\", status, status_changed_at, delivery, "
                "letter_pack_number, reference, created_at, updated_at) FROM STDIN", buffer)
            print(f"    {min(stop, low + COPY_BATCH):,} rows", file=sys.stderr, flush=True)
        cursor.execute("ANALYZE passports_passporttracking")


def plan(connection, number):
    """The line of the lookup query's plan that names the index it uses."""
    from passports.models import PassportTracking

    queryset = PassportTracking.objects.filter(key=number).select_related("post").order_by("-status_changed_at", "-pk")
    sql, params = queryset[:1].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        lines = [row[0] for row in cursor.fetchall()]
    return next((line.strip() for line in lines if "Index" in line), lines[0].strip())


def table_sizes(connection):
    """Bytes on disk of the tracking table (with its TOAST) and of its indexes, for the capacity plan."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_table_size('passports_passporttracking'), "
                       "pg_indexes_size('passports_passporttracking')")
        return cursor.fetchone()


def bootstrap_difference(a, b, rounds=2000, seed_value=1):
    """median(a) - median(b) and a 95 % bootstrap interval of it."""
    rng = random.Random(seed_value)
    differences = sorted(
        statistics.median(rng.choices(a, k=len(a))) - statistics.median(rng.choices(b, k=len(b)))
        for _ in range(rounds))
    low, high = differences[int(rounds * 0.025)], differences[int(rounds * 0.975)]
    return statistics.median(a) - statistics.median(b), low, high


def interleaved(fetch, known, samples):
    """Alternate known and unknown requests (which goes first in a pair is random); µs of each."""
    rng = random.Random(7)
    times = {known: [], UNKNOWN: []}
    for number in (known, UNKNOWN) * 50:  # warm up
        fetch(number)
    for _ in range(samples):
        pair = [known, UNKNOWN]
        rng.shuffle(pair)
        for number in pair:
            started = time.perf_counter_ns()
            fetch(number)
            times[number].append((time.perf_counter_ns() - started) / 1000)
    return times[known], times[UNKNOWN]


def timing(client, port, known, samples):
    def in_process(number):
        response = client.get(f"/en/passports/status/?number={number}")
        assert response.status_code == 200, response.status_code

    connection = http.client.HTTPConnection("127.0.0.1", port)
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": CLIENT, "Host": "127.0.0.1"}

    def over_http(number):
        connection.request("GET", f"/en/passports/status/?number={number}", headers=headers)
        response = connection.getresponse()
        response.read()
        assert response.status == 200, response.status

    results = []
    for name, fetch in (("in process (test client)", in_process), ("over HTTP (gunicorn, one connection)", over_http)):
        known_times, unknown_times = interleaved(fetch, known, samples)
        difference, low, high = bootstrap_difference(known_times, unknown_times)
        noise, noise_low, noise_high = bootstrap_difference(known_times[0::2], known_times[1::2])
        results.append((name, statistics.median(known_times), statistics.median(unknown_times), difference, low,
                        high, noise, noise_low, noise_high))
        print(f"  timing {name}: done", file=sys.stderr, flush=True)
    connection.close()
    return results


def main(seconds=8, sizes=None):
    sizes = sizes or SIZES
    samples = int(os.environ.get("SAMPLES", "2000"))
    with production_site(demo=False) as site:
        from django.db import connection

        from consular_portal.models import Post

        client, port, base, workers = site.client, site.port, site.base, site.workers
        posts = list(Post.objects.order_by("pk").values_list("pk", flat=True))

        def measure(name, path):
            status, queries, size, _gzipped = page_cost(client, "GET", path, None)
            run_wrk(base + path, 1)  # warm every worker up
            rate, p50, p99, errors = run_wrk(base + path, seconds)
            time.sleep(1)
            print(f"  {name}: {rate:.0f} req/s", file=sys.stderr, flush=True)
            return name, path, status, rate, p50, p99, queries, size, errors

        floors, rows, plans, timings = [measure("floor", "/floor/")], [], [], None
        seeded = 0
        timing_size = max((size for size in sizes if size <= 1_000_000), default=sizes[0])
        for size in sizes:
            started = time.perf_counter()
            seed(connection, posts, seeded, size)
            seeded = size
            print(f"  {size:,} rows seeded in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
            known = key(known_index(size))
            plans.append((size, plan(connection, known), plan(connection, UNKNOWN), table_sizes(connection)))
            for label, number in (("known", known), ("unknown", UNKNOWN)):
                rows.append((size, *measure(f"{label} number", f"/en/passports/status/?number={number}")))
            if size == timing_size:
                timings = (size, timing(client, port, known, samples))
        floors.append(measure("floor", "/floor/"))

    floor = sum(row[3] for row in floors) / len(floors)
    print(f"{workers} gunicorn sync workers, 16 connections, {seconds} s a page; floor {floors[0][3]:.0f} then "
          f"{floors[-1][3]:.0f} req/s (p99 {floors[0][5]:.1f} / {floors[-1][5]:.1f} ms)")
    print("| tracked passports | number | status | req/s | ÷ floor | p50 | p99 | SQL | HTML bytes |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for size, name, _path, status, rate, p50, p99, queries, html_bytes, errors in rows:
        note = f" ({errors})" if errors else ""
        print(f"| {size:,} | {name} | {status} | {rate:.0f} | {rate / floor:.2f} | {p50:.1f} ms | {p99:.1f} ms | "
              f"{queries} | {html_bytes:,}{note} |")
    print()
    for size, known_plan, unknown_plan, (table, indexes) in plans:
        print(f"plan at {size:,}: known: {known_plan}; unknown: {unknown_plan}")
        print(f"disk at {size:,}: table {table / 2**20:,.0f} MiB, indexes {indexes / 2**20:,.0f} MiB "
              f"({(table + indexes) / size:.0f} bytes a passport)")
    if timings:
        size, results = timings
        print()
        print(f"Known vs unknown number at {size:,} rows, {samples} interleaved samples each (µs):")
        print("| measured | known (median) | unknown (median) | known − unknown [95 % CI] "
              "| noise: known − known [95 % CI] |")
        print("| --- | --- | --- | --- | --- |")
        for name, known_median, unknown_median, difference, low, high, noise, noise_low, noise_high in results:
            print(f"| {name} | {known_median:.0f} | {unknown_median:.0f} | "
                  f"{difference:+.0f} [{low:+.0f}, {high:+.0f}] | {noise:+.0f} [{noise_low:+.0f}, {noise_high:+.0f}] |")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    main(int(arguments[0]) if arguments else 8,
         [int(size) for size in arguments[1].split(",")] if len(arguments) > 1 else None)

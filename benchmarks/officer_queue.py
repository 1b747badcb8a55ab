#!/usr/bin/env python
"""The officer's queue in the admin at scale: the same pages with a small and a large table, in one run.

Usage: .venv/bin/python benchmarks/officer_queue.py [SMALL] [LARGE]     (defaults 2000 and 200000 requests)
Starts its own PostgreSQL. For each size it times (median of 7) and counts the SQL queries of the pages an
officer of Shanghai uses: the default queue, a category filter, a search by passport number, by reference
and by name, and a request's change page. The ratio large/small says whether a page grows with the table.
"""

import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consular_portal.settings")

from tests.services import PostgreSQL  # noqa: E402


def fill(count, start):
    """Add ``count`` requests (about 1 in 10 still open) spread over Shanghai and the Japan posts."""
    import datetime as dt
    import random

    from appointments.models import ExpediteCategory, ExpediteRequest
    from consular_portal.models import Post

    rng = random.Random(start)
    posts = list(Post.objects.filter(slug__in=["shanghai", "tokyo", "osaka-kobe"]))
    categories = {post.pk: list(ExpediteCategory.objects.filter(policy__post=post)) for post in posts}
    today = dt.date(2026, 11, 23)
    batch = []
    for i in range(start, start + count):
        post = posts[i % len(posts)]
        status = "submitted" if rng.random() < 0.07 else "under_review" if rng.random() < 0.04 else (
            rng.choice(["approved", "refused", "withdrawn"]))
        batch.append(ExpediteRequest(
            reference=f"EXP-{i:08d}", post=post, category=rng.choice(categories[post.pk]), status=status,
            submission_key=uuid.uuid4(), full_name=f"{rng.choice(['Wang', 'Li', 'Sato', 'Suzuki'])} Given{i:07d}",
            date_of_birth=dt.date(1990, 1, 1), passport_number=f"E{i:08d}", visa_class="B1/B2",
            appointment_number=f"A{i}", ds160_number=f"AA{i:08d}"[:10], justification="Urgent business trip.",
            phone="+8613800000000", email=f"a{i}@example.com",
            travel_date=today + dt.timedelta(days=rng.randint(1, 90)),
            promised_by=today + dt.timedelta(days=rng.randint(-5, 2)),
        ))
        if len(batch) == 5000:
            ExpediteRequest.objects.bulk_create(batch)
            batch = []
    ExpediteRequest.objects.bulk_create(batch)


def measure(client, pages):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results = {}
    for name, url in pages.items():
        client.get(url)  # warm up
        times = []
        for _ in range(7):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
        results[name] = (statistics.median(times) * 1000, len(queries))
        if os.environ.get("SHOW_SLOWEST"):
            slowest = max(queries.captured_queries, key=lambda q: float(q["time"]))
            print(f"  {name}: slowest query {float(slowest['time']) * 1000:.1f} ms: {slowest['sql'][:400]}")
    return results


def main(small=2000, large=200000):
    postgres = PostgreSQL().start()
    try:
        postgres.create_database("bench")
        os.environ["DATABASE_URL"] = postgres.url("bench")
        import django

        django.setup()
        from django.conf import settings
        from django.contrib.auth.models import Group, User
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from appointments.models import ExpediteCategory, ExpediteRequest
        from consular_portal.groups import OFFICERS
        from consular_portal.models import Post

        settings.ALLOWED_HOSTS = ["testserver"]
        call_command("migrate", verbosity=0)
        shanghai = Post.objects.get(slug="shanghai")
        officer = User.objects.create_user("bench-officer", is_staff=True)
        officer.groups.add(Group.objects.get(name=OFFICERS))
        shanghai.staff.add(officer)
        client = Client()
        client.force_login(officer)

        fill(small, 0)
        sample = ExpediteRequest.objects.filter(post=shanghai).order_by("pk")[small // 6]
        category = ExpediteCategory.objects.filter(policy__post=shanghai).first()
        admin = f"/{settings.ADMIN_URL}appointments/expediterequest/"
        pages = {
            "queue (open, most urgent first)": admin,
            "filter: category": f"{admin}?category={category.pk}",
            "search: passport number": f"{admin}?q={sample.passport_number}",
            "search: reference": f"{admin}?q={sample.reference}",
            "search: name": f"{admin}?q={sample.full_name.replace(' ', '+')}",
            "request change page": f"{admin}{sample.pk}/change/",
        }
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        before = measure(client, pages)
        fill(large - small, small)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        after = measure(client, pages)
    finally:
        postgres.stop()

    print(f"{'page':<34}{small:>9} rows{large:>11} rows   ratio   queries")
    for name in pages:
        (t1, q1), (t2, q2) = before[name], after[name]
        print(f"{name:<34}{t1:>9.1f} ms{t2:>11.1f} ms{t2 / t1:>8.2f}   {q1} → {q2}")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))

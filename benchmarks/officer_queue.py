#!/usr/bin/env python
"""The officers' admin at scale: the same pages with small and large tables, in one run.

Usage: .venv/bin/python benchmarks/officer_queue.py [SMALL] [LARGE]     (defaults 2000 and 1000000 rows a table)
       SHOW_SLOWEST=1 also prints each page's slowest query and its plan (EXPLAIN ANALYZE).
Starts its own PostgreSQL. Expedite requests, status inquiries and tracked passports each grow from SMALL to
LARGE rows (spread over Shanghai and the Japan posts, received over five years, about 1 in 10 requests still
open). For each size it times (median of 7) and counts the SQL queries of the pages staff use: an officer of
Shanghai's expedite queue, its filter, searches and a change page, the status-inquiry queue, a filter and
searches, and the dashboard (the admin's landing page); passport staff of Tokyo's passport list, status filter,
search by passport number and their dashboard. The ratio large/small says whether a page grows with the table.
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

TEMPLATES = 300  # rows made through the ORM; the rest are copies of them made by the database
BATCH = 250_000
POSTS = ["shanghai", "tokyo", "osaka-kobe"]

# A row's receipt: open work within the last month, the rest spread over five years (so the dashboard's
# thirteen weeks hold about 5 % of the table), at a time of day that depends on the row.
RECEIVED = ("now() - CASE WHEN src.status IN ({open}) THEN (n % 30) ELSE (n::bigint * 7919) % 1825 END "
            "* interval '1 day' - (n % 86400) * interval '1 second'")
DECIDED = "CASE WHEN src.status IN ({decided}) THEN {received} + (1 + n % 6) * interval '1 day' END"


def _sql_list(values):
    return ", ".join(f"'{value}'" for value in values)


def grow(model, stop, overrides):
    """Copy the model's first TEMPLATES rows until the table holds ``stop`` rows: one INSERT … SELECT over
    generate_series a batch, each copy numbered ``n`` (its unique columns and dates made from ``n``)."""
    from django.db import connection

    table = model._meta.db_table
    columns = [field.column for field in model._meta.concrete_fields if not field.primary_key]
    values = ", ".join(overrides.get(column, f'src."{column}"') for column in columns)
    names = ", ".join(f'"{column}"' for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        start = cursor.fetchone()[0]
        for low in range(start, stop, BATCH):
            high = min(stop, low + BATCH)
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT {values} FROM generate_series({low}, {high - 1}) AS n JOIN "
                f"(SELECT *, row_number() OVER (ORDER BY id) - 1 AS _rn FROM {table} ORDER BY id LIMIT {TEMPLATES}) "
                f"src ON src._rn = n % {TEMPLATES}")  # no parameters: the SQL's own % are operators
            print(f"    {table}: {high:,} rows", file=sys.stderr, flush=True)
        cursor.execute(f"VACUUM ANALYZE {table}")  # as autovacuum leaves a loaded table: index-only scans work


def requests_template():
    """TEMPLATES expedite requests of every status over the three posts, through the ORM."""
    import datetime as dt
    import random

    from appointments.models import ExpediteCategory, ExpediteRequest
    from consular_portal.models import Post

    rng = random.Random(1)
    posts = list(Post.objects.filter(slug__in=POSTS))
    categories = {post.pk: list(ExpediteCategory.objects.filter(policy__post=post)) for post in posts}
    today = dt.date.today()
    rows = []
    for i in range(TEMPLATES):
        post = posts[i % len(posts)]
        status = "submitted" if rng.random() < 0.07 else "under_review" if rng.random() < 0.04 else (
            rng.choice(["approved", "refused", "withdrawn"]))
        rows.append(ExpediteRequest(
            reference=f"EXP-{i:08d}", post=post, category=rng.choice(categories[post.pk]), status=status,
            submission_key=uuid.uuid4(), full_name=f"{rng.choice(['Wang', 'Li', 'Sato', 'Suzuki'])} Given{i:07d}",
            date_of_birth=dt.date(1990, 1, 1), passport_number=f"E{i:08d}", visa_class="B1/B2",
            appointment_number=f"A{i}", ds160_number=f"AA{i:08d}"[:10], justification="Urgent business trip.",
            phone="+8613800000000", email=f"a{i}@example.com",
            travel_date=today + dt.timedelta(days=rng.randint(1, 90)),
            promised_by=today + dt.timedelta(days=rng.randint(-5, 2)),
        ))
    ExpediteRequest.objects.bulk_create(rows)


def inquiries_template():
    import datetime as dt
    import random

    from consular_portal.models import Post
    from inquiries.models import Inquiry

    rng = random.Random(2)
    posts = list(Post.objects.filter(slug__in=POSTS))
    today = dt.date.today()
    rows = []
    for i in range(TEMPLATES):
        status = "open" if rng.random() < 0.1 else "ineligible" if rng.random() < 0.1 else "answered"
        rows.append(Inquiry(
            reference=f"INQ-{i:08d}", post=posts[i % len(posts)], promised_by=today + dt.timedelta(days=i % 7 - 3),
            full_name="Sato Given", date_of_birth="1990-01-01", email=f"q{i}@example.com",
            passport_number=f"TK{i:07d}", visa_category=rng.choice(["nonimmigrant", "immigrant"]),
            case_number=f"AA{i:08d}", route=rng.choice(["interview", "interview_waiver"]),
            route_start="2026-04-01", eligible_from="2026-04-15", question="Where is my passport?", status=status))
    Inquiry.objects.bulk_create(rows)


def passports_template():
    import random

    from consular_portal.models import Post
    from passports.models import PassportTracking

    rng = random.Random(3)
    posts = list(Post.objects.filter(slug__in=POSTS))
    statuses = ["delivered"] * 17 + ["at_post", "processing", "out_for_delivery"]  # most have come home
    PassportTracking.objects.bulk_create([
        PassportTracking(post=posts[i % len(posts)], key=f"P{i:09d}", status=rng.choice(statuses),
                         reference=f"R{i:012d}", letter_pack_number=f"{i:012d}")
        for i in range(TEMPLATES)])


def fill(size):
    """Grow the three tables to ``size`` rows each."""
    from appointments.models import ExpediteRequest
    from inquiries.models import Inquiry
    from passports.models import PassportTracking

    received = RECEIVED.format(open=_sql_list(ExpediteRequest.open_statuses()))
    grow(ExpediteRequest, size, {
        "reference": "'EXP-' || lpad(n::text, 8, '0')", "submission_key": "gen_random_uuid()",
        "passport_number": "'E' || lpad(n::text, 8, '0')", "email": "'a' || n || '@example.com'",
        "full_name": "split_part(src.full_name, ' ', 1) || ' Given' || lpad(n::text, 7, '0')",
        "created_at": received, "updated_at": "now()",
        "decided_at": DECIDED.format(decided=_sql_list(["approved", "refused"]), received=received),
    })
    received = RECEIVED.format(open=_sql_list(Inquiry.open_statuses()))
    grow(Inquiry, size, {
        "reference": "'INQ-' || lpad(n::text, 8, '0')", "case_number": "'AA' || lpad(n::text, 8, '0')",
        "email": "'q' || n || '@example.com'", "created_at": received, "updated_at": "now()",
        "decided_at": DECIDED.format(decided=_sql_list(["answered"]), received=received),
    })
    received = RECEIVED.format(open=_sql_list(["at_post", "processing", "out_for_delivery"]))
    grow(PassportTracking, size, {
        "key": "'P' || lpad(n::text, 9, '0')", "reference": "'R' || lpad(n::text, 12, '0')",
        "letter_pack_number": "lpad(n::text, 12, '0')", "created_at": received, "updated_at": "now()",
        "status_changed_at": received,
    })


def explain(sql):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ANALYZE {sql}")
        return "\n".join(f"      {row[0]}" for row in cursor.fetchall())


def measure(pages):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results = {}
    for name, (client, url) in pages.items():
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
            print(f"  {name}: slowest query {float(slowest['time']) * 1000:.1f} ms: {slowest['sql'][:600]}")
            if slowest["sql"].lstrip().upper().startswith("SELECT"):
                print(explain(slowest["sql"]))
    return results


def staff(username, group, post):
    from django.contrib.auth.models import Group, User
    from django.test import Client

    user = User.objects.create_user(username, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    post.staff.add(user)
    client = Client()
    client.force_login(user)
    return client


def pages_to_measure(small):
    from django.conf import settings

    from appointments.models import ExpediteCategory, ExpediteRequest
    from consular_portal.groups import OFFICERS, PASSPORT_STAFF
    from consular_portal.models import Post
    from inquiries.models import Inquiry
    from passports.models import PassportTracking

    shanghai, tokyo = Post.objects.get(slug="shanghai"), Post.objects.get(slug="tokyo")
    officer = staff("bench-officer", OFFICERS, shanghai)
    passport_staff = staff("bench-passports", PASSPORT_STAFF, tokyo)
    sample = ExpediteRequest.objects.filter(post=shanghai).order_by("pk")[small // 6]
    question = Inquiry.objects.filter(post=shanghai, status="open").order_by("pk").first()
    passport = PassportTracking.objects.filter(post=tokyo).order_by("pk")[small // 6]
    category = ExpediteCategory.objects.filter(policy__post=shanghai).first()
    admin = f"/{settings.ADMIN_URL}"
    requests, inquiries = f"{admin}appointments/expediterequest/", f"{admin}inquiries/inquiry/"
    passports = f"{admin}passports/passporttracking/"
    return {
        "requests: queue (open, most urgent)": (officer, requests),
        "requests: filter category": (officer, f"{requests}?category={category.pk}"),
        "requests: search passport number": (officer, f"{requests}?q={sample.passport_number}"),
        "requests: search reference": (officer, f"{requests}?q={sample.reference}"),
        "requests: search name": (officer, f"{requests}?q={sample.full_name.replace(' ', '+')}"),
        "requests: change page": (officer, f"{requests}{sample.pk}/change/"),
        "inquiries: queue (open, oldest)": (officer, inquiries),
        "inquiries: filter visa category": (officer, f"{inquiries}?visa_category=immigrant"),
        "inquiries: filter all, route": (officer, f"{inquiries}?queue=all&route=interview"),
        "inquiries: search case number": (officer, f"{inquiries}?q={question.case_number}"),
        "inquiries: search email": (officer, f"{inquiries}?q={question.email}"),
        "passports: list (latest change)": (passport_staff, passports),
        "passports: filter status": (passport_staff, f"{passports}?status=at_post"),
        "passports: search passport number": (passport_staff, f"{passports}?q={passport.key}"),
        "dashboard: officer": (officer, admin),
        "dashboard: passport staff": (passport_staff, admin),
    }


def main(small=2000, large=1_000_000):
    postgres = PostgreSQL().start()
    try:
        postgres.create_database("bench")
        os.environ["DATABASE_URL"] = postgres.url("bench")
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        settings.ALLOWED_HOSTS = ["testserver"]
        call_command("migrate", verbosity=0)
        requests_template()
        inquiries_template()
        passports_template()
        fill(small)
        pages = pages_to_measure(small)
        before = measure(pages)
        fill(large)
        after = measure(pages)
    finally:
        postgres.stop()

    print(f"{'page':<38}{small:>9} rows{large:>11} rows   ratio   queries")
    for name in pages:
        (t1, q1), (t2, q2) = before[name], after[name]
        print(f"{name:<38}{t1:>9.1f} ms{t2:>11.1f} ms{t2 / t1:>8.2f}   {q1} → {q2}")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))

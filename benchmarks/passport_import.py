#!/usr/bin/env python
"""Passport status import: N rows of the delivery service's CSV read, checked and applied by ``run_import``
(what the worker runs), on PostgreSQL. The same file is imported twice: the first run creates every
passport, the second finds every row unchanged; then a file moves every passport one step on (each a legal
transition), and a last one moves each back a step, which the transition table refuses for half of them.

Usage: .venv/bin/python benchmarks/passport_import.py [N]   (N = 100000 by default)
Starts its own PostgreSQL (the test suite's server), migrates a throwaway database and prints rows/s.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consular_portal.settings")

from tests.services import PostgreSQL  # noqa: E402

# A cycle of legal transitions: each status may follow the one before it (statuses.TRANSITIONS).
STATUSES = ["processing", "out_for_delivery", "delivered", "returned"]


def csv_bytes(count, shift=0):
    lines = ["passport_number,post,status,letter_pack_number,date"]
    for i in range(count):
        status = STATUSES[(i + shift) % len(STATUSES)]
        letter_pack = f"{i:012d}" if status in ("out_for_delivery", "delivered") else ""
        lines.append(f"TK{i:08d},tokyo,{status},{letter_pack},2026-11-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}")
    return ("\n".join(lines) + "\n").encode()


def main(count=100_000):
    postgres = PostgreSQL().start()
    media = tempfile.TemporaryDirectory()
    try:
        postgres.create_database("bench_import")
        os.environ.update({"DATABASE_URL": postgres.url("bench_import"), "MEDIA_ROOT": media.name})
        import django

        django.setup()
        from django.core.files.base import ContentFile
        from django.core.management import call_command

        from consular_portal.models import Post
        from consular_portal.tracking.imports import import_apply, run_import
        from passports.models import PassportImport, PassportTracking, TrackingEvent

        call_command("migrate", verbosity=0)
        tokyo = Post.objects.get(slug="tokyo")
        runs = [("first import (all created)", csv_bytes(count)), ("same file again", csv_bytes(count)),
                ("every status changed", csv_bytes(count, shift=1)),
                ("a step back (half refused)", csv_bytes(count, shift=0))]
        print(f"rows per file                 {count}")
        for title, data in runs:
            job = PassportImport.objects.create(post=tokyo, file=ContentFile(data, name="bench.csv"))
            started = time.perf_counter()
            run_import("passports.PassportImport", job.pk)  # the check and its preview
            import_apply(job=job, user=None)
            status = run_import("passports.PassportImport", job.pk)
            elapsed = time.perf_counter() - started
            job.refresh_from_db()
            print(f"{title:<29} {elapsed:6.2f} s  {count / elapsed:9.0f} rows/s  {status}: created {job.created}, "
                  f"updated {job.updated}, unchanged {job.unchanged}, rejected {job.rejected} {job.error}")
        print(f"passports / events            {PassportTracking.objects.count()} / {TrackingEvent.objects.count()}")
    finally:
        postgres.stop()
        media.cleanup()


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:2]))

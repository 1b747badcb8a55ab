#!/usr/bin/env python
"""Passport status by email, end to end: a message sent over SMTP to ``manage.py receive_mail``, answered by
the Celery worker, the reply delivered through the outbox to the SMTP peer. Latency from the start of the
incoming SMTP conversation to the reply's arrival at the peer, p50/p95/max.

Usage: .venv/bin/python benchmarks/autoreply_latency.py [N] [RATE]      (default 200 messages, 10 a second)
Starts its own PostgreSQL, Redis, SMTP peer, worker (the test suite's, concurrency 2) and receive_mail. The
messages are sent at a steady RATE from one client (open loop: a slow reply does not slow the next message),
each from its own sender (the per-sender limit is 3 an hour), half with a tracked passport number (status
reply), half with words (instructions).
"""

import logging
import os
import smtplib
import statistics
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consular_portal.settings")

from tests.services import CeleryWorker, PostgreSQL, Redis, SMTPPeer, free_port, wait_for_port  # noqa: E402


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, round(fraction * (len(values) - 1)))]


def main(count=200, rate=10.0):
    postgres, redis, smtp = PostgreSQL().start(), Redis().start(), SMTPPeer().start()
    postgres.create_database("bench")
    env = {**os.environ, "DATABASE_URL": postgres.url("bench"), "REDIS_URL": redis.url, "EMAIL_URL": smtp.url,
           "CONN_MAX_AGE": "600", "PYTHONUNBUFFERED": "1"}
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL")})
    import django

    django.setup()
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    from consular_portal.celery import app
    from passports.models import PassportTracking
    from passports.statuses import Status
    from tests.factories import seeded_posts

    call_command("migrate", verbosity=0)
    PassportTracking.objects.create(
        post=seeded_posts()["tokyo"], key="TK1234567", status=Status.OUT_FOR_DELIVERY,
        letter_pack_number="123456789012", status_changed_at=timezone.now(),
    )
    worker = CeleryWorker(env, name="autoreply-worker").start(app)
    port = free_port()
    receiver = subprocess.Popen([sys.executable, "manage.py", "receive_mail", "--port", str(port)], cwd=ROOT,
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = {}
    try:
        wait_for_port(port, process=receiver)
        first = time.monotonic()
        for i in range(count):
            time.sleep(max(0.0, first + i / rate - time.monotonic()))
            sender = f"sender{i}@example.com"
            mail = EmailMessage()
            mail["From"], mail["To"] = sender, settings.STATUS_MAIL_ADDRESS
            mail["Subject"] = "TK 123 4567" if i % 2 == 0 else "Where is my passport?"
            mail["Message-ID"] = f"<bench{i}@mail.example.com>"
            mail.set_content("Thank you\n")
            started[sender] = time.monotonic()
            with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
                client.send_message(mail)
        smtp.wait_for(count, timeout=300)
        time.sleep(1)
        with smtp.handler.condition:
            arrived = list(smtp.handler.arrived)
            replies = [(str(m["To"]), m["Subject"]) for m in smtp.handler.messages]
    finally:
        receiver.terminate()
        receiver.wait(timeout=10)
        worker.stop()
        smtp.stop()
        redis.stop()
        postgres.stop()

    latencies = [arrived_at - started[to] for (to, _subject), arrived_at in zip(replies, arrived, strict=True)]
    assert sorted(to for to, _ in replies) == sorted(started), "every message answered exactly once"
    ms = [value * 1000 for value in latencies]
    print(f"messages in / replies at the peer   {count} / {len(replies)} ({rate:g} a second)")
    print(f"latency p50                         {statistics.median(ms):7.0f} ms")
    print(f"latency p95                         {percentile(ms, 0.95):7.0f} ms   (target < 1000 ms)")
    print(f"latency max                         {max(ms):7.0f} ms")


if __name__ == "__main__":
    args = sys.argv[1:3]
    main(int(args[0]) if args else 200, float(args[1]) if len(args) > 1 else 10.0)

#!/usr/bin/env python
"""Outbox throughput: N emails queued through the outbox and delivered by one Celery worker process, against
sending the same N messages straight over SMTP from one process, in the same run.

Usage: .venv/bin/python benchmarks/outbox_throughput.py [N]        (default 5000)
Starts its own PostgreSQL, Redis, SMTP peer (aiosmtpd) and worker (the test suite's servers) and prints the
figures. Baselines: direct sends opening a connection per message (what the outbox did before it kept its
connection) and direct sends over one connection (the best one process can do). The outbox run queues
every row first (a transaction each, as requests do) while the worker consumes only its other queue, then
tells the worker to consume the mail queue and times until every row is marked sent. The worker's tasks
take the due rows in batches (consular_portal.outbox.deliver_due), so most of its 5000 tasks find their row
sent and do nothing.
"""

import logging
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consular_portal.settings")

from tests.services import CeleryWorker, PostgreSQL, Redis, SMTPPeer  # noqa: E402


def direct(count, smtp, one_connection):
    from django.core.mail import EmailMultiAlternatives, mailers

    from consular_portal import outbox

    subject, text, html = outbox.render_email("test_message", {}, "ja")
    mailer = mailers.default
    started = time.perf_counter()
    for i in range(count):
        message = EmailMultiAlternatives(subject, text, to=[f"direct{i}@example.com"])
        message.attach_alternative(html, "text/html")
        if one_connection:
            mailer.send_messages([message])  # the kept connection of consular_portal.mail_backends
        else:
            mailer.open()
            mailer.send_messages([message])
            mailer.close()
    elapsed = time.perf_counter() - started
    smtp.wait_for(count, timeout=300)
    connections = smtp.connections
    mailer.close()
    smtp.clear()
    return elapsed, connections


def main(count=5000):
    postgres, redis, smtp = PostgreSQL().start(), Redis().start(), SMTPPeer().start()
    postgres.create_database("bench")
    env = {**os.environ, "DATABASE_URL": postgres.url("bench"), "REDIS_URL": redis.url, "EMAIL_URL": smtp.url,
           "CONN_MAX_AGE": "600",
           # A mail worker's tuning (docs/operations.md): take a few tasks ahead instead of one fetch per email.
           "CELERY_WORKER_PREFETCH_MULTIPLIER": os.environ.get("CELERY_WORKER_PREFETCH_MULTIPLIER", "8")}
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL")})
    import django

    django.setup()
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command of the peer
    from django.core.management import call_command
    from django.db import transaction

    from consular_portal import outbox
    from consular_portal.celery import app
    from consular_portal.models import OutboundEmail

    call_command("migrate", verbosity=0)
    worker = CeleryWorker(env, concurrency=1, name="bench-worker", queues="default").start(app)
    try:
        per_message, per_message_connections = direct(count, smtp, one_connection=False)
        kept, kept_connections = direct(count, smtp, one_connection=True)

        started = time.perf_counter()
        for i in range(count):
            with transaction.atomic():
                outbox.queue_email(to=f"outbox{i}@example.com", template="test_message", context={}, language="ja")
        queued = time.perf_counter() - started

        started = time.perf_counter()
        app.control.add_consumer("mail", destination=[worker.name], reply=True, limit=1, timeout=5)
        # Done when every row is marked sent (a row is marked once the SMTP peer has accepted its message). The
        # peer's messages are parsed only after the clock stops, as for the direct sends: parsing thousands of
        # messages in this process is the test peer's cost, not the outbox's.
        deadline = time.monotonic() + 600
        while (sent := OutboundEmail.objects.filter(status="sent").count()) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        delivered = time.perf_counter() - started
        smtp.wait_for(count, timeout=60)
        time.sleep(1)  # anything sent twice would arrive now
        received, connections = len(smtp.messages), smtp.connections
        ids = {m["X-Outbox-Id"] for m in smtp.messages}
    finally:
        worker.stop()
        smtp.stop()
        redis.stop()
        postgres.stop()

    best = min(per_message, kept)
    print(f"messages                                   {count}")
    print(f"direct SMTP, a connection per message      {per_message:6.2f} s  {count / per_message:7.1f} msg/s"
          f"  ({per_message_connections} connections)")
    print(f"direct SMTP, one connection (baseline)     {kept:6.2f} s  {count / kept:7.1f} msg/s"
          f"  ({kept_connections} connection)")
    print(f"outbox: queue in the request               {queued:6.2f} s  {queued / count * 1000:7.2f} ms per email")
    print(f"outbox: one worker process, all delivered  {delivered:6.2f} s  {count / delivered:7.1f} msg/s"
          f"  ({connections} connection{'s' if connections != 1 else ''})")
    print(f"ratio outbox / best direct                 {best / delivered:6.2f}  (target >= 0.9, >= 100 msg/s)")
    print(f"rows sent / messages / distinct ids        {sent} / {received} / {len(ids)}"
          f"  (each exactly once: {sent == received == len(ids) == count})")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:2]))

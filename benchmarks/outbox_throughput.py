#!/usr/bin/env python
"""Outbox throughput: N emails queued through the outbox and delivered by a real Celery worker, against
the baseline of sending the same N messages straight over SMTP from one process, in the same run.

Usage: .venv/bin/python benchmarks/outbox_throughput.py [N]
Starts its own PostgreSQL, Redis, SMTP peer and worker (the test suite's servers) and prints the figures.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consular_portal.settings")

from tests.services import CeleryWorker, PostgreSQL, Redis, SMTPPeer  # noqa: E402


def main(count=300):
    postgres, redis, smtp = PostgreSQL().start(), Redis().start(), SMTPPeer().start()
    postgres.create_database("bench")
    env = {**os.environ, "DATABASE_URL": postgres.url("bench"), "REDIS_URL": redis.url, "EMAIL_URL": smtp.url}
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL")})
    import django

    django.setup()
    from django.core.mail import EmailMultiAlternatives
    from django.core.management import call_command
    from django.db import transaction

    from consular_portal import outbox
    from consular_portal.celery import app
    from consular_portal.models import OutboundEmail

    call_command("migrate", verbosity=0)
    worker = CeleryWorker(env).start(app)
    try:
        # Baseline: render and send each message directly, one SMTP connection per message.
        started = time.perf_counter()
        for i in range(count):
            subject, text, html = outbox.render_email("test_message", {}, "ja")
            message = EmailMultiAlternatives(subject, text, to=[f"direct{i}@example.com"])
            message.attach_alternative(html, "text/html")
            message.send()
        direct = time.perf_counter() - started
        smtp.wait_for(count, timeout=120)
        smtp.clear()

        # The outbox: queue in a transaction each (as a request would), a worker sends.
        started = time.perf_counter()
        for i in range(count):
            with transaction.atomic():
                outbox.queue_email(to=f"outbox{i}@example.com", template="test_message", context={}, language="ja")
        queued = time.perf_counter() - started
        smtp.wait_for(count, timeout=300)
        delivered = time.perf_counter() - started
        deadline = time.monotonic() + 30
        while (sent := OutboundEmail.objects.filter(status="sent").count()) < count and time.monotonic() < deadline:
            time.sleep(0.1)  # the last rows are marked sent just after the SMTP peer accepted them
        time.sleep(1)
        received = len(smtp.messages)
    finally:
        worker.stop()
        smtp.stop()
        redis.stop()
        postgres.stop()

    print(f"messages                          {count}")
    print(f"direct SMTP (baseline)            {direct:6.2f} s   {count / direct:7.1f} msg/s")
    print(f"outbox: queue in the request      {queued:6.2f} s   {queued / count * 1000:7.2f} ms per email")
    print(f"outbox: queued → all delivered    {delivered:6.2f} s   {count / delivered:7.1f} msg/s")
    print(f"ratio outbox / direct throughput  {direct / delivered:6.2f}")
    print(f"rows sent / messages received     {sent} / {received} (each exactly once: {sent == received == count})")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:2]))

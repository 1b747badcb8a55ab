import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from consular_portal.smtp_receiver import controller


class Command(BaseCommand):
    help = "Receive mail for the status address over SMTP and answer it (through the Celery worker)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.MAIL_RECEIVER_HOST)
        parser.add_argument("--port", type=int, default=settings.MAIL_RECEIVER_PORT)

    def handle(self, host, port, **options):
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        server = controller(host, port)
        server.start()
        addresses = ", ".join(settings.INBOUND_MAIL_SERVICES)
        self.stdout.write(f"Receiving mail for {addresses} on {host}:{port}", ending="\n")
        self.stdout.flush()
        try:
            stop.wait()
        finally:
            server.stop()

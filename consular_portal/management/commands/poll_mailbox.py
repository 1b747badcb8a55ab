import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from consular_portal import imap_poller


class Command(BaseCommand):
    help = "Answer the unseen messages of the status mailbox (IMAP_URL) once, or every --every seconds."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="", help="the mailbox's URL (default: IMAP_URL)")
        parser.add_argument("--every", type=float, default=0, help="poll again after this many seconds")

    def handle(self, url, every, **options):
        url = url or settings.IMAP_URL
        if not url and not every:
            raise CommandError("Set IMAP_URL (imaps://user:password@host/INBOX) or pass --url.")
        if not url:
            # The process of the Procfile and compose file, where mail comes in over SMTP instead: idle.
            self.stdout.write("IMAP_URL is not set: no mailbox to poll (mail comes in through receive_mail).")
            threading.Event().wait()
        while True:
            handed = imap_poller.poll(url)
            self.stdout.write(f"Handed {handed} message(s) to the worker.")
            if not every:
                return
            time.sleep(every)

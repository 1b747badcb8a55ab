from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from consular_portal.outbox import queue_email


class Command(BaseCommand):
    help = "Queue a test email through the outbox, to check that delivery works end to end."

    def add_arguments(self, parser):
        parser.add_argument("to")
        parser.add_argument("--language", default="en", choices=[code for code, _name in settings.LANGUAGES])

    def handle(self, to, language, **options):
        try:
            validate_email(to)
        except ValidationError as exc:
            raise CommandError(f"{to!r} is not an email address.") from exc
        email = queue_email(to=to, template="test_message", context={}, language=language)
        self.stdout.write(f"Queued outbound email {email.pk} to {to} ({email.get_status_display()}).")

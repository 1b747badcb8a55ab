from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from consular_portal import applicant_data


class Command(BaseCommand):
    help = ("Write everything the portal holds about one applicant (by email address and/or passport number) to a "
            "zip file: one JSON file per kind of record, and the uploaded files.")

    def add_arguments(self, parser):
        parser.add_argument("--email", default="")
        parser.add_argument("--passport-number", default="")
        parser.add_argument("--output", required=True, help="The zip file to write (an existing one is replaced).")

    def handle(self, email, passport_number, output, **options):
        if not email.strip() and not passport_number.strip():
            raise CommandError("Give --email, --passport-number or both.")
        found = applicant_data.find(email=email, passport_number=passport_number)
        Path(output).write_bytes(applicant_data.export(email=email, passport_number=passport_number))
        for kind, count in found.counts().items():
            self.stdout.write(f"{kind}: {count}")
        self.stdout.write(f"Written to {output}.")

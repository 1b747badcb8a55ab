from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from consular_portal import applicant_data
from consular_portal.scoping import sees_all_posts


class Command(BaseCommand):
    help = ("Erase everything the portal holds about one applicant (by email address and/or passport number), "
            "and record the erasure: who, when, why and how many rows, without the address or the number.")

    def add_arguments(self, parser):
        parser.add_argument("--email", default="")
        parser.add_argument("--passport-number", default="")
        parser.add_argument("--by", required=True, help="The username of the administrator who erases.")
        parser.add_argument("--reason", required=True, help="Why: the applicant's request and its reference.")
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be erased.")

    def handle(self, email, passport_number, by, reason, dry_run, **options):
        if not email.strip() and not passport_number.strip():
            raise CommandError("Give --email, --passport-number or both.")
        if not reason.strip():
            raise CommandError("Give the --reason of the erasure.")
        user = get_user_model().objects.filter(username=by).first()
        if user is None or not sees_all_posts(user):
            raise CommandError(f"{by!r} is not an active administrator.")
        if dry_run:
            counts = applicant_data.find(email=email, passport_number=passport_number).counts()
        else:
            counts = applicant_data.erase(email=email, passport_number=passport_number, by=user, reason=reason).counts
        for kind, count in counts.items():
            kept = " (kept)" if kind in applicant_data.KEPT else ""
            self.stdout.write(f"{kind}: {count}{kept}")
        self.stdout.write("Nothing erased (dry run)." if dry_run else "Erased; the erasure is recorded.")

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from consular_portal.groups import ADMINISTRATORS, OFFICERS, PASSPORT_STAFF
from consular_portal.models import Post

# Development only: these logins are printed on every run so a newcomer can sign in to the back office.
DEMO_STAFF = [
    # username, password, group, posts, superuser
    ("officer", "officer-demo-pass", OFFICERS, ["tokyo", "osaka-kobe", "sapporo", "fukuoka", "naha"], False),
    ("officer-shanghai", "officer-demo-pass", OFFICERS, ["shanghai"], False),
    ("passports", "passports-demo-pass", PASSPORT_STAFF, ["tokyo", "osaka-kobe"], False),
    ("admin", "admin-demo-pass", ADMINISTRATORS, [], True),
]


class Command(BaseCommand):
    help = (
        "Create demo staff accounts, appointment slots and sample expedite requests (idempotent; refuses to "
        "run in production) and print the staff logins."
    )

    @transaction.atomic
    def handle(self, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is for development only.")
        users = get_user_model()
        for username, password, group_name, post_slugs, superuser in DEMO_STAFF:
            user, created = users.objects.get_or_create(
                username=username,
                defaults={"is_staff": True, "is_superuser": superuser, "email": f"{username}@example.com"},
            )
            if created:
                user.set_password(password)
                user.save(update_fields=["password"])
                user.groups.add(Group.objects.get(name=group_name))
                user.posts.add(*Post.objects.filter(slug__in=post_slugs))
        from appointments.demo import demo_requests, demo_slots

        expedite_posts = {post.slug: post for post in Post.objects.all() if post.offers(Post.Service.EXPEDITE)}
        slots = sum(demo_slots(post) for post in expedite_posts.values())
        requests = demo_requests(expedite_posts)
        self.stdout.write(f"Demo content: {slots} new appointment slots, {requests} new expedite requests.")
        from inquiries.case_demo import demo_cases, demo_processing_times

        all_posts = {post.slug: post for post in Post.objects.all()}
        cases, times = demo_cases(all_posts), demo_processing_times(all_posts)
        self.stdout.write(f"Demo cases: {cases} new case statuses, {times} new processing times.")
        from inquiries.inquiry_demo import demo_inquiries

        self.stdout.write(f"Demo status inquiries: {demo_inquiries()} new standard replies.")
        self.stdout.write("Demo staff logins (development only):")
        for username, password, group_name, post_slugs, _superuser in DEMO_STAFF:
            where = ", ".join(post_slugs) or "all posts"
            self.stdout.write(f"  {username:<17} {password:<20} {group_name} ({where})")

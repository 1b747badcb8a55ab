"""The daily reminder of overdue submissions, one email per post and officer, for any reviewed model.

Beat runs each service's reminder task hourly; ``posts_at_reminder_hour`` picks the posts where it is now
``REMINDER_LOCAL_HOUR``, so each post's officers get it once a day, in their morning.
"""

from django.conf import settings
from django.db import transaction

from consular_portal.groups import OFFICERS
from consular_portal.models import Post


def officer_addresses(post):
    addresses = [post.officer_mailbox] if post.officer_mailbox else []
    officers = post.staff.filter(is_active=True, groups__name=OFFICERS).exclude(email="")
    for address in officers.values_list("email", flat=True):
        if address.lower() not in {a.lower() for a in addresses}:
            addresses.append(address)
    return addresses


def posts_at_reminder_hour(now):
    """The posts where the instant ``now`` falls in the local hour of the daily reminder (beat runs hourly)."""
    return [post for post in Post.objects.all() if now.astimezone(post.tz).hour == settings.REMINDER_LOCAL_HOUR]


def overdue_reminders_send(*, model, service, send, candidates=None, today=None, posts=None):
    """Queue the reminders of ``model``'s overdue submissions at the posts offering ``service`` (among
    ``candidates``, all posts by default; and among ``posts`` if given). ``send(post=, submissions=, to=)``
    queues one email. Returns how many emails were queued."""
    sent = 0
    candidates = Post.objects.all() if candidates is None else candidates
    if posts is not None:
        candidates = candidates.filter(pk__in=[post.pk for post in posts])
    for post in candidates:
        if not post.offers(service):
            continue
        overdue = list(model.overdue(post=post, today=today))
        if not overdue:
            continue
        with transaction.atomic():
            for address in officer_addresses(post):
                send(post=post, submissions=overdue, to=address)
                sent += 1
    return sent

"""The daily reminder of overdue submissions, one email per post and officer, for any reviewed model.

Beat runs each service's reminder task hourly; ``posts_at_reminder_hour`` picks the posts where it is now
``REMINDER_LOCAL_HOUR``, so each post's officers get it once a day, in their morning.
"""

import operator
from collections import defaultdict
from functools import reduce

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Prefetch

from consular_portal.groups import OFFICERS
from consular_portal.models import Post


def _officers():
    return get_user_model().objects.filter(is_active=True, groups__name=OFFICERS).exclude(email="").order_by("pk")


def officer_addresses(post):
    """The post's officer mailbox and its active officers' addresses, each once (the officers prefetched as
    ``reminder_officers`` when the post was loaded with them)."""
    addresses = [post.officer_mailbox] if post.officer_mailbox else []
    officers = getattr(post, "reminder_officers", None)
    if officers is None:
        officers = post.staff.filter(pk__in=_officers().values("pk"))
    for address in (officer.email for officer in officers):
        if address.lower() not in {a.lower() for a in addresses}:
            addresses.append(address)
    return addresses


def posts_at_reminder_hour(now):
    """The posts where the instant ``now`` falls in the local hour of the daily reminder (beat runs hourly)."""
    return [post for post in Post.objects.all() if now.astimezone(post.tz).hour == settings.REMINDER_LOCAL_HOUR]


def overdue_reminders_send(*, model, service, send, candidates=None, today=None, posts=None):
    """Queue the reminders of ``model``'s overdue submissions at the posts offering ``service`` (among
    ``candidates``, all posts by default; and among ``posts`` if given). ``send(post=, submissions=, to=)``
    queues one email. Returns how many emails were queued. However many posts, three queries: the posts
    with their officers, and every post's overdue submissions at once (``model.overdue`` of each post, in one
    query)."""
    sent = 0
    candidates = Post.objects.all() if candidates is None else candidates
    if posts is not None:
        candidates = candidates.filter(pk__in=[post.pk for post in posts])
    offering = [post for post in candidates.prefetch_related(
        Prefetch("staff", queryset=_officers(), to_attr="reminder_officers")) if post.offers(service)]
    if not offering:
        return 0
    overdue = defaultdict(list)
    for submission in reduce(operator.or_, (model.overdue(post=post, today=today) for post in offering)):
        overdue[submission.post_id].append(submission)
    for post in offering:
        if not overdue[post.pk]:
            continue
        with transaction.atomic():
            for address in officer_addresses(post):
                send(post=post, submissions=overdue[post.pk], to=address)
                sent += 1
    return sent

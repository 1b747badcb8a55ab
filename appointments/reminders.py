"""The daily reminder of overdue requests, one email per post and officer."""

from django.conf import settings
from django.db import transaction

from consular_portal.groups import OFFICERS
from consular_portal.models import Post

from . import emails
from .booking import requests_overdue


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


def overdue_reminders_send(*, today=None, posts=None):
    """Queue the reminders of ``posts`` (all by default); returns how many emails were queued."""
    sent = 0
    candidates = Post.objects.filter(expedite_policy__isnull=False)
    if posts is not None:
        candidates = candidates.filter(pk__in=[post.pk for post in posts])
    for post in candidates:
        if not post.offers(Post.Service.EXPEDITE):
            continue
        overdue = list(requests_overdue(post=post, today=today))
        if not overdue:
            continue
        with transaction.atomic():
            for address in officer_addresses(post):
                emails.send_overdue_reminder(post=post, requests=overdue, to=address)
                sent += 1
    return sent

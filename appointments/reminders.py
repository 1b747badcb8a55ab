"""The daily reminder of overdue requests, one email per post and officer."""

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


def overdue_reminders_send(*, today=None):
    """Queue the reminders; returns how many emails were queued."""
    sent = 0
    for post in Post.objects.filter(expedite_policy__isnull=False):
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

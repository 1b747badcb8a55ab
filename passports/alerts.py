"""Passport status alerts: subscribing from the lookup page, alerts for imported changes, pickup reminders.

The alert rules are the tracking shape's (``consular_portal.tracking.alerts``); this module adds what is
the passports' own: the reminder before a passport waiting at a post office is sent back.

A passport *waiting for pickup* is one delivered to the post office the applicant chose (delivery
``post_office``, status ``delivered``: "you can go to the Post office you have chosen to pick up your
passport"). The post office holds it ``PASSPORT_PICKUP_HOLD_DAYS`` from that status change, then sends it
back to the post; its subscribers are reminded once, ``PASSPORT_PICKUP_REMINDER_DAYS`` before. The posts'
pages give no number of days (only "collect it in a timely manner"): the default of 7 is Japan Post's usual
holding period, an assumption the operator corrects (docs/operations.md).
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from consular_portal.tracking import alerts

from .lookup import find
from .models import PassportSubscription, PassportTracking
from .statuses import Status

PICKUP_STATUS = Status.DELIVERED
PICKUP_DELIVERIES = {PassportTracking.Delivery.POST_OFFICE}


def subscription_request(*, number, email, language):
    """Subscribe ``email`` to the passport ``number``'s status changes (double opt-in).

    The lookup page offers this for every answer, so it is no way to learn whether a number is known: for a
    number the portal does not know, nothing is stored and nothing is sent, and the applicant sees the same
    "check your inbox" page. Returns the subscription, or None for an unknown number."""
    item = find(number)
    if item is None:
        return None
    return alerts.subscription_request(subscriptions=PassportSubscription, item=item, email=email,
                                       language=language)


def alerts_for_changes(changes):
    """Alert the subscribers of passports whose status an import changed without ``tracking_change``:
    ``changes`` is ``[(PassportTracking id, previous status)]``, called in the import's transaction."""
    return alerts.alerts_for_changes(PassportTracking, changes)


def return_date(item):
    """When a passport waiting for pickup goes back to the post."""
    return item.status_changed_at + dt.timedelta(days=settings.PASSPORT_PICKUP_HOLD_DAYS)


def pickup_reminders_send(*, now=None):
    """Remind each subscriber of each passport waiting for pickup, once, when its return is at most
    ``PASSPORT_PICKUP_REMINDER_DAYS`` away (and not past). Each reminder is claimed on its subscription
    (``pickup_reminded_at``) in the transaction that queues it, so a second run sends nothing; a passport
    that comes back for pickup later is reminded again. Returns how many were queued."""
    now = now or timezone.now()
    hold = dt.timedelta(days=settings.PASSPORT_PICKUP_HOLD_DAYS)
    before = dt.timedelta(days=settings.PASSPORT_PICKUP_REMINDER_DAYS)
    due = PassportSubscription.objects.filter(
        confirmed_at__isnull=False, unsubscribed_at__isnull=True,
        item__status=PICKUP_STATUS, item__delivery__in=PICKUP_DELIVERIES,
        item__status_changed_at__lte=now - hold + before, item__status_changed_at__gt=now - hold,
    ).filter(
        Q(pickup_reminded_at__isnull=True) | Q(pickup_reminded_at__lt=F("item__status_changed_at"))
    ).select_related("item__post").order_by("pk")
    sent = 0
    for subscription in due:
        item = subscription.item
        with transaction.atomic():
            claimed = PassportSubscription.objects.filter(pk=subscription.pk).filter(
                Q(pickup_reminded_at__isnull=True) | Q(pickup_reminded_at__lt=item.status_changed_at)
            ).update(pickup_reminded_at=now)
            if claimed:
                alerts.alert_queue(subscription, item, "pickup_reminder", return_date=return_date(item))
                sent += 1
    return sent

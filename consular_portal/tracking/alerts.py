"""Status alerts by email: subscribe (double opt-in), confirm, one email per status change, unsubscribe.

A tracked service's subscription model is a ``models.SubscriptionBase``; its item provides
``alert_context()`` (what an email may say of it, in the active language: the masked number and what the
status means, never anything a person typed). Every email goes through the outbox in the caller's
transaction. Confirmation links are short-lived (``TRACKING_CONFIRM_LINK_DAYS``); unsubscribe links, in
every alert and in its ``List-Unsubscribe`` header (RFC 8058 one-click), last long
(``TRACKING_UNSUBSCRIBE_LINK_DAYS``).
"""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone, translation

from consular_portal.access import make_token, object_from_token
from consular_portal.outbox import queue_email
from consular_portal.references import save_with_new_reference
from consular_portal.site_url import absolute_url

CONFIRM, UNSUBSCRIBE = "confirm", "unsubscribe"


def _salt(model, purpose):
    return f"{model._meta.label_lower}.{purpose}"


def _max_age(purpose):
    days = settings.TRACKING_CONFIRM_LINK_DAYS if purpose == CONFIRM else settings.TRACKING_UNSUBSCRIBE_LINK_DAYS
    return dt.timedelta(days=days)


def subscription_link(subscription, purpose):
    """The absolute signed link (on ``SITE_URL``) to ``subscription``'s ``purpose`` page (confirm or
    unsubscribe)."""
    token = make_token(subscription, salt=_salt(type(subscription), purpose))
    return absolute_url(reverse(subscription.url_names[purpose], kwargs={"token": token}))


def subscription_from_token(queryset, token, purpose):
    """The subscription a ``purpose`` link was signed for, or 404 (forged, expired, or replaced)."""
    return object_from_token(queryset, token, salt=_salt(queryset.model, purpose), max_age=_max_age(purpose))


def _queue(subscription, item, template, *, links=(), **context):
    """Queue ``template`` to the subscriber; ``links`` are the purposes whose links it carries, made in the
    subscriber's language (the pages' paths carry it)."""
    with translation.override(subscription.language):
        context = {"post": item.post, **item.alert_context(), **context,
                   **{f"{purpose}_link": subscription_link(subscription, purpose) for purpose in links}}
    unsubscribe = context.get("unsubscribe_link")
    headers = {"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
               "Auto-Submitted": "auto-generated"} if unsubscribe else {"Auto-Submitted": "auto-generated"}
    return queue_email(to=subscription.email, template=subscription.email_templates[template], context=context,
                       language=subscription.language, post=item.post, headers=headers)


def subscription_request(*, subscriptions, item, email, language):
    """Subscribe ``email`` to ``item`` (``subscriptions`` is the concrete model), unconfirmed, and queue the
    confirmation email. An address that already gets the alerts gets nothing more; one that had
    unsubscribed (or never confirmed) starts again with a new link, the older ones revoked. Returns the
    subscription. Its links are made on ``SITE_URL``."""
    with transaction.atomic():
        subscription = subscriptions.objects.select_for_update().filter(item=item, email__iexact=email).first()
        if subscription is not None and subscription.active:
            return subscription
        if subscription is None:
            try:
                subscription = save_with_new_reference(
                    subscriptions(item=item, email=email, language=language),
                    subscriptions.reference_prefix)
            except IntegrityError:  # the same address sent twice at once: the other request sends the email
                return subscriptions.objects.get(item=item, email__iexact=email)
        else:
            subscription.language, subscription.link_version = language, subscription.link_version + 1
            subscription.confirmed_at = subscription.unsubscribed_at = None
            subscription.save()
        _queue(subscription, item, CONFIRM, links=[CONFIRM])
    return subscription


def subscription_confirm(*, subscription):
    """Confirm the address (once; confirming again changes nothing). Returns the subscription."""
    type(subscription).objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now(), updated_at=timezone.now())
    subscription.refresh_from_db()
    return subscription


def subscription_unsubscribe(*, subscription):
    """Stop the alerts to this address (once; unsubscribing again changes nothing)."""
    type(subscription).objects.filter(pk=subscription.pk, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now(), updated_at=timezone.now())
    subscription.refresh_from_db()
    return subscription


ACTIVE = {"confirmed_at__isnull": False, "unsubscribed_at__isnull": True}


def active_subscriptions(item):
    return item.subscriptions.filter(**ACTIVE).order_by("pk")


def alert_queue(subscription, item, template="alert", **context):
    """One email to an active subscriber about ``item``, with its unsubscribe link and headers."""
    return _queue(subscription, item, template, links=[UNSUBSCRIBE], **context)


def alerts_queue(*, item, subscribers=None):
    """One alert of ``item``'s new status to each confirmed, subscribed address (``subscribers`` when already
    loaded), in the caller's transaction (``TrackedItem.status_changed``). Returns how many were queued."""
    subscribers = list(active_subscriptions(item)) if subscribers is None else subscribers
    for subscription in subscribers:
        alert_queue(subscription, item)
    return len(subscribers)


def alerts_for_changes(model, changes):
    """For changes made without ``tracking_change`` (a set-based import): ``changes`` is
    ``[(item id, previous status)]``; each item whose status now differs from its previous one alerts its
    subscribers once. Call it inside the transaction that applied the changes. Only the items with a
    confirmed subscriber are loaded, 5,000 ids a query, so a file of many changes costs a few queries.
    Returns how many were queued."""
    previous = dict(changes)
    ids = sorted(previous)
    queued = 0
    for start in range(0, len(ids), 5000):
        active = model.subscriptions.rel.related_model.objects.filter(**ACTIVE).order_by("pk")
        items = model.objects.filter(
            pk__in=ids[start:start + 5000], **{f"subscriptions__{lookup}": value for lookup, value in ACTIVE.items()},
        ).distinct().select_related("post").order_by("pk").prefetch_related(
            Prefetch("subscriptions", queryset=active, to_attr="active_subscriptions"))
        for item in items:
            if item.status != previous[item.pk]:
                queued += alerts_queue(item=item, subscribers=item.active_subscriptions)
    return queued

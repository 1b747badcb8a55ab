"""The applicant's passport status lookup and the page that explains every status."""

import dataclasses

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from consular_portal.access import private_page
from consular_portal.ratelimits import lookup_wait
from consular_portal.submissions import accept
from consular_portal.tracking import alerts as tracking_alerts
from consular_portal.tracking import pages as tracking_pages

from . import alerts
from .delivery import DeliveryClosed, address_change_open, delivery_change, tracking_from_token
from .forms import ButtonForm, DeliveryForm, LookupForm, SubscribeForm, subscribe_number
from .lookup import passport_status
from .models import PassportSubscription
from .statuses import TEXT, Status

LOOKUP_GROUP = "passport-lookup"


def lookup_refused(request):
    """Count one lookup by this client (``PASSPORT_LOOKUP_RATE_LIMIT``). Over the limit: the seconds to wait
    before the next one; None while it may look up (or when the cache cannot count: the limit is open)."""
    return lookup_wait(request, group=LOOKUP_GROUP, rate=settings.PASSPORT_LOOKUP_RATE_LIMIT)


# The answer's values of one request, as placeholders in its cached markup (``tracking.pages.status_content``).
MASKED = "masked-number-of-the-answer"
CHANGED_TEXT = "time-of-the-answers-last-change"
CHANGED_ISO = "iso-time-of-the-answers-last-change"
LETTER_PACK = "letter-pack-number-of-the-answer"
LETTER_PACK_URL = "letter-pack-link-of-the-answer"


def _answer_parts(answer):
    """What the answer's markup depends on (the cache key's values), the answer with placeholders to render
    it with, and this answer's values for them. A known and an unknown number do the same work here."""
    vary = (answer.status, answer.post_version, bool(answer.changed_at), bool(answer.letter_pack_url))
    fill = {MASKED: answer.masked_number, CHANGED_TEXT: answer.changed_at_text, CHANGED_ISO: answer.changed_at_iso,
            LETTER_PACK: answer.letter_pack_number or "", LETTER_PACK_URL: answer.letter_pack_url or ""}

    def context():
        return {"answer": dataclasses.replace(
            answer, masked_number=MASKED, changed_at_text=CHANGED_TEXT, changed_at_iso=CHANGED_ISO,
            letter_pack_number=answer.letter_pack_number and LETTER_PACK,
            letter_pack_url=answer.letter_pack_url and LETTER_PACK_URL)}

    return vary, context, fill


@private_page  # the page holds the number typed: not cached by a shared proxy
@require_safe
def status(request):
    form = LookupForm(request.GET if "number" in request.GET else None)
    vary, context, fill, signed = (), dict, None, None
    if form.is_bound and form.is_valid():
        wait = lookup_refused(request)
        if wait is not None:
            return tracking_pages.lookup_limited(request, "passports/rate_limited.html", wait)
        vary, context, fill = _answer_parts(passport_status(form.cleaned_data["number"]))
        # Offered for every answer, known number or not (see alerts.subscription_request).
        signed = subscribe_number(form.cleaned_data["number"])
    return tracking_pages.status_page(
        request, "passports/status.html", "passport-status", *vary, content_template="passports/status_content.html",
        form=form, subscribe_class=SubscribeForm, signed=signed, context=context, fill=fill)


@require_safe
def statuses(request):  # the list is cached in the template (per language and release)
    return render(request, "passports/statuses.html",
                  {"statuses": [(status, TEXT[status]) for status in Status]})


@private_page  # the page sent back with an error holds the address typed
@require_http_methods(["POST"])
def subscribe(request):
    form = SubscribeForm(request.POST)

    def subscribed():
        alerts.subscription_request(number=form.cleaned_data["number"], email=form.cleaned_data["email"],
                                    language=get_language())
        return redirect("passports:subscribe_sent")

    def page(status=None):
        return render(request, "passports/subscribe.html", {"form": form},
                      status=status or (400 if form.errors else 200))

    return accept(request, form, group="passport-alerts", on_valid=subscribed, page=page)


@require_safe
def subscribe_sent(request):
    return render(request, "passports/subscribe_sent.html")


def _subscription_page(request, token, purpose, *, label, act):
    subscription = tracking_alerts.subscription_from_token(
        PassportSubscription.objects.select_related("item"), token, purpose)
    done = request.method == "POST"
    if done:
        subscription = act(subscription=subscription)
    form = ButtonForm(label=label, form_id=f"subscription-{purpose}")
    return render(request, f"passports/subscription_{purpose}.html",
                  {"form": form, "done": done, "masked_number": subscription.item.masked_number})


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def subscription_confirm(request, token):
    """The link of the confirmation email: a button, so a mail scanner opening the link confirms nothing."""
    return _subscription_page(request, token, tracking_alerts.CONFIRM, label=_("Confirm"),
                              act=tracking_alerts.subscription_confirm)


@csrf_exempt  # RFC 8058 one-click: the mail client POSTs "List-Unsubscribe=One-Click"; the signed link is the key
@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    return _subscription_page(request, token, tracking_alerts.UNSUBSCRIBE, label=_("Stop the emails"),
                              act=tracking_alerts.subscription_unsubscribe)


@private_page  # the page shows the applicant's address
@require_http_methods(["GET", "HEAD", "POST"])
def delivery(request, token):
    """The applicant's delivery choice, open until the end of the interview day at the post; after it the
    page says so and gives the post's phone numbers."""
    tracking = tracking_from_token(token)

    def closed(status=200):
        return render(request, "passports/delivery_closed.html",
                      {"tracking": tracking, "post": tracking.post}, status=status)

    if not address_change_open(tracking, timezone.now()):
        return closed(403 if request.method == "POST" else 200)
    form = DeliveryForm(request.POST if request.method == "POST" else None, instance=tracking)

    def changed():
        try:
            delivery_change(tracking=tracking, values=form.cleaned_data)
        except DeliveryClosed:
            return closed(403)
        return redirect(f"{request.path}?saved=1")

    def page(status=None):
        saved = request.method != "POST" and request.GET.get("saved") == "1"
        return render(request, "passports/delivery.html",
                      {"form": form, "tracking": tracking, "post": tracking.post, "saved": saved},
                      status=status or (400 if form.errors else 200))

    if request.method != "POST":
        return page()
    return accept(request, form, group="passport-delivery", on_valid=changed, page=page)

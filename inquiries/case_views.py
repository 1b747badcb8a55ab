"""The public case status by receipt number, and its email alerts (the tracking shape's subscriptions)."""

import dataclasses

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from consular_portal.access import private_page
from consular_portal.ratelimits import lookup_wait
from consular_portal.submissions import accept
from consular_portal.tracking import alerts as tracking_alerts
from consular_portal.tracking import pages as tracking_pages
from passports.forms import ButtonForm

from .case_forms import CaseLookupForm, CaseSubscribeForm, subscribe_number
from .case_lookup import case_status, find
from .case_statuses import TEXT, CaseStatus
from .models.cases import CaseSubscription
from .processing_times import processing_times_url

LOOKUP_GROUP = "case-status-lookup"


# The answer's values of one request, as placeholders in its cached markup (``tracking.pages.status_content``).
MASKED = "masked-receipt-number-of-the-answer"
CHANGED_TEXT = "date-of-the-answers-last-change"
CHANGED_ISO = "iso-time-of-the-answers-last-change"
SERVICE = "service-of-the-answers-processing-time"
DURATION = "duration-of-the-answers-processing-time"
PROCESSING_TIME_URL = "link-to-the-answers-processing-times"


def _answer_parts(answer):
    """What the answer's markup depends on (the cache key's values), the context to render it with
    (placeholders for this request's values) and this answer's values for them."""
    if answer is None:
        return ("not-found",), lambda: {"searched": True, "answer": None}, None
    figure = answer.processing_time
    vary = (answer.status, answer.account.kind, bool(answer.changed_at), figure is not None)
    fill = {MASKED: answer.masked_number, CHANGED_TEXT: answer.changed_at_text, CHANGED_ISO: answer.changed_at_iso}
    if figure is not None:
        fill.update({SERVICE: figure.service, DURATION: figure.duration,
                     PROCESSING_TIME_URL: processing_times_url(figure.post, figure.service)})

    def context():
        stand_in = dataclasses.replace(answer, masked_number=MASKED, changed_at_text=CHANGED_TEXT,
                                       changed_at_iso=CHANGED_ISO)
        return {"searched": True, "answer": stand_in, "processing_time_url": PROCESSING_TIME_URL,
                "processing_time": figure and {"service": SERVICE, "duration": DURATION}}

    return vary, context, fill


@private_page  # the page holds the number typed: not cached by a shared proxy
@require_safe
def status(request):
    form = CaseLookupForm(request.GET if "number" in request.GET else None)
    vary, context, fill, signed = (), dict, None, None
    if form.is_bound and form.is_valid():
        wait = lookup_wait(request, group=LOOKUP_GROUP, rate=settings.CASE_STATUS_LOOKUP_RATE_LIMIT)
        if wait is not None:
            return tracking_pages.lookup_limited(request, "inquiries/cases/rate_limited.html", wait)
        answer = case_status(form.cleaned_data["number"])
        vary, context, fill = _answer_parts(answer)
        if answer is not None:
            signed = subscribe_number(form.cleaned_data["number"])
    return tracking_pages.status_page(
        request, "inquiries/cases/status.html", "case-status", *vary,
        content_template="inquiries/cases/status_content.html", form=form, subscribe_class=CaseSubscribeForm,
        signed=signed, context=context, fill=fill)


@require_safe
def statuses(request):
    return render(request, "inquiries/cases/statuses.html",
                  {"statuses": [(status, TEXT[status]) for status in CaseStatus],
                   "processing_times_url": processing_times_url()})


@private_page  # the page sent back with an error holds the address typed
@require_http_methods(["POST"])
def subscribe(request):
    form = CaseSubscribeForm(request.POST)

    def subscribed():
        # For a number the portal does not know nothing is stored or sent; the page is the same.
        item = find(form.cleaned_data["number"])
        if item is not None:
            tracking_alerts.subscription_request(
                subscriptions=CaseSubscription, item=item, email=form.cleaned_data["email"],
                language=get_language())
        return redirect("cases:subscribe_sent")

    def page(status=None):
        return render(request, "inquiries/cases/subscribe.html", {"form": form},
                      status=status or (400 if form.errors else 200))

    return accept(request, form, group="case-alerts", on_valid=subscribed, page=page)


@require_safe
def subscribe_sent(request):
    return render(request, "inquiries/cases/subscribe_sent.html")


def _subscription_page(request, token, purpose, *, label, act):
    subscription = tracking_alerts.subscription_from_token(
        CaseSubscription.objects.select_related("item"), token, purpose)
    done = request.method == "POST"
    if done:
        subscription = act(subscription=subscription)
    form = ButtonForm(label=label, form_id=f"subscription-{purpose}")
    return render(request, f"inquiries/cases/subscription_{purpose}.html",
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

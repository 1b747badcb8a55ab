"""The public case status by receipt number, and its email alerts (the tracking shape's subscriptions)."""

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


@private_page  # the page holds the number typed: not cached by a shared proxy
@require_safe
def status(request):
    form = CaseLookupForm(request.GET if "number" in request.GET else None)
    context = {"form": form, "searched": False, "answer": None}
    if form.is_bound and form.is_valid():
        wait = lookup_wait(request, group=LOOKUP_GROUP, rate=settings.CASE_STATUS_LOOKUP_RATE_LIMIT)
        if wait is not None:
            return tracking_pages.lookup_limited(request, "inquiries/cases/rate_limited.html", wait)
        answer = case_status(form.cleaned_data["number"])
        context.update(searched=True, answer=answer)
        if answer is not None:
            context["subscribe_form"] = tracking_pages.subscribe_form(
                request, "case-subscribe-form", CaseSubscribeForm, subscribe_number(form.cleaned_data["number"]))
            figure = answer.processing_time
            if figure is not None:
                context.update(processing_time=figure,
                               processing_time_url=processing_times_url(figure.post, figure.service))
    context["lookup_form"] = tracking_pages.lookup_form(request, "case-lookup-form", CaseLookupForm, form)
    return render(request, "inquiries/cases/status.html", context, status=400 if form.errors else 200)


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

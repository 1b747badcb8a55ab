"""Applicant pages of status inquiries: the check, the inquiry form and the applicant's view of one inquiry.

The check and the form read the posts' policies in one query with their content version (the routes in a
second one, only when a route is evaluated); a blank page's form is rendered once per process, language,
values filled in and version of the policies.
"""

import datetime as dt
from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from consular_portal.access import private_page
from consular_portal.models import Post
from consular_portal.page_cache import cached_markup, part_context, with_content_version
from consular_portal.post_choice import COOKIE
from consular_portal.submissions import accept

from .inquiry_forms import InquiryCheckForm, InquiryForm
from .inquiry_links import inquiry_from_token, inquiry_path
from .inquiry_rules import FollowUpTooSoon, evaluate, inquiry_submit
from .models import InquiryPolicy, Route, WaitUnit
from .processing_times import processing_times_link

PREFILLED = ("post", "route", "route_start")


def _policies(*, routes):
    """The accepting policies of the posts offering status inquiries, by slug, in the posts' order, and their
    version; with ``routes`` their routes too (a second query)."""
    queryset = with_content_version(
        InquiryPolicy.objects.filter(accepting=True).select_related("post"), "post", "routes",
    ).order_by("post__display_order", "post__name")
    if routes:
        queryset = queryset.prefetch_related("routes")
    policies = {p.post.slug: p for p in queryset if p.post.offers(Post.Service.STATUS_INQUIRY)}
    return policies, "/".join(p.content_version for p in policies.values())


def _prefill(request, policies):
    """The post, route and date a link (the check's answer) or the chosen post fills in, only when valid."""
    values = {}
    slug = next((s for s in (request.GET.get("post"), request.COOKIES.get(COOKIE)) if s in policies), None)
    if slug:
        values["post"] = slug
    if request.GET.get("route") in Route.values:
        values["route"] = request.GET["route"]
    try:
        values["route_start"] = dt.date.fromisoformat(request.GET.get("route_start", ""))
    except ValueError:
        pass
    return values


def _blank(request, name, form_class, policies, version, initial):
    def build():
        form = form_class(initial=initial, policies=policies)
        return render_to_string("uswds/crispy_form.html", part_context(form=form), request)

    return cached_markup(name, *(initial.get(key, "") for key in (*PREFILLED, "language")), version, build=build,
                         request=request)


def wait_text(route):
    """``10 business days``, ``1 month``, ``15 days``: a route's waiting time, in words."""
    if route.unit == WaitUnit.BUSINESS_DAYS:
        return ngettext("%(count)s business day", "%(count)s business days", route.amount) % {"count": route.amount}
    if route.unit == WaitUnit.MONTHS:
        return ngettext("%(count)s month", "%(count)s months", route.amount) % {"count": route.amount}
    return ngettext("%(count)s day", "%(count)s days", route.amount) % {"count": route.amount}


def rule_text(route):
    """The rule of one route, as the check's answer states it."""
    wait = wait_text(route)
    return {
        Route.INTERVIEW: _("Inquiries are answered once %(wait)s have passed since the interview day."),
        Route.MAIL: _("Inquiries are answered once %(wait)s have passed since the Embassy received your documents."),
        Route.TREATY_TRADER: _("Inquiries are answered once %(wait)s have passed since the Embassy received the "
                               "company registration documents."),
        Route.ADDITIONAL_DOCUMENTS: _("Inquiries are answered once %(wait)s have passed since you submitted the "
                                      "additional documents."),
    }[route.route] % {"wait": wait}


@require_safe
def check(request):
    """How did you apply, on what date, to which post: you can inquire now, or on or after a date, and why."""
    asked = any(key in request.GET for key in PREFILLED)
    policies, version = _policies(routes=asked)
    context = {"policies": policies}
    if not asked:
        context["blank_form"] = _blank(request, "inquiry-check", InquiryCheckForm, policies, version,
                                       _prefill(request, policies))
        return render(request, "inquiries/inquiry/check.html", context)
    form = InquiryCheckForm(request.GET, policies=policies)
    context["form"] = form
    if not form.is_valid():
        return render(request, "inquiries/inquiry/check.html", context, status=400)
    policy, data = form.cleaned_data["post"], form.cleaned_data
    decision = evaluate(policy, route_code=data["route"], start=data["route_start"], today=policy.post.local_today())
    query = urlencode({"post": policy.post.slug, "route": data["route"],
                       "route_start": data["route_start"].isoformat()})
    context.update({
        "decision": decision, "post": policy.post, "rule": rule_text(decision.route),
        "first_date": formats.date_format(decision.first_date, "DATE_FORMAT"),
        "form_url": f"{reverse('inquiries:form')}?{query}",
        "processing_times_url": processing_times_link(policy.post),
    })
    return render(request, "inquiries/inquiry/check.html", context)


@private_page  # a POST shows back what the applicant typed
@require_http_methods(["GET", "HEAD", "POST"])
def inquiry_form(request):
    if request.method != "POST":
        policies, version = _policies(routes=False)
        initial = {**_prefill(request, policies), "language": (get_language() or "en").lower()}
        return render(request, "inquiries/inquiry/form.html", {
            "blank_form": _blank(request, "inquiry-form", InquiryForm, policies, version, initial)})
    policies, _version = _policies(routes=True)
    form = InquiryForm(request.POST, policies=policies)

    def submit():
        policy = form.cleaned_data["post"]
        try:
            created = inquiry_submit(policy=policy, fields=form.inquiry_fields(),
                                     language=form.cleaned_data["language"])
        except FollowUpTooSoon as refused:
            form.add_error("case_number", _(
                "This case was asked about less than %(days)s business days ago. You may follow up on or after "
                "%(date)s.") % {"days": policy.follow_up_business_days,
                                "date": formats.date_format(refused.until, "DATE_FORMAT")})
            return None
        return redirect(inquiry_path(created) + "?submitted=1")

    def page(status=None):
        return render(request, "inquiries/inquiry/form.html", {"form": form},
                      status=400 if status is None else status)

    return accept(request, form, group="inquiry", on_valid=submit, page=page)


@private_page
@require_safe
def inquiry_detail(request, token):
    inquiry = inquiry_from_token(token)
    return render(request, "inquiries/inquiry/detail.html", {
        "inquiry": inquiry, "post": inquiry.post, "just_submitted": request.GET.get("submitted") == "1",
    })

"""Applicant pages of status inquiries: the check, the inquiry form and the applicant's view of one inquiry.

A GET page reads the posts' policies in one query, written once per process (``_offered``): the posts that
take inquiries, their version and, for the check's answer, the routes and whether the post publishes
processing times. The form is the same for everybody who asks about one post and route: it is rendered once
per process, language, post, route and version of the policies, and the date typed is written into it.
Sending an inquiry reads the policies through the ORM (``_policies``), as it stores rows.
"""

import datetime as dt
import functools
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats
from django.utils.functional import cached_property
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from consular_portal.access import private_page
from consular_portal.models import Post
from consular_portal.page_cache import cached_markup, part_context, prepared
from consular_portal.post_choice import COOKIE
from consular_portal.review.withdraw import withdraw_page
from consular_portal.submissions import accept

from .inquiry_forms import InquiryCheckForm, InquiryForm
from .inquiry_links import inquiry_from_token, inquiry_path
from .inquiry_rules import FollowUpTooSoon, evaluate, inquiry_submit, inquiry_withdraw
from .models import InquiryPolicy, InquiryRoute, ProcessingTime, Route, WaitUnit
from .processing_times import processing_times_url

PREFILLED = ("post", "route", "route_start")
# Written in a cached form where the date of the request goes (lower-case letters and dashes: never escaped).
DATE_PLACEHOLDER = "inquiry-route-start-of-the-request"
FIRST_DATE_PLACEHOLDER = "inquiry-first-date-of-the-answer"
FORM_URL_PLACEHOLDER = "inquiry-form-link-of-the-answer"
# What the pages read of a post, in the order of the model's fields (``Post.from_db`` takes them so).
POST_FIELDS = ("id", "slug", "name", "country", "time_zone")
ROUTE_FIELDS = ("route", "amount", "unit")


def _policies():
    """The accepting policies (InquiryPolicy, with their posts and routes: two queries) of the posts offering
    status inquiries, by slug: what an inquiry sent is checked against and stored with."""
    queryset = (InquiryPolicy.objects.filter(accepting=True).select_related("post").prefetch_related("routes")
                .order_by("post__display_order", "post__name"))
    return {p.post.slug: p for p in queryset if p.post.offers(Post.Service.STATUS_INQUIRY)}


@dataclass
class OfferedPolicy:
    """A post's accepting policy as the GET pages read it: ``post`` and ``route(code)`` as on InquiryPolicy
    (what the forms and ``evaluate`` read), and whether the post publishes processing times."""

    post_row: tuple  # POST_FIELDS
    processing_times: bool = False
    route_rows: list = field(default_factory=list)  # (route, amount, unit) of the active routes, in order

    @property
    def slug(self):
        return self.post_row[1]

    @cached_property
    def post(self):
        # Only the fields read here: another one would be read from the database as a deferred field.
        return Post.from_db(connection.alias, POST_FIELDS, self.post_row)

    def route(self, code):
        row = next((row for row in self.route_rows if row[0] == code), None)
        return None if row is None else InquiryRoute(**dict(zip(ROUTE_FIELDS, row, strict=True)))


def _offered_query(answer):
    """The query of ``_offered``: a row per policy in the posts' order; for an answer a row per policy and
    route, with the processing times."""
    # The post's services are read, not filtered on: a JSON containment lookup does not exist on SQLite.
    queryset = InquiryPolicy.objects.filter(accepting=True)
    fields = [*(f"post__{name}" for name in POST_FIELDS), "updated_at", "post__updated_at", "post__services"]
    order = ["post__display_order", "post__name"]
    if answer:
        queryset = queryset.annotate(processing_times=Exists(ProcessingTime.objects.filter(post=OuterRef("post_id"))))
        fields += ["processing_times", "routes__active", *(f"routes__{name}" for name in ROUTE_FIELDS)]
        order += ["routes__order", "routes__id"]
    return queryset.order_by(*order).values_list(*fields)


# Compiled once per process (compiling the queryset costs more than running it).
_offered_rows = {answer: prepared(functools.partial(_offered_query, answer), rows=True) for answer in (False, True)}


def _offered(*, answer):
    """The accepting policies of the posts offering status inquiries (``OfferedPolicy``) by slug, in the posts'
    order, and the version of what the forms show of them (which posts, their names), in one query; for an
    answer with the posts' active routes and whether they publish processing times."""
    rows = _offered_rows[answer]()
    policies, versions = {}, []
    for row in rows:
        if Post.Service.STATUS_INQUIRY not in row[7]:
            continue
        policy = policies.get(row[1])
        if policy is None:
            policy = policies[row[1]] = OfferedPolicy(row[:5], processing_times=bool(answer and row[8]))
            versions.append(f"{row[1]}:{row[5]}:{row[6]}")
        if answer and row[9]:  # an active route (None: the policy has none)
            policy.route_rows.append(row[10:])
    return policies, "/".join(versions)


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


def _cached_form(request, name, form_class, policies, version, initial, shown_date=None):
    """The form with ``initial`` (post, route, reply language) and ``shown_date`` as the route's start date,
    rendered once per process for its values and the version of the policies; the date (what was typed or
    the link's) is written into it escaped, so the cache holds one form per post and route, not per day."""
    values = {**initial, "route_start": DATE_PLACEHOLDER} if shown_date else initial

    def build():
        form = form_class(initial=values, policies=policies)
        return render_to_string("uswds/crispy_form.html", part_context(form=form), request)

    return cached_markup(name, *(initial.get(key, "") for key in ("post", "route", "language")), bool(shown_date),
                         version, build=build, request=request,
                         fill={DATE_PLACEHOLDER: shown_date} if shown_date else None)


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
    policies, version = _offered(answer=asked)
    if not asked:
        return render(request, "inquiries/inquiry/check.html", {"blank_form": _cached_form(
            request, "inquiry-check", InquiryCheckForm, policies, version, _prefill(request, policies))})
    form = InquiryCheckForm(request.GET, policies=policies)
    if not form.is_valid():  # sent back with its errors: rendered, as it shows what was typed
        return render(request, "inquiries/inquiry/check.html", {"form": form}, status=400)
    policy, data = form.cleaned_data["post"], form.cleaned_data
    decision = evaluate(policy, route_code=data["route"], start=data["route_start"], today=policy.post.local_today())
    query = urlencode({"post": policy.slug, "route": data["route"], "route_start": data["route_start"].isoformat()})

    def answer():  # the same for every date of one post, route and outcome: the date and the link written in
        return render_to_string("inquiries/inquiry/check_answer.html", {
            "decision": decision, "post": policy.post, "rule": rule_text(decision.route),
            "first_date": FIRST_DATE_PLACEHOLDER, "form_url": FORM_URL_PLACEHOLDER,
            "processing_times_url": processing_times_url(policy.post) if policy.processing_times else None,
        })

    return render(request, "inquiries/inquiry/check.html", {
        # The valid answer shows the form as it was sent: the post and route chosen, the date as typed.
        "blank_form": _cached_form(request, "inquiry-check", InquiryCheckForm, policies, version,
                                   {"post": policy.slug, "route": data["route"]},
                                   shown_date=request.GET.get("route_start")),
        # keyed by all the answer reads: the route's wait, whether the post publishes processing times
        "answer": cached_markup("inquiry-check-answer", policy.slug, data["route"], decision.route.amount,
                                decision.route.unit, policy.processing_times, decision.eligible, version,
                                build=answer, fill={
                                    FIRST_DATE_PLACEHOLDER: formats.date_format(decision.first_date, "DATE_FORMAT"),
                                    FORM_URL_PLACEHOLDER: f"{reverse('inquiries:form')}?{query}"}),
    })


@private_page  # a POST shows back what the applicant typed
@require_http_methods(["GET", "HEAD", "POST"])
def inquiry_form(request):
    if request.method != "POST":
        policies, version = _offered(answer=False)
        initial = {**_prefill(request, policies), "language": (get_language() or "en").lower()}
        start = initial.pop("route_start", None)
        shown = start.isoformat() if start else None  # as the pack writes a date control's value
        return render(request, "inquiries/inquiry/form.html", {
            "blank_form": _cached_form(request, "inquiry-form", InquiryForm, policies, version, initial, shown)})
    policies = _policies()
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
        "just_withdrawn": request.GET.get("withdrawn") == "1", "not_withdrawn": request.GET.get("withdrawn") == "0",
    })


@private_page
@require_http_methods(["GET", "POST"])
def inquiry_withdraw_view(request, token):
    """GET asks to confirm; the POST of its button withdraws. Once answered or withdrawn the inquiry's page
    says so instead (also when that happened between the two)."""
    inquiry = inquiry_from_token(token)
    return withdraw_page(request, inquiry, page_path=inquiry_path(inquiry), withdraw=inquiry_withdraw,
                         template="inquiries/inquiry/withdraw_confirm.html", context={"inquiry": inquiry},
                         refused="?withdrawn=0")

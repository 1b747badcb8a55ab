import datetime as dt
from functools import partial

from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_safe

from . import contact as contact_rules
from .access import make_token, object_from_token, private_page
from .feedback import survey_submit
from .forms import FraudReportForm, SurveyForm
from .fraud import fraud_report_submit
from .models import FraudReport, Post
from .page_cache import cached_markup, part_context, prepared, table_version
from .post_choice import COOKIE, post_from_slug, remember_post, valid_slug
from .site_services import posts_by_country
from .submissions import accept

FRAUD_RECEIVED_SALT = "consular_portal.fraud-received"
FRAUD_RECEIVED_MAX_AGE = dt.timedelta(hours=24)  # the page right after sending; the reference is in it


@require_safe
def home(request):
    # A callable: the template calls it only when its cached copy of the list has expired.
    countries = partial(posts_by_country, get_language())
    return render(request, "consular_portal/home.html", {"countries": countries})


@require_safe
def choose_post(request):
    """The header's post selector (a GET form, so it works without JavaScript): remember, then go back."""
    post = post_from_slug(request.GET.get("post"))
    target = request.GET.get("next", "")
    if not _local_path(request, target):
        target = reverse("contact")
    response = HttpResponseRedirect(target)  # a path, never resolved as a view name
    return remember_post(response, post) if post else response


def _local_path(request, target):
    """True for a path on this site ("/en/contact/"), not another site's address ("//x", "/\\x") or text."""
    return (
        target.startswith("/") and not target.startswith("//") and "\\" not in target
        and target.isprintable()  # no control characters (a header cannot carry them)
        and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    )


# The contact page's one query, compiled once per process: the posts of the two slugs given (the one on the
# URL and the one of the cookie), with what the page shows of them.
_contact_posts = prepared(lambda first, second: Post.objects.order_by().filter(slug__in=[first, second]).only(
    "slug", "name", "updated_at", "time_zone", "country", "contact_hours", "contact_hours_note", "phone_numbers",
    "email", "services"))


def _contact_post(request):
    """The post as ``chosen_post`` finds it (``?post=<slug>`` on the URL, else the cookie's), in one query."""
    slugs = [slug for slug in (request.GET.get("post"), request.COOKIES.get(COOKIE)) if valid_slug(slug)]
    if not slugs:
        return None
    found = {post.slug: post for post in _contact_posts(slugs[0], slugs[-1])}
    return next((found[slug] for slug in slugs if slug in found), None)


@require_safe
def contact(request, *, clock=timezone.now):
    post = _contact_post(request)
    if post is None:
        # The list of posts is read (and its links made) only when the version of the posts has changed.
        return render(request, "consular_portal/contact_choose.html", {
            "countries": partial(posts_by_country, get_language()), "posts_version": table_version(Post),
        })
    status = contact_rules.contact_status(post, clock())

    def build():
        return render_to_string("consular_portal/contact_body.html", {
            "post": post,
            "status": status,
            "opens_at": contact_rules.format_opening(status.opens_at) if status.opens_at else "",
            "hours_lines": contact_rules.hours_lines(post),
            "time_zone_name": contact_rules.time_zone_name(post),
            **contact_rules.contact_additions(post, status.local_now),
        }, request)

    # The same for every visitor of the post while it is open, or closed until the same opening, in one week
    # of the contact centre's hours.
    body = cached_markup("contact", post.slug, post.updated_at, status.open_now, status.opens_at,
                         contact_rules.centre_week(status.local_now), build=build)
    return render(request, "consular_portal/contact.html", {"post": post, "body": body})


@require_http_methods(["GET", "HEAD", "POST"])
def feedback(request):
    if request.method == "POST":
        form = SurveyForm(request.POST)

        def answer():
            survey_submit(**form.cleaned_data, language=get_language())
            return redirect("feedback_thanks")

        page = partial(render, request, "consular_portal/feedback.html", {"form": form})
        return accept(request, form, group="feedback", on_valid=answer, page=page)
    return render(request, "consular_portal/feedback.html", {
        "blank_form": _blank_form(request, "survey-form", lambda post: SurveyForm(initial={"post": post})),
    })


def _blank_form(request, name, make_form, *, needs_mailbox=False):
    """A site form before anything is typed, with the chosen post selected: the same for everybody who chose
    that post, so rendered once per process, language and version of the posts (read with the posts' slugs
    in one query); the CSRF token is the request's own."""
    posts = Post.objects.order_by().values_list("slug", "updated_at", "officer_mailbox")
    choosable = {slug for slug, _updated, mailbox in posts if mailbox or not needs_mailbox}
    version = f"{max((updated for _slug, updated, _mailbox in posts), default='-')}/{len(posts)}"
    chosen = next((slug for slug in (request.GET.get("post"), request.COOKIES.get(COOKIE)) if slug in choosable),
                  None)

    def build():
        form = make_form(post_from_slug(chosen) if chosen else None)
        return render_to_string("uswds/crispy_form.html", part_context(form=form), request)

    return cached_markup(name, chosen, version, build=build, request=request)


@require_safe
def feedback_thanks(request):
    return render(request, "consular_portal/feedback_thanks.html")


@private_page  # a report sent back with an error shows what the person wrote
@require_http_methods(["GET", "HEAD", "POST"])
def fraud(request):
    if request.method == "POST":
        form = FraudReportForm(request.POST)

        def report_received():
            report = fraud_report_submit(**form.cleaned_data, language=get_language())
            token = make_token(report, salt=FRAUD_RECEIVED_SALT)
            return redirect("fraud_received", token=token)

        page = partial(render, request, "consular_portal/fraud.html", {"form": form})
        return accept(request, form, group="fraud", on_valid=report_received, page=page)
    return render(request, "consular_portal/fraud.html", {
        "blank_form": _blank_form(request, "fraud-form", lambda post: FraudReportForm(initial={"post": post}),
                                  needs_mailbox=True),
    })


@private_page
@require_safe
def fraud_received(request, token):
    report = object_from_token(FraudReport.objects.all(), token, salt=FRAUD_RECEIVED_SALT,
                               max_age=FRAUD_RECEIVED_MAX_AGE)
    return render(request, "consular_portal/fraud_received.html", {"reference": report.reference})

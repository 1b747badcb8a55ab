"""The dashboard, the admin's landing page: how the posts of the member of staff are doing (``dashboard``).

Officers see their own posts (``scoping.visible_posts``), administrators every post, with a filter for one.
A ``?post=`` naming a post the user may not see answers 404, like every object of another post in the admin.
Each figure is shown only to staff who may view the records it counts (passport staff see the passports),
and each has its CSV at ``dashboard/<figure>.csv`` with the same post filter.

A figure counts weeks of rows (tens of thousands at a busy post), so it is computed at most once every
``FIGURE_SECONDS`` for the same posts, day and language, and kept in the cache: the page says when its
figures were counted. The page and its CSVs read the same kept figure.
"""

import csv

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import dashboard
from .dashboard_charts import bar_chart
from .scoping import visible_posts
from .staff_login import StaffAdminSite


def _overdue(posts, today, user):
    return dashboard.overdue_now(posts, today, inquiries=user.has_perm("inquiries.view_inquiry"))


def _plain(function):
    return lambda posts, today, _user: function(posts, today)


# key: (the permission that shows it, the function that makes it), in the order of the page
FIGURES = {
    "requests": ("appointments.view_expediterequest", _plain(dashboard.expedite_weekly)),
    "categories": ("appointments.view_expediterequest", _plain(dashboard.expedite_by_category)),
    "overdue": ("appointments.view_expediterequest", _overdue),
    "slots": ("appointments.view_appointmentslot", _plain(dashboard.slots_ahead)),
    "inquiries": ("inquiries.view_inquiry", _plain(dashboard.inquiries_weekly)),
    "passports": ("passports.view_passporttracking", _plain(dashboard.passports_by_status)),
    "survey": ("consular_portal.view_surveyresponse", _plain(dashboard.survey_weekly)),
}
COMMENTS_PERMISSION = "consular_portal.view_surveyresponse"
FIGURE_SECONDS = 300


def figure(key, posts, today, user):
    """(the figure ``key`` for ``posts`` on ``today``, when it was counted), from the cache when it was
    counted less than ``FIGURE_SECONDS`` ago."""
    _permission, make = FIGURES[key]
    variant = "all" if key != "overdue" or user.has_perm("inquiries.view_inquiry") else "requests"
    cache_key = (f"dashboard:{key}:{variant}:{get_language()}:{today.isoformat()}:"
                 f"{','.join(str(post.pk) for post in posts)}")
    kept = cache.get(cache_key)
    if kept is None:
        kept = (make(posts, today, user), timezone.now())
        cache.set(cache_key, kept, FIGURE_SECONDS)
    return kept


def chosen_posts(request):
    """(the posts the user may see, the posts the figures cover, the post chosen or None). 404 when ``?post=``
    names a post outside the first."""
    visible = list(visible_posts(request.user))
    value = request.GET.get("post", "")
    if not value:
        return visible, visible, None
    chosen = [post for post in visible if str(post.pk) == value]
    if not chosen:
        raise Http404("no such post")
    return visible, chosen, chosen[0]


def figures_today(posts):
    """The date the figures are for: the local date of the first post shown (the posts of one dashboard
    normally share a time zone)."""
    return posts[0].local_today() if posts else timezone.localdate()


def cell(value):
    return "" if value is None else str(value)


def dashboard_page(request, *, site):
    visible, posts, chosen = chosen_posts(request)
    today = figures_today(posts)
    user = request.user
    figures, counted = [], []
    if posts:
        for key, (permission, _make) in FIGURES.items():
            if user.has_perm(permission):
                shown, at = figure(key, posts, today, user)
                figures.append({"figure": shown, "chart": bar_chart(shown), "key": key})
                counted.append(at)
    context = {
        **site.each_context(request),
        "title": _("Site administration"),  # Django's own words (and translations) for this page
        "figures": figures,
        "comments": dashboard.latest_comments(posts) if posts and user.has_perm(COMMENTS_PERMISSION) else None,
        "visible_posts": visible,
        "posts": posts,
        "chosen": chosen,
        "today": today,
        "counted_at": timezone.localtime(min(counted), posts[0].tz) if counted else None,
        "figure_minutes": FIGURE_SECONDS // 60,
        "weeks": dashboard.WEEKS,
        "app_list": site.get_app_list(request),
    }
    request.current_app = site.name
    return TemplateResponse(request, "admin/dashboard.html", context)


def dashboard_csv(request, key):
    """One figure of the dashboard as CSV: the same columns and rows as its table."""
    if key not in FIGURES:
        raise Http404("no such figure")
    _visible, posts, _chosen = chosen_posts(request)  # another post's figures: 404 before anything else
    permission, _make = FIGURES[key]
    if not request.user.has_perm(permission):
        raise PermissionDenied
    today = figures_today(posts)
    shown, _at = figure(key, posts, today, request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{key}-{today.isoformat()}.csv"'
    response.write("\ufeff")  # spreadsheet programs read the Japanese and Chinese labels as UTF-8 with it
    writer = csv.writer(response)
    writer.writerow([str(column) for column in shown.columns])
    writer.writerows([[cell(value) for value in row] for row in shown.rows])
    return response


class DashboardAdminSite(StaffAdminSite):
    """The staff admin site whose landing page is the dashboard (its app list follows the figures)."""

    def index(self, request, extra_context=None):
        return dashboard_page(request, site=self)

    def get_urls(self):
        return [
            path("dashboard/<slug:key>.csv", self.admin_view(dashboard_csv), name="dashboard_csv"),
            *super().get_urls(),
        ]

"""The public list of processing times, filterable by post and service."""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from consular_portal.page_cache import cached_markup

from .processing_time_forms import ProcessingTimeFilterForm
from .processing_times import content_version, filtered, published


@require_safe
def processing_times(request):
    """One query: every published row, from which the filter's choices (the posts and services that have a
    figure) and the rows shown are taken. The filter and the table are rendered once per process for these
    figures and choices; a choice that is not offered is an error on its field."""
    everything = published()
    posts = list({row.post_id: row.post for row in everything}.values())
    services = sorted({row.service for row in everything}, key=str.casefold)

    def filter_form():
        return ProcessingTimeFilterForm(request.GET or None, posts=posts, services=services)

    slug, service = request.GET.get("post", ""), request.GET.get("service", "")
    if slug not in {"", *(post.slug for post in posts)} or service not in {"", *services}:
        form = filter_form()
        form.is_valid()
        return render(request, "inquiries/processing_times.html", {"form": form, "body": None}, status=400)

    def build():
        form = filter_form()
        post = form.cleaned_data["post"] if form.is_bound and form.is_valid() else None
        rows = filtered(everything, post=post, service=service)
        return render_to_string("inquiries/processing_times_body.html", {"form": form, "rows": rows}, request)

    body = cached_markup("processing-times", content_version(everything), slug, service, build=build)
    return render(request, "inquiries/processing_times.html", {"form": None, "body": body})

"""The public list of processing times, filterable by post and service."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from .processing_time_forms import ProcessingTimeFilterForm
from .processing_times import content_version, filtered, published


@require_safe
def processing_times(request):
    """One query: every published row, from which the filter's choices (the posts and services that have a
    figure) and the rows shown are taken."""
    everything = published()
    posts = list({row.post_id: row.post for row in everything}.values())
    services = sorted({row.service for row in everything}, key=str.casefold)
    form = ProcessingTimeFilterForm(request.GET or None, posts=posts, services=services)
    rows, status = [], 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        filters = form.cleaned_data if form.is_bound else {}
        rows = filtered(everything, post=filters.get("post"), service=filters.get("service", ""))
    context = {"form": form, "rows": rows, "cache_key": None}
    if status == 200:  # the filter and the table are rendered once per process for these figures and choices
        post, service = (filters.get("post"), filters.get("service", "")) if form.is_bound else (None, "")
        context["cache_key"] = (content_version(everything), post.slug if post else "", service)
    return render(request, "inquiries/processing_times.html", context, status=status)

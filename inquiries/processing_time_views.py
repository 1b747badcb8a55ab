"""The public list of processing times, filterable by post and service."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from consular_portal.models import Post

from .processing_time_forms import ProcessingTimeFilterForm
from .processing_times import published, services


@require_safe
def processing_times(request):
    """Three queries: the posts and the services for the filter, and the rows shown."""
    posts = list(Post.objects.filter(processing_times__isnull=False).distinct().order_by("name"))
    form = ProcessingTimeFilterForm(request.GET or None, posts=posts, services=services())
    rows, status = [], 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        filters = form.cleaned_data if form.is_bound else {}
        rows = list(published(post=filters.get("post"), service=filters.get("service", "")))
    return render(request, "inquiries/processing_times.html", {"form": form, "rows": rows}, status=status)

"""The processing times posts publish, as the public page lists them and other pages link to them."""

from django.urls import reverse
from django.utils.http import urlencode

from .models.processing_times import ProcessingTime


def processing_time_for(post, service):
    """The processing time ``post`` publishes for ``service`` (a visa category or form, compared without
    case), or None: one query (with its post). ``post`` is a Post or its id."""
    if not service:
        return None
    post_id = getattr(post, "pk", post)
    return (ProcessingTime.objects.filter(post_id=post_id, service__iexact=service.strip())
            .select_related("post").first())


def processing_times_url(post=None, service=""):
    """The public page of processing times, filtered to ``post`` (a Post) and ``service`` when given."""
    query = {key: value for key, value in (("post", getattr(post, "slug", "")), ("service", service)) if value}
    path = reverse("processing_times:list")
    return f"{path}?{urlencode(query)}" if query else path


def published(*, post=None, service=""):
    """The processing times shown on the public page, filtered by post and service (compared without
    case): one query, with the posts."""
    rows = ProcessingTime.objects.select_related("post").order_by("post__name", "service")
    if post is not None:
        rows = rows.filter(post=post)
    if service:
        rows = rows.filter(service__iexact=service)
    return rows


def services():
    """The services some post publishes a time for, for the filter's choices."""
    return list(ProcessingTime.objects.order_by("service").values_list("service", flat=True).distinct())

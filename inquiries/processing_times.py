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


def processing_times_link(post, service=""):
    """The public page of ``post``'s processing times, narrowed to ``service`` when the post publishes a figure
    for it; None when the post publishes none (one query)."""
    figures = list(ProcessingTime.objects.filter(post=post).values_list("service", flat=True))
    if not figures:
        return None
    match = next((figure for figure in figures if service and figure.casefold() == service.strip().casefold()), "")
    return processing_times_url(post, match)


def processing_times_url(post=None, service=""):
    """The public page of processing times, filtered to ``post`` (a Post) and ``service`` when given."""
    query = {key: value for key, value in (("post", getattr(post, "slug", "")), ("service", service)) if value}
    path = reverse("processing_times:list")
    return f"{path}?{urlencode(query)}" if query else path


def published():
    """Every processing time, as the public page lists them (by post, then service), with their posts: one
    query. A post publishes a few figures, so the page filters these rows rather than asking again."""
    return list(ProcessingTime.objects.select_related("post").order_by("post__name", "service"))


def filtered(rows, *, post=None, service=""):
    """The rows of ``post`` (a Post) and ``service`` (compared without case), each when given."""
    service = service.casefold()
    return [row for row in rows
            if (post is None or row.post_id == post.pk) and (not service or row.service.casefold() == service)]


def content_version(rows):
    """What the public page shows of ``rows`` (``published()``, with their posts) changes with this: the rows'
    ids and latest change and their posts' latest change (adding, editing or deleting a figure, or renaming a
    post, changes it)."""
    if not rows:
        return "-"
    return "|".join((",".join(str(row.pk) for row in rows), str(max(row.updated_at for row in rows)),
                     str(max(row.post.updated_at for row in rows))))

"""The processing times posts publish, as the public page lists them and other pages link to them."""

from django.db import DEFAULT_DB_ALIAS
from django.db.models import F
from django.urls import reverse
from django.utils.http import urlencode

from consular_portal.models import Post
from consular_portal.page_cache import prepared

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


# The public page's one query, compiled once per process: each figure with what the page shows of its post.
_published = prepared(lambda: ProcessingTime.objects.order_by("post__name", "service").annotate(
    post_slug=F("post__slug"), post_name=F("post__name"), post_updated_at=F("post__updated_at")))
POST_FIELDS = ("id", "updated_at", "slug", "name")  # in the model's order, as Model.from_db takes them


def published():
    """Every processing time, as the public page lists them (by post, then service), with their posts' slug,
    name and last change (their other fields deferred): one query. A post publishes a few figures, so the page
    filters these rows rather than asking again."""
    rows, posts = _published(), {}
    for row in rows:
        post = posts.get(row.post_id)
        if post is None:
            post = posts[row.post_id] = Post.from_db(
                DEFAULT_DB_ALIAS, POST_FIELDS, (row.post_id, row.post_updated_at, row.post_slug, row.post_name))
        row.post = post
    return rows


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

"""The post an applicant chose in the header. Kept in a cookie (a post's slug is not personal data)."""

import re

from django.conf import settings

from .models import Post

COOKIE = "portal_post"
COOKIE_MAX_AGE = 365 * 24 * 3600
SLUG_RE = re.compile(r"[-a-zA-Z0-9_]{1,50}")  # what Post.slug (a SlugField) may hold


def valid_slug(value):
    """True for what a post's slug may look like: what the URL, a form or a cookie sends reaches a query only
    after this check (PostgreSQL refuses some characters, such as NUL, outright)."""
    return isinstance(value, str) and SLUG_RE.fullmatch(value) is not None


def post_from_slug(slug):
    if not valid_slug(slug):
        return None
    return Post.objects.filter(slug=slug).first()


def chosen_post(request):
    """``?post=<slug>`` on the URL, else the post remembered in the cookie, else None."""
    return post_from_slug(request.GET.get("post")) or post_from_slug(request.COOKIES.get(COOKIE))


def remember_post(response, post):
    response.set_cookie(COOKIE, post.slug, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True,
                        secure=settings.SESSION_COOKIE_SECURE)
    return response

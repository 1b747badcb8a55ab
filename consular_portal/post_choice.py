"""The post an applicant chose in the header. Kept in a cookie (a post's slug is not personal data)."""

from django.conf import settings

from .models import Post

COOKIE = "portal_post"
COOKIE_MAX_AGE = 365 * 24 * 3600


def post_from_slug(slug):
    if not slug or not isinstance(slug, str) or len(slug) > 50:
        return None
    return Post.objects.filter(slug=slug).first()


def chosen_post(request):
    """``?post=<slug>`` on the URL, else the post remembered in the cookie, else None."""
    return post_from_slug(request.GET.get("post")) or post_from_slug(request.COOKIES.get(COOKIE))


def remember_post(response, post):
    response.set_cookie(COOKIE, post.slug, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True,
                        secure=settings.SESSION_COOKIE_SECURE)
    return response

"""The services of each post as the home page lists them, with where each one lives on the site."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .models import Post
from .post_text import translated

COUNTRY_NAMES = {"JP": _("Japan"), "CN": _("China")}

# Where each service's pages are (DESIGN §6): (label, URL name, whether the URL takes the post's slug).
# A service whose app does not serve its page yet is listed without a link.
SERVICE_PAGES = {
    Post.Service.EXPEDITE: (_("Emergency and expedited interview requests"), "appointments:policy", True),
    Post.Service.PASSPORT_TRACKING: (_("Track your passport"), "passports:status", False),
    Post.Service.STATUS_INQUIRY: (_("Ask about a pending visa application"), "inquiries:check", False),
}
# Further pages listed under a service, in the same shape.
SERVICE_EXTRA_PAGES = {
    Post.Service.PASSPORT_TRACKING: [(_("What each passport tracking status means"), "passports:statuses", False)],
}


@dataclass(frozen=True)
class ServiceLink:
    label: str
    url: str | None


@dataclass(frozen=True)
class PostServices:
    post: Post
    name: str
    links: list


def service_url(url_name, post_slug=None):
    try:
        return reverse(url_name, kwargs={"post": post_slug} if post_slug else None)
    except NoReverseMatch:
        return None


def service_links(post, language):
    """The post's services with the address of each one's page in the active language."""
    links = []
    for service in post.services:
        if service in SERVICE_PAGES:
            for label, url_name, per_post in [SERVICE_PAGES[service], *SERVICE_EXTRA_PAGES.get(service, ())]:
                links.append(ServiceLink(str(label), service_url(url_name, post.slug if per_post else None)))
    return links


def posts_by_country(language):
    """[(country name, [PostServices])] in the posts' display order."""
    countries = {}
    for post in Post.objects.order_by("display_order", "name"):
        entry = PostServices(post=post, name=translated(post.name), links=service_links(post, language))
        countries.setdefault(post.country, []).append(entry)
    return [(str(COUNTRY_NAMES.get(code, code)), entries) for code, entries in countries.items()]

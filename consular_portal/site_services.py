"""The services of each post as the home page lists them, with where each one lives on the site."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Post
from .post_text import translated

COUNTRY_NAMES = {"JP": _("Japan"), "CN": _("China")}

# Where each service's pages are (DESIGN §6); the apps that serve them own these paths.
SERVICE_PAGES = {
    Post.Service.EXPEDITE: (_("Emergency and expedited interview requests"), "/appointments/{slug}/"),
    Post.Service.PASSPORT_TRACKING: (_("Track your passport"), "/passports/status/"),
    Post.Service.STATUS_INQUIRY: (_("Ask about a pending visa application"), "/inquiries/"),
}


@dataclass(frozen=True)
class ServiceLink:
    label: str
    url: str


@dataclass(frozen=True)
class PostServices:
    post: Post
    name: str
    links: list


def service_links(post, language):
    links = []
    for service in post.services:
        if service in SERVICE_PAGES:
            label, path = SERVICE_PAGES[service]
            links.append(ServiceLink(str(label), f"/{language}" + path.format(slug=post.slug)))
    return links


def posts_by_country(language):
    """[(country name, [PostServices])] in the posts' display order."""
    countries = {}
    for post in Post.objects.order_by("display_order", "name"):
        entry = PostServices(post=post, name=translated(post.name), links=service_links(post, language))
        countries.setdefault(post.country, []).append(entry)
    return [(str(COUNTRY_NAMES.get(code, code)), entries) for code, entries in countries.items()]

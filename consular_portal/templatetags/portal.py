"""Template helpers of the site layout: the header's post selector and the translated post texts."""

import functools

from django import template
from django.core.cache import caches
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext

from ..models import Post
from ..page_cache import cached_markup, part_context
from ..post_choice import COOKIE
from ..post_text import translated

register = template.Library()


@register.filter
def in_language(text):
    """Seeded post wording (names, phone labels, notes) in the active language."""
    return translated(text)


@register.filter
def tel_href(number):
    """``tel:`` link target of a phone number as printed: digits and a leading plus only."""
    number = str(number).strip()
    digits = "".join(ch for ch in number if ch.isdigit())
    return f"tel:{'+' if number.startswith('+') else ''}{digits}"


# A post renamed or added in the admin shows in the header of every page within this time.
POST_CHOICES_TIMEOUT = 60


def post_choices():
    """[(slug, name in the active language)] of every post, in the header's order: from the cache, which
    keeps one list per language, so a page makes no query for its header."""
    key = f"layout:post-choices:{get_language()}"
    layout_cache = caches["layout"]
    choices = layout_cache.get(key)
    if choices is None:
        choices = [(post.slug, str(translated(post.name)))
                   for post in Post.objects.order_by("display_order", "name").only("slug", "name")]
        layout_cache.set(key, choices, POST_CHOICES_TIMEOUT)
    return choices


def post_selector_options(choices, chosen):
    """The ``<option>`` list of the header's post selector, ``chosen`` selected; with none chosen, a first empty
    option asks for one."""
    options = format_html_join("", '<option value="{}"{}>{}</option>',
                               ((slug, " selected" if slug == chosen else "", name) for slug, name in choices))
    if chosen is None:
        options = format_html('<option value="">{}</option>{}', gettext("Choose an embassy or consulate"), options)
    return options


@functools.cache
def _menu_paths(language, script_prefix):
    return frozenset(reverse(name) for name in ("home", "contact", "feedback", "fraud"))


# What the header's cached markup holds in place of the request's full path (the language form's ``next``)
# and path (the post selector's ``next``): lower-case letters and dashes, as ``CSRF_PLACEHOLDER``.
FULL_PATH_PLACEHOLDER = "full-path-of-the-request"
PATH_PLACEHOLDER = "path-of-the-request"


@register.simple_tag(takes_context=True)
def layout_header(context):
    """The layout from the stylesheets in ``<head>`` to the end of the header (``layout/header.html``): the
    same for every page of one language, chosen post (``?post=`` on the URL, else the cookie, as
    ``chosen_post`` decides) and current menu item, so rendered once per process for each; the request's CSRF
    token and path are put in its placeholders."""
    request = context["request"]
    choices = post_choices()
    slugs = {slug for slug, _name in choices}
    chosen = next((slug for slug in (request.GET.get("post"), request.COOKIES.get(COOKIE)) if slug in slugs), None)
    current = request.path if request.path in _menu_paths(get_language(), get_script_prefix()) else ""

    def build():
        return render_to_string("layout/header.html", part_context(
            current_path=current, post_options=post_selector_options(choices, chosen),
            full_path=FULL_PATH_PLACEHOLDER, path=PATH_PLACEHOLDER))

    return cached_markup("layout-header", get_script_prefix(), current, chosen, choices, build=build,
                         request=request,
                         fill={FULL_PATH_PLACEHOLDER: request.get_full_path(), PATH_PLACEHOLDER: request.path})


@register.simple_tag
def layout_footer():
    """The footer and the scripts (``layout/footer.html``): the same for every page of one language."""
    return cached_markup("layout-footer", get_script_prefix(),
                         build=lambda: render_to_string("layout/footer.html"))


class CachedPartNode(template.Node):
    def __init__(self, nodelist, name, vary):
        self.nodelist, self.name, self.vary = nodelist, name, vary

    def render(self, context):
        return cached_markup(self.name.resolve(context), *(v.resolve(context) for v in self.vary),
                             build=lambda: self.nodelist.render(context))


@register.tag
def cached_part(parser, token):
    """``{% cached_part "name" value… %}…{% endcached_part %}``: the enclosed markup rendered once per process
    for this name, language, release and values (``consular_portal/page_cache.py``): put the content version
    of what it shows among the values, and nothing that differs per request inside."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("cached_part needs a name")
    nodelist = parser.parse(("endcached_part",))
    parser.delete_first_token()
    return CachedPartNode(nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]])

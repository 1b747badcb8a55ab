"""Template helpers of the site layout: the header's post selector and the translated post texts."""

from django import template
from django.core.cache import caches
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext

from ..models import Post
from ..page_cache import cached_markup
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


@register.simple_tag(takes_context=True)
def post_selector_options(context):
    """The ``<option>`` list of the header's post selector, the chosen post (``?post=`` on the URL, else the
    cookie, as ``chosen_post`` decides) selected; with none chosen, a first empty option asks for one."""
    choices = post_choices()
    request = context.get("request")
    slugs = {slug for slug, _name in choices}
    chosen = None
    if request is not None:
        chosen = next((slug for slug in (request.GET.get("post"), request.COOKIES.get(COOKIE)) if slug in slugs),
                      None)
    options = format_html_join("", '<option value="{}"{}>{}</option>',
                               ((slug, " selected" if slug == chosen else "", name) for slug, name in choices))
    if chosen is None:
        options = format_html('<option value="">{}</option>{}', gettext("Choose an embassy or consulate"), options)
    return options


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

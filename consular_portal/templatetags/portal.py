"""Template helpers of the site layout: the header's post selector and the translated post texts."""

from django import template

from ..models import Post
from ..post_choice import chosen_post
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


@register.simple_tag(takes_context=True)
def post_selector(context):
    """(posts, chosen post) for the header."""
    request = context.get("request")
    chosen = chosen_post(request) if request is not None else None
    return {"posts": list(Post.objects.order_by("display_order", "name")), "chosen": chosen}

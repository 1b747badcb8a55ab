"""The content of a tracked service's status page, rendered once per process, language and answer
(``consular_portal/page_cache.py``) with this request's values written into it.

The content is the lookup form, the answer and the alert sign-up under it. What differs per request is
rendered as a placeholder and each request's value escaped and written over it: the number as typed in the
lookup form, the signed number of the sign-up form (with the request's CSRF token), and the answer's own
values (``fill``: its masked number, when it last changed). A lookup form with an error is rendered, not cached.
"""

from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string

from consular_portal.page_cache import CSRF_PLACEHOLDER, cached_markup, part_context

TYPED = "number-typed-by-the-applicant"
SIGNED = "signed-number-of-the-answer"


def _markup(request, form):
    return render_to_string("uswds/crispy_form.html", part_context(form=form), request)


def status_page(request, template, name, *vary, content_template, form, subscribe_class=None, signed=None,
                context=dict, fill=None):
    """The status page ``template`` (the layout and the title, which says when ``form`` has an error) around its
    content (``status_content``). The page's forms (the layout's, the alert sign-up) carry the request's one
    CSRF token."""
    token = get_token(request)
    content = status_content(request, name, *vary, template=content_template, form=form, csrf_token=token,
                             subscribe_class=subscribe_class, signed=signed, context=context, fill=fill)
    return render(request, template, {"form": form, "content": content, "csrf_token": token},
                  status=400 if form.errors else 200)


def status_content(request, name, *vary, template, form, csrf_token, subscribe_class=None, signed=None,
                   context=dict, fill=None):
    """The markup of ``template`` for ``form`` (the lookup form, bound to the query or not): with
    ``lookup_form`` (its markup, showing the number typed), ``subscribe_form`` (a ``subscribe_class`` carrying
    ``signed``, when given) and what ``context()`` returns, which is called only to render. Cached per
    ``name``, language, release and ``vary`` (what the answer's markup depends on); ``fill`` maps the
    placeholders ``context()`` put in the answer to this request's values. With errors: rendered with
    ``form``."""
    if form.errors:
        return render_to_string(template, {"form": form, "csrf_token": csrf_token, **context()}, request)
    typed = form.data.get("number", "") if form.is_bound else ""
    form_class = type(form)

    def build():
        parts = {"lookup_form": _markup(request, form_class(initial={"number": TYPED}) if typed else form_class())}
        if signed is not None:
            parts["subscribe_form"] = _markup(request, subscribe_class(initial={"number": SIGNED}))
        return render_to_string(template, part_context(**parts, **context()), request)

    values = {TYPED: typed, SIGNED: signed or "", CSRF_PLACEHOLDER: csrf_token, **(fill or {})}
    return cached_markup(name, bool(typed), signed is not None, *vary, build=build, fill=values)


def lookup_limited(request, template, wait):
    """The 429 page of a status lookup over its limit: how many minutes to wait, and ``Retry-After``."""
    response = render(request, template, {"minutes": -(-wait // 60)}, status=429)
    response["Retry-After"] = str(wait)
    return response

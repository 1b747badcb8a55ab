"""The forms of a tracked service's status page, rendered once per process and language
(``consular_portal/page_cache.py``) with this request's values written into them.

The lookup form shows the number as typed and the alert sign-up under an answer carries the signed number:
both are rendered with a placeholder in its place, and each request's value is escaped and written over it
(with the request's CSRF token in the sign-up form). A lookup form with an error is rendered, not cached.
"""

from django.shortcuts import render
from django.template.loader import render_to_string

from consular_portal.page_cache import cached_markup, part_context

TYPED = "number-typed-by-the-applicant"
SIGNED = "signed-number-of-the-answer"


def _markup(request, form):
    return render_to_string("uswds/crispy_form.html", part_context(form=form), request)


def lookup_form(request, name, form_class, form):
    """The markup of ``form`` (a ``form_class`` bound to the query, or not bound) as ``{% crispy form %}`` writes
    it, or None when it has errors (the page renders it)."""
    if form.errors:
        return None
    typed = form.data.get("number", "") if form.is_bound else ""
    if not typed:
        return cached_markup(f"{name}-blank", build=lambda: _markup(request, form_class()))
    return cached_markup(name, build=lambda: _markup(request, form_class(initial={"number": TYPED})),
                         fill={TYPED: typed})


def subscribe_form(request, name, form_class, signed):
    """The alert sign-up form, blank, with ``signed`` (the signed number of the answer) in its hidden field."""
    return cached_markup(name, build=lambda: _markup(request, form_class(initial={"number": SIGNED})),
                         request=request, fill={SIGNED: signed})


def lookup_limited(request, template, wait):
    """The 429 page of a status lookup over its limit: how many minutes to wait, and ``Retry-After``."""
    response = render(request, template, {"minutes": -(-wait // 60)}, status=429)
    response["Retry-After"] = str(wait)
    return response

"""Applicant pages of in-person appointment requests: the form and the applicant's view of one request."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_safe

from consular_portal.access import private_page
from consular_portal.models import Post
from consular_portal.page_cache import cached_markup, part_context
from consular_portal.post_choice import valid_slug
from consular_portal.submissions import accept

from .in_person_booking import in_person_submit
from .in_person_forms import InPersonRequestForm
from .in_person_links import in_person_from_token, in_person_path


def _post(slug):
    """The post of the URL if it offers appointments (its slots are where in-person visits are booked)."""
    post = Post.objects.filter(slug=slug).first() if valid_slug(slug) else None
    if post is None or not post.offers(Post.Service.EXPEDITE):
        raise Http404("this post books no appointments")
    return post


@private_page  # a POST shows back what the applicant typed
@require_http_methods(["GET", "POST"])
def in_person_form(request, post):
    post = _post(post)
    if request.method == "POST":
        form = InPersonRequestForm(request.POST, post=post)

        def submit():
            created = in_person_submit(post=post, fields=form.request_fields(), language=form.cleaned_data["language"])
            return redirect(in_person_path(created) + "?submitted=1")

        def page(status=None):
            return _render(request, post, form, status=400 if status is None else status)

        return accept(request, form, group="in-person", on_valid=submit, page=page)
    return _render(request, post, None, status=200, blank_form=_blank_form(request, post))


def _blank_form(request, post):
    """The form before anything is typed: the same for every post and visitor of a language (the post only
    checks the dates sent), so rendered once per process, language and release; the CSRF token is the
    request's own."""

    def build():
        form = InPersonRequestForm(initial={"language": (get_language() or "en").lower()}, post=post)
        return render_to_string("uswds/crispy_form.html", part_context(form=form), request)

    return cached_markup("in-person-form", build=build, request=request)


def _render(request, post, form, *, status, blank_form=None):
    return render(request, "appointments/in_person/form.html", {"post": post, "form": form, "blank_form": blank_form},
                  status=status)


@private_page
@require_safe
def in_person_detail(request, token):
    in_person = in_person_from_token(token)
    return render(request, "appointments/in_person/detail.html", {
        "request_obj": in_person,
        "post": in_person.post,
        "just_submitted": request.GET.get("submitted") == "1",
    })

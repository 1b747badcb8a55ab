"""Applicant pages of in-person appointment requests: the form and the applicant's view of one request."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_safe

from consular_portal.access import private_page
from consular_portal.models import Post
from consular_portal.page_cache import blank_form_page, prepared
from consular_portal.post_choice import valid_slug
from consular_portal.submissions import accept

from .in_person_booking import in_person_submit
from .in_person_forms import InPersonRequestForm
from .in_person_links import in_person_from_token, in_person_path

# The blank page's one query, compiled once per process: its name and services are all it shows of the post.
_page_post = prepared(lambda slug: Post.objects.order_by().filter(slug=slug).only("slug", "name", "services"))


def _post(slug, *, page=False):
    """The post of the URL if it offers appointments (its slots are where in-person visits are booked); for
    the blank ``page``, only what it shows."""
    post = None
    if valid_slug(slug):
        post = next(iter(_page_post(slug)), None) if page else Post.objects.filter(slug=slug).first()
    if post is None or not post.offers(Post.Service.EXPEDITE):
        raise Http404("this post books no appointments")
    return post


@private_page  # a POST shows back what the applicant typed
@require_http_methods(["GET", "POST"])
def in_person_form(request, post):
    post = _post(post, page=request.method != "POST")
    if request.method == "POST":
        form = InPersonRequestForm(request.POST, post=post)

        def submit():
            created = in_person_submit(post=post, fields=form.request_fields(), language=form.cleaned_data["language"])
            return redirect(in_person_path(created) + "?submitted=1")

        def page(status=None):
            return _render(request, post, form, status=400 if status is None else status)

        return accept(request, form, group="in-person", on_valid=submit, page=page)
    return _render(request, post, None, status=200, page=_blank_page(request, post))


def _blank_page(request, post):
    return blank_form_page(
        request, "in-person-page", post, template="appointments/in_person/form_content.html",
        make_form=lambda: InPersonRequestForm(initial={"language": (get_language() or "en").lower()}, post=post))


def _render(request, post, form, *, status, page=None):
    return render(request, "appointments/in_person/form.html", {"post": post, "form": form, "page": page},
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

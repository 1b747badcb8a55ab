"""Applicant pages of live-assistance requests: the form of a post and the applicant's view of one request."""

from django.conf import settings
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

from .assistance import assistance_submit, takes_live_assistance
from .assistance_forms import LiveAssistanceForm
from .assistance_links import assistance_from_token, assistance_path


def _post(slug):
    post = Post.objects.filter(slug=slug).first() if valid_slug(slug) else None
    if post is None or not takes_live_assistance(post):
        raise Http404("this post takes no live-assistance requests")
    return post


@private_page  # a POST shows back what the applicant typed
@require_http_methods(["GET", "POST"])
def request_form(request, post):
    post = _post(post)
    if request.method == "POST":
        form = LiveAssistanceForm(request.POST)

        def submit():
            created = assistance_submit(post=post, fields=form.request_fields(),
                                        language=form.cleaned_data["language"])
            return redirect(assistance_path(created) + "?submitted=1")

        def page(status=None):
            return _render(request, post, form, status=400 if status is None else status)

        return accept(request, form, group="live-assistance", on_valid=submit, page=page)
    return _render(request, post, None, status=200, blank_form=_blank_form(request))


def _blank_form(request):
    """The form before anything is typed: the same for every post and visitor of a language, so rendered once
    per process, language and release; the CSRF token is the request's own."""

    def build():
        form = LiveAssistanceForm(initial={"language": (get_language() or settings.LANGUAGE_CODE).lower()})
        return render_to_string("uswds/crispy_form.html", part_context(form=form), request)

    return cached_markup("live-assistance-form", build=build, request=request)


def _render(request, post, form, *, status, blank_form=None):
    return render(request, "inquiries/assistance/form.html", {"post": post, "form": form, "blank_form": blank_form},
                  status=status)


@private_page
@require_safe
def request_detail(request, token):
    assistance = assistance_from_token(token)
    return render(request, "inquiries/assistance/detail.html", {
        "request_obj": assistance,
        "post": assistance.post,
        "just_submitted": request.GET.get("submitted") == "1",
    })

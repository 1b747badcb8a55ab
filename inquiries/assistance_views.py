"""Applicant pages of live-assistance requests: the form of a post and the applicant's view of one request."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_safe

from consular_portal.access import private_page
from consular_portal.models import Post
from consular_portal.page_cache import blank_form_page, prepared
from consular_portal.post_choice import valid_slug
from consular_portal.submissions import accept

from .assistance import assistance_submit, takes_live_assistance
from .assistance_forms import LiveAssistanceForm
from .assistance_links import assistance_from_token, assistance_path

# The blank page's one query, compiled once per process: its name and services are all it shows of the post.
_page_post = prepared(lambda slug: Post.objects.order_by().filter(slug=slug).only("slug", "name", "services"))


def _post(slug, *, page=False):
    """The post of the URL if it takes live-assistance requests; for the blank ``page``, only what it shows."""
    post = None
    if valid_slug(slug):
        post = next(iter(_page_post(slug)), None) if page else Post.objects.filter(slug=slug).first()
    if post is None or not takes_live_assistance(post):
        raise Http404("this post takes no live-assistance requests")
    return post


@private_page  # a POST shows back what the applicant typed
@require_http_methods(["GET", "POST"])
def request_form(request, post):
    post = _post(post, page=request.method != "POST")
    if request.method == "POST":
        form = LiveAssistanceForm(request.POST)

        def submit():
            created = assistance_submit(post=post, fields=form.request_fields(),
                                        language=form.cleaned_data["language"])
            return redirect(assistance_path(created) + "?submitted=1")

        def page(status=None):
            return _render(request, post, form, status=400 if status is None else status)

        return accept(request, form, group="live-assistance", on_valid=submit, page=page)
    return _render(request, post, None, status=200, page=_blank_page(request, post))


def _blank_page(request, post):
    return blank_form_page(
        request, "live-assistance-page", post, template="inquiries/assistance/form_content.html",
        make_form=lambda: LiveAssistanceForm(initial={"language": (get_language() or settings.LANGUAGE_CODE).lower()}))


def _render(request, post, form, *, status, page=None):
    return render(request, "inquiries/assistance/form.html", {"post": post, "form": form, "page": page},
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

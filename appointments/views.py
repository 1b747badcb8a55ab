"""Applicant pages: who qualifies, the request form, and the applicant's view of one request."""

from functools import cached_property

from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_http_methods, require_safe

from consular_portal.access import private_page
from consular_portal.form_renderer import escaped
from consular_portal.models import Post
from consular_portal.page_cache import cached_markup, with_content_version
from consular_portal.post_choice import valid_slug
from consular_portal.regions import region_name
from consular_portal.submissions import accept
from consular_portal.templatetags.uswds_forms import layout_html, uswds_anchor

from .forms import DUPLICATE_MESSAGE, ExpediteRequestForm, initial_data, submission_key_form
from .links import request_from_token, request_path
from .member_forms import MEMBER_ROWS, MEMBER_ROWS_MAX, member_formset, member_helper
from .models import ExpeditePolicy, ExpediteRequest
from .submission import DuplicateRequest, DuplicateSubmission, request_submit

MORE_ROWS = 10


def _policy(slug):
    if not valid_slug(slug):
        raise Http404("no such post")
    # One query: the policy, its post and the content version of both and of the policy's rows, which keys
    # the cached parts of its pages; the rows themselves are read only to render a part not cached yet.
    try:
        policy = with_content_version(ExpeditePolicy.objects.select_related("post"), "post", "categories",
                                      "exclusions").get(post__slug=slug)
    except ExpeditePolicy.DoesNotExist:
        policy = None
    if policy is None or not policy.post.offers(Post.Service.EXPEDITE):
        raise Http404("this post takes no expedite requests")
    return policy


def _language():
    return (get_language() or "en").lower()


def _with_rows(policy):
    """The policy with its categories and exclusions read (two queries), for a page part not cached yet."""
    prefetch_related_objects([policy], "categories", "exclusions")
    return policy


class PolicyRows:
    """What the policy page shows of the policy's rows, read from the database only when its cached part
    is rendered."""

    def __init__(self, policy):
        self.policy = policy

    @cached_property
    def categories(self):
        return _with_rows(self.policy).active_categories()

    @cached_property
    def exclusions(self):
        return [e for e in _with_rows(self.policy).active_exclusions() if not e.only_alone]

    @cached_property
    def alone_exclusions(self):
        return [e for e in _with_rows(self.policy).active_exclusions() if e.only_alone]

    @cached_property
    def district(self):
        return [region_name(code) for code in self.policy.post.district_regions]


def policy_page(request, post):
    policy = _policy(post)
    return render(request, "appointments/policy.html", {"policy": policy, "post": policy.post,
                                                         "rows": PolicyRows(policy)})


def _member_rows(request):
    try:
        return min(max(int(request.GET.get("members", MEMBER_ROWS)), 1), MEMBER_ROWS_MAX)
    except ValueError:
        return MEMBER_ROWS


@private_page  # its hidden submission key is the applicant's own, and a POST shows back what they typed
@require_http_methods(["GET", "POST"])
def request_form(request, post):
    policy = _policy(post)
    if request.method == "POST":
        earlier = _already_submitted(request.POST.get("submission_key"))
        if earlier is not None:
            return redirect(request_path(earlier))
        if "more_members" in request.POST:
            return _more_member_rows(request, policy)
        form = ExpediteRequestForm(request.POST, request.FILES, policy=policy)
        members = member_formset(request.POST, post=policy.post,
                                 request_type=request.POST.get("request_type", "single"))

        def submit():
            try:
                created = request_submit(
                    post=policy.post,
                    fields=form.request_fields(),
                    members=members.members(),
                    documents=form.documents(),
                    language=form.cleaned_data["language"],
                    site_url=request.build_absolute_uri("/").rstrip("/"),
                    decision=form.decision,
                )
            except DuplicateSubmission as duplicate:
                return redirect(request_path(duplicate.existing))
            except DuplicateRequest:
                form.add_error(None, DUPLICATE_MESSAGE)
                return None
            return redirect(request_path(created) + "?submitted=1")

        def page(status=None):
            if status is None:  # an ineligible request is a complete answer, told why; other errors are a 400
                status = 200 if form.decision is not None and not form.decision.eligible else 400
            return _render_form(request, policy, form, members, status=status)

        return accept(request, form, formsets=[members], group="expedite", on_valid=submit, page=page)
    rows = _member_rows(request)

    def blank_fields():
        form = ExpediteRequestForm(initial=initial_data(_language()), policy=_with_rows(policy))
        return _fields_html(request, form, member_formset(post=policy.post, rows=rows), show_errors=True)

    # The blank form is the same for every applicant of the post: rendered once per process, language and
    # policy version; only the CSRF token and the submission key are written per request.
    fields = cached_markup("expedite-request-form", policy.post.slug, policy.content_version, rows,
                           build=blank_fields)
    return render(request, "appointments/request_form.html", {
        "policy": policy, "post": policy.post, "key_form": submission_key_form(), "fields": fields,
    })


def _fields_html(request, form, members, *, show_errors):
    """The form's fields, its group members and its buttons, inside the page's <form>. The fields are
    written in Python (``layout_html``: the markup ``{% crispy %}`` writes with the USWDS pack), so a form
    sent back with its errors costs one template here, however many fields and members it has."""
    helper = member_helper()
    form.helper.form_show_errors = helper.form_show_errors = show_errors
    member_fields = mark_safe("".join(  # noqa: S308 - layout_html escapes what it writes
        layout_html(member, helper, forloop={"counter": counter}) for counter, member in enumerate(members, 1)))
    return render_to_string("appointments/forms/request_fields.html", {
        "form_fields": format_html("{}{}\n", form.media, layout_html(form, form.helper)),
        "member_fields": format_html("{}\n{}\n", members.management_form, member_fields),
        "more_rows": members.total_form_count() < MEMBER_ROWS_MAX,
    }, request)


def _field_errors(form, prefix=""):
    """The error summary's items of a form's fields, in the fields' order: a link to each field with errors
    (``prefix`` before each message), a hidden field's message as text."""
    errors = form.errors
    items = []
    for name in form.fields:
        if name not in errors:
            continue
        field = form[name]
        for error in field.errors:
            if field.is_hidden:
                items.append(f"<li>{escaped(error)}</li>")
            else:
                items.append(f'<li><a href="#{escaped(uswds_anchor(field))}">{prefix}{escaped(error)}</a></li>')
    return "".join(items)


def _error_summary(form, members):
    """The parts of ``error_summary.html`` that go through every field, written in Python."""
    member = escaped(gettext("Group member"))
    return {
        "field_errors": mark_safe(_field_errors(form)),  # noqa: S308 - escaped above
        "member_errors": mark_safe("".join(  # noqa: S308 - escaped above
            _field_errors(member_form, f"{member} {counter}: ")
            for counter, member_form in enumerate(members, 1) if member_form.errors)),
    }


def _render_form(request, policy, form, members, *, status, show_errors=True):
    return render(request, "appointments/request_form.html", {
        **(_error_summary(form, members) if show_errors else {}),
        "policy": policy,
        "post": policy.post,
        "form": form,
        "key_form": form,
        "members": members,
        "fields": _fields_html(request, form, members, show_errors=show_errors),
        "show_errors": show_errors,
        "decision": form.decision,
        "files_dropped": request.method == "POST",  # a page sent back never holds the files chosen
    }, status=status)


def _more_member_rows(request, policy):
    """The same page with more member rows and everything typed so far (files aside), checked only on send."""
    data = request.POST.copy()
    try:
        rows = int(data.get("members-TOTAL_FORMS", MEMBER_ROWS))
    except ValueError:
        rows = MEMBER_ROWS
    data["members-TOTAL_FORMS"] = str(min(max(rows, 0) + MORE_ROWS, MEMBER_ROWS_MAX))
    form = ExpediteRequestForm(data, policy=policy)
    members = member_formset(data, post=policy.post, request_type=data.get("request_type", "single"))
    return _render_form(request, policy, form, members, status=200, show_errors=False)


def _already_submitted(key):
    if not key:
        return None
    try:
        return ExpediteRequest.objects.filter(submission_key=key).first()
    except ValidationError:  # a malformed key is just not a known one
        return None


@private_page
@require_safe
def request_detail(request, token):
    expedite = request_from_token(token)
    return render(request, "appointments/request_detail.html", {
        "request_obj": expedite,
        "post": expedite.post,
        "members": expedite.members.all(),
        "just_submitted": request.GET.get("submitted") == "1",
    })

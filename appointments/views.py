"""Applicant pages: who qualifies, the request form, and the applicant's view of one request."""

import uuid
from functools import cached_property
from urllib.parse import urlencode

from django.db import transaction
from django.db.models import F, Subquery, prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_http_methods, require_safe

from consular_portal.access import private_page
from consular_portal.form_renderer import escaped
from consular_portal.models import Post
from consular_portal.page_cache import cached_markup, content_version_of, prepared, with_content_version
from consular_portal.post_choice import valid_slug
from consular_portal.regions import region_name
from consular_portal.submissions import accept
from consular_portal.templatetags.uswds_forms import layout_html, uswds_anchor

from .forms import (
    CARRIED_FIELDS,
    DUPLICATE_MESSAGE,
    ExpediteRequestForm,
    QualifyingForm,
    initial_data,
    submission_key_form,
)
from .links import request_from_token, request_path
from .member_forms import MEMBER_ROWS, MEMBER_ROWS_MAX, kept_markup, member_formset, member_helper
from .models import ExpeditePolicy, ExpediteRequest
from .proof_drafts import PROOF_FIELDS, REMOVE_FIELD, TOO_MANY_PAGES, KeptProof, draft_from_form
from .submission import DuplicateRequest, DuplicateSubmission, request_submit

MORE_ROWS = 10


def _policy(slug, *, submission_key=None):
    """The post's policy, or 404. With a form's ``submission_key``, ``earlier_request_id`` is the request
    already sent with that key (None when there is none), read in the same query."""
    if not valid_slug(slug):
        raise Http404("no such post")
    # One query: the policy, its post and the content version of both and of the policy's rows, which keys
    # the cached parts of its pages; the rows themselves are read only to render a part not cached yet.
    queryset = with_content_version(ExpeditePolicy.objects.select_related("post"), "post", "categories",
                                    "exclusions")
    if submission_key is not None:
        queryset = queryset.annotate(earlier_request_id=Subquery(
            ExpediteRequest.objects.filter(submission_key=submission_key).values("pk")[:1]))
    try:
        policy = queryset.get(post__slug=slug)
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
    """What the policy page shows of the policy and its rows, read from the database only when its cached
    part is rendered (the policy with its post, then its categories and exclusions)."""

    def __init__(self, post):
        self.post = post  # from ``_policy_post``: with the id and content version of its policy

    @cached_property
    def policy(self):
        return _with_rows(ExpeditePolicy.objects.select_related("post").get(pk=self.post.policy_id))

    @cached_property
    def categories(self):
        return self.policy.active_categories()

    @cached_property
    def exclusions(self):
        return [e for e in self.policy.active_exclusions() if not e.only_alone]

    @cached_property
    def alone_exclusions(self):
        return [e for e in self.policy.active_exclusions() if e.only_alone]

    @cached_property
    def district(self):
        return [region_name(code) for code in self.policy.post.district_regions]


# The policy page's one query, compiled once per process: the post's name and services, and the id and
# content version of its policy (of the policy, its post, its categories and its exclusions).
_policy_post = prepared(lambda slug: Post.objects.order_by().filter(slug=slug, expedite_policy__isnull=False)
                        .only("slug", "name", "services")
                        .annotate(policy_id=F("expedite_policy__id"),
                                  content_version=content_version_of(ExpeditePolicy, "post", "categories",
                                                                     "exclusions")))


def policy_page(request, post):
    post = next(iter(_policy_post(post)), None) if valid_slug(post) else None
    if post is None or not post.offers(Post.Service.EXPEDITE):
        raise Http404("this post takes no expedite requests")
    return render(request, "appointments/policy.html", {"post": post, "rows": PolicyRows(post)})


ANSWERED = "answered"  # the first step's hidden marker: its answers were sent, not only carried back to change


@private_page  # it shows back what the applicant answered
@require_safe
def request_check(request, post):
    """The request form's first step: the qualifying questions, answered at once. An applicant who could
    qualify goes on to the full form with the answers carried in its address; one who cannot is told why
    and what to do instead, without filling the long form."""
    policy = _with_rows(_policy(post))
    if ANSWERED not in request.GET:  # the blank step, or the answers carried back from the form to change
        form = QualifyingForm(initial=request.GET.dict(), policy=policy)
        return _render_check(request, policy, form, status=200)
    form = QualifyingForm(request.GET, policy=policy)
    if not form.is_valid():
        return _render_check(request, policy, form, status=400)
    if form.decision.eligible:
        return redirect(_form_url(policy, form))
    return _render_check(request, policy, form, status=200)


def _render_check(request, policy, form, *, status):
    return render(request, "appointments/request_check.html", {
        "policy": policy, "post": policy.post, "form": form, "decision": form.decision,
        "answered": ANSWERED, "change_url": _check_url(policy, form) if form.is_bound else "",
    }, status=status)


def _form_url(policy, answers):
    return f"{reverse('appointments:request_form', args=[policy.post.slug])}?{urlencode(answers.answers())}"


def _check_url(policy, answers):
    query = urlencode({k: v for k, v in answers.data.items() if k != ANSWERED}) if answers.is_bound else ""
    return f"{reverse('appointments:request_check', args=[policy.post.slug])}?{query}"


def _first_step(request, policy):
    """The first step's answers carried in the form's address, checked again (a valid QualifyingForm whose
    decision is eligible), None when none are carried, or False when they do not qualify."""
    if "category" not in request.GET:
        return None
    answers = QualifyingForm(request.GET, policy=_with_rows(policy))
    if not answers.is_valid() or not answers.decision.eligible:
        return False
    return answers


def _first_step_context(policy, answers):
    if not answers:
        return {}
    return {"answers": answers.summary(), "change_url": _check_url(policy, answers)}


def _member_rows(request):
    try:
        return min(max(int(request.GET.get("members", MEMBER_ROWS)), 1), MEMBER_ROWS_MAX)
    except ValueError:
        return MEMBER_ROWS


@private_page  # its hidden submission key is the applicant's own, and a POST shows back what they typed
@require_http_methods(["GET", "POST"])
def request_form(request, post):
    if request.method == "POST":
        submission_key = _submission_key(request.POST.get("submission_key"))
        policy = _policy(post, submission_key=submission_key)
        if getattr(policy, "earlier_request_id", None) is not None:  # sent twice: the request sent first
            return redirect(request_path(ExpediteRequest.objects.get(pk=policy.earlier_request_id)))
        # The proof kept when this form last came back (``proof_drafts``), less what the applicant removed.
        kept = KeptProof(draft_from_form(request.POST, post=policy.post, submission_key=submission_key),
                         remove=request.POST.getlist(REMOVE_FIELD))
        if "more_members" in request.POST:
            kept.keep_uploads(request.FILES, post=policy.post, submission_key=submission_key)
            return _more_member_rows(request, policy, kept)
        carried = CARRIED_FIELDS if "category" in request.GET else ()
        form = ExpediteRequestForm(request.POST, request.FILES, policy=policy, carried=carried)
        kept.excuse(form)
        members = member_formset(request.POST, post=policy.post,
                                 request_type=request.POST.get("request_type", "single"))

        def submit():
            documents = kept.documents(form)
            if kept.too_many_pages(documents):  # a kept page and a new one (the form counts two new ones)
                form.add_error("proof_second_page", TOO_MANY_PAGES)
                return None
            try:
                with transaction.atomic():  # the kept files become the request's, and the draft goes with them
                    created = request_submit(
                        post=policy.post,
                        fields=form.request_fields(),
                        members=members.members(),
                        documents=documents,
                        language=form.cleaned_data["language"],
                        site_url=request.build_absolute_uri("/").rstrip("/"),
                        decision=form.decision,
                    )
                    kept.sent()
            except DuplicateSubmission as duplicate:
                return redirect(request_path(duplicate.existing))
            except DuplicateRequest:
                form.add_error(None, DUPLICATE_MESSAGE)
                return None
            return redirect(request_path(created) + "?submitted=1")

        def page(status=None):
            if status is None:  # an ineligible request is a complete answer, told why; other errors are a 400
                status = 200 if form.decision is not None and not form.decision.eligible else 400
            cleaned = getattr(form, "cleaned_data", {})  # the proof files the form checked and accepted
            kept.keep({name: cleaned.get(name) for name in PROOF_FIELDS}, post=policy.post,
                      submission_key=submission_key)
            kept.restore(form)
            return _render_form(request, policy, form, members, status=status, kept=kept,
                                extra=_first_step_context(policy, _first_step(request, policy)))

        return accept(request, form, formsets=[members], group="expedite", on_valid=submit, page=page)
    policy = _policy(post)
    rows = _member_rows(request)
    answers = _first_step(request, policy)
    if answers is False:  # answers changed in the address that do not qualify: the first step says why
        return redirect(f"{reverse('appointments:request_check', args=[post])}?{request.GET.urlencode()}"
                        f"&{ANSWERED}=1")
    carried = {name: answers.cleaned_data[name] for name in CARRIED_FIELDS if name in answers.fields} \
        if answers else {}

    def blank_fields():
        form = ExpediteRequestForm(initial={**initial_data(_language()), **carried}, policy=_with_rows(policy),
                                   carried=tuple(carried))
        return _fields_html(request, form, member_formset(post=policy.post, rows=rows), show_errors=True)

    # The blank form is the same for every applicant of the post and first-step answers: rendered once per
    # process, language and policy version; only the CSRF token and the submission key are written per request.
    fields = cached_markup("expedite-request-form", policy.post.slug, policy.content_version, rows,
                           *sorted(carried.items()), build=blank_fields)
    return render(request, "appointments/request_form.html", {
        "policy": policy, "post": policy.post, "key_form": submission_key_form(), "fields": fields,
        **_first_step_context(policy, answers),
    })


# Placeholders of the request form's cached frames (``cached_markup(..., fill=...)``), where each request's
# fields and error messages are written.
FORM_FIELDS, MEMBER_FIELDS = "form-fields-of-the-request", "member-fields-of-the-request"
SUMMARY_PARTS = ("non-field-errors-of-the-request", "field-errors-of-the-request",
                 "non-form-errors-of-the-request", "member-errors-of-the-request")


def _fields_html(request, form, members, *, show_errors, kept_proof=""):
    """The form's fields, its group members and its buttons, inside the page's <form>. The fields are
    written in Python (``layout_html``: the markup ``{% crispy %}`` writes with the USWDS pack), the fields
    left empty and the member rows left empty from the markup kept for the form's definition, so a form sent
    back with its errors writes only what was typed and the messages; the frame around them is rendered once
    per process and language. ``kept_proof`` (the files kept of an earlier try) is written above the proof
    fields."""
    helper, kept = member_helper(), kept_markup()
    form.helper.form_show_errors = helper.form_show_errors = show_errors
    member_fields = mark_safe("".join(  # noqa: S308 - layout_html escapes what it writes
        layout_html(member, helper, forloop={"counter": counter}, kept=kept)
        for counter, member in enumerate(members, 1)))
    more_rows = members.total_form_count() < MEMBER_ROWS_MAX
    return cached_markup(
        "expedite-request-fields", more_rows,
        build=lambda: render_to_string("appointments/forms/request_fields.html", {
            "form_fields": FORM_FIELDS, "member_fields": MEMBER_FIELDS, "more_rows": more_rows}),
        fill={FORM_FIELDS: format_html("{}{}\n", _media(form), _with_kept_proof(
                  layout_html(form, form.helper, kept=form.kept_markup), kept_proof)),
              MEMBER_FIELDS: format_html("{}\n{}\n", members.management_form, member_fields)},
    )


PROOF_FIELD_MARKUP = '<div id="div_id_proof"'


def _with_kept_proof(fields, kept_proof):
    """The form's fields with the kept files written first in the proof's fieldset (or first of all, should
    the proof field not be written)."""
    if not kept_proof:
        return fields
    before, found, after = str(fields).partition(PROOF_FIELD_MARKUP)
    if not found:
        return mark_safe(f"{kept_proof}{fields}")  # noqa: S308 - both written escaped
    return mark_safe(f"{before}{kept_proof}{found}{after}")  # noqa: S308 - both written escaped


def _media(form):
    """The form's media (none, but asked of its 56 widgets), once per form definition."""
    if form.kept_markup is None:
        return form.media
    media = form.kept_markup.get("media")
    if media is None:
        media = form.kept_markup["media"] = str(form.media)
    return mark_safe(media)  # noqa: S308 - Media writes escaped tags


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
    """The error summary at the top of the page (``error_summary.html``, rendered once per process and
    language with placeholders), with a link to each field with errors; nothing when there are none."""
    non_form_errors = members.non_form_errors()
    if not (form.errors or non_form_errors or members.total_error_count()):
        return ""
    member = escaped(gettext("Group member"))
    parts = (
        "".join(f"<li>{escaped(error)}</li>" for error in form.non_field_errors()),
        _field_errors(form),
        "".join(f'<li><a href="#group-members">{escaped(error)}</a></li>' for error in non_form_errors),
        "".join(_field_errors(member_form, f"{member} {counter}: ")
                for counter, member_form in enumerate(members, 1) if member_form.errors),
    )
    return cached_markup(
        "expedite-error-summary",
        build=lambda: render_to_string("appointments/forms/error_summary.html", dict(zip(
            ("non_field_errors", "field_errors", "non_form_errors", "member_errors"), SUMMARY_PARTS,
            strict=True))),
        fill={placeholder: mark_safe(part)  # noqa: S308 - escaped above
              for placeholder, part in zip(SUMMARY_PARTS, parts, strict=True)},
    )


def _render_form(request, policy, form, members, *, status, show_errors=True, kept=None, extra=None):
    return render(request, "appointments/request_form.html", {
        **(extra or {}),
        "error_summary": _error_summary(form, members) if show_errors else "",
        "policy": policy,
        "post": policy.post,
        "key_form": form,
        "fields": _fields_html(request, form, members, show_errors=show_errors,
                               kept_proof=kept.html() if kept is not None else ""),
        "decision": form.decision,
    }, status=status)


def _more_member_rows(request, policy, kept):
    """The same page with more member rows, everything typed so far and the proof kept, checked only on send."""
    data = request.POST.copy()
    try:
        rows = int(data.get("members-TOTAL_FORMS", MEMBER_ROWS))
    except ValueError:
        rows = MEMBER_ROWS
    data["members-TOTAL_FORMS"] = str(min(max(rows, 0) + MORE_ROWS, MEMBER_ROWS_MAX))
    form = ExpediteRequestForm(data, policy=policy, carried=CARRIED_FIELDS if "category" in request.GET else ())
    members = member_formset(data, post=policy.post, request_type=data.get("request_type", "single"))
    return _render_form(request, policy, form, members, status=200, show_errors=False, kept=kept,
                        extra=_first_step_context(policy, _first_step(request, policy)))


def _submission_key(key):
    """The submission key a form was sent with, or None: none, or a malformed one, is just not a known one."""
    try:
        return uuid.UUID(key) if key else None
    except ValueError:
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

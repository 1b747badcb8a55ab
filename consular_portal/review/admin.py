"""The officers' queue of a reviewed model and its decision view.

``ReviewAdmin`` extends ``PostScopedAdmin``, so the decision URL it adds answers 404 outside the officer's
posts like every other URL of the admin. The concrete admin declares ``decisions`` (for each status it may
move to: the action's value and label) and one handler per action, ``decide_<action>(request, obj, data)``,
which calls the service's function. The form offers only the decisions allowed from the current status.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from consular_portal.scoping import PostScopedAdmin

from .models import InvalidTransition


class DecisionForm(forms.Form):
    """Only the decisions allowed from the submission's current status are offered."""

    action = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note to the applicant"), widget=forms.Textarea(attrs={"rows": 3}),
                           required=False, max_length=2000)

    def __init__(self, *args, request_obj, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.request_obj = request_obj
        self.fields["action"].choices = actions


class QueueFilter(admin.SimpleListFilter):
    """Open submissions by default: the queue."""

    parameter_name = "queue"

    def __init__(self, request, params, model, model_admin):
        self.title = model._meta.get_field("status").verbose_name
        self.model = model
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return [("all", _("All")), *self.model._meta.get_field("status").choices]

    def choices(self, changelist):
        value = self.value()
        yield {"selected": value is None, "query_string": changelist.get_query_string(remove=[self.parameter_name]),
               "display": _("Open (the queue)")}
        for lookup, title in self.lookup_choices:
            yield {"selected": value == str(lookup),
                   "query_string": changelist.get_query_string({self.parameter_name: lookup}), "display": title}

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset.filter(status__in=self.model.open_statuses())
        if value == "all":
            return queryset
        return queryset.filter(status=value)


class ReviewAdmin(PostScopedAdmin):
    """A reviewed model's admin: read-only rows that change only through decisions."""

    decisions = {}  # status moved to: (action, label); the handler is decide_<action>
    decision_form = DecisionForm

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # submissions change only through decisions

    def has_decide_permission(self, request):
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.decide_{opts.model_name}")

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj):
        return obj.is_overdue()

    def _url_name(self, view):
        opts = self.model._meta
        return f"{opts.app_label}_{opts.model_name}_{view}"

    def get_urls(self):
        decide = path("<int:pk>/decide/", self.admin_site.admin_view(self.decide_view), name=self._url_name("decide"))
        return [decide, *super().get_urls()]

    def visible_object(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def decision_actions(self, obj):
        return [self.decisions[to] for to in obj.allowed_transitions() if to in self.decisions]

    def get_decision_form(self, request, obj, data=None):
        return self.decision_form(data, request_obj=obj, actions=self.decision_actions(obj))

    def decide_view(self, request, pk):
        obj = self.visible_object(request, pk)
        if not self.has_decide_permission(request) or request.method != "POST":
            raise PermissionDenied
        change_url = reverse(f"admin:{self._url_name('change')}", args=[pk])
        form = self.get_decision_form(request, obj, request.POST)
        if not form.is_valid():
            return self._decision_again(request, pk, form)
        try:
            getattr(self, f"decide_{form.cleaned_data['action']}")(request, obj, form.cleaned_data)
        except ValidationError as exc:  # the handler's way of saying "this field, try again"
            form.add_error(None, exc)
            return self._decision_again(request, pk, form)
        except InvalidTransition:
            messages.error(request, _("This request was decided by someone else in the meantime."))
            return redirect(change_url)
        messages.success(request, _("Decision recorded for %(reference)s.") % {"reference": obj.reference})
        return redirect(change_url)

    def _decision_again(self, request, pk, form):
        return self.changeform_view(request, str(pk), extra_context={"decision_form": form})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if object_id is not None and request.method == "GET" or "decision_form" in extra_context:
            obj = self.visible_object(request, object_id)
            extra_context.update(self.review_context(request, obj, extra_context.get("decision_form")))
            request.method = "GET"  # a failed decision re-renders the page, it saves nothing here
        return super().changeform_view(request, object_id, form_url, extra_context)

    def review_context(self, request, obj, form=None):
        """The review block of the change page: the decision form (if there is one to take), the history."""
        can_decide = self.has_decide_permission(request) and bool(self.decision_actions(obj))
        if form is None and can_decide:
            form = self.get_decision_form(request, obj)
        return {
            "reviewed": obj,
            "decision_form": form if can_decide else None,
            "decide_url": reverse(f"admin:{self._url_name('decide')}", args=[obj.pk]),
            "events": obj.events.select_related("actor"),
            "overdue": obj.is_overdue(),
            **self.extra_review_context(request, obj),
        }

    def extra_review_context(self, request, obj):
        """What else the concrete admin shows beside the decision."""
        return {}

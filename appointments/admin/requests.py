import datetime as dt

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from consular_portal.scoping import PostFilter, PostScopedAdmin, visible_posts

from .. import booking
from ..models import ExpediteCategory, ExpediteRequest, InvalidTransition
from ..search import requests_search
from ..submission import earlier_expedite_reasons, earlier_expedites
from .forms import SLOT_FULL, DecisionForm

Status = ExpediteRequest.Status


class QueueFilter(admin.SimpleListFilter):
    """Open requests by default: the queue."""

    title = pgettext_lazy("expedite request", "status")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("all", _("All")), *Status.choices]

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
            return queryset.filter(status__in=ExpediteRequest.OPEN)
        if value == "all":
            return queryset
        return queryset.filter(status=value)


class CategoryFilter(admin.SimpleListFilter):
    title = _("category")
    parameter_name = "category"

    def lookups(self, request, model_admin):
        categories = ExpediteCategory.objects.filter(policy__post__in=visible_posts(request.user)).select_related(
            "policy__post")
        return [(str(c.pk), f"{c.policy.post.name}: {c.name}") for c in categories]

    def queryset(self, request, queryset):
        return queryset.filter(category_id=self.value()) if self.value() else queryset


class TravelWindowFilter(admin.SimpleListFilter):
    title = _("travel")
    parameter_name = "travel"

    def lookups(self, request, model_admin):
        return [("7", _("within 7 days")), ("14", _("within 14 days")), ("30", _("within 30 days")),
                ("later", _("later than 30 days"))]

    def queryset(self, request, queryset):
        today = timezone.now().date()
        if self.value() in ("7", "14", "30"):
            return queryset.filter(travel_date__lte=today + dt.timedelta(days=int(self.value())))
        if self.value() == "later":
            return queryset.filter(travel_date__gt=today + dt.timedelta(days=30))
        return queryset


@admin.register(ExpediteRequest)
class ExpediteRequestAdmin(PostScopedAdmin):
    """The officers' queue: open requests, most urgent first (travel date, then age)."""

    list_display = ["reference", "full_name", "post", "category_name", "status", "travel_date", "promised_by",
                    "overdue", "is_group", "previous_expedite_flag", "created_at"]
    list_filter = [QueueFilter, PostFilter, CategoryFilter, TravelWindowFilter, "is_group"]
    list_select_related = ["post", "category"]
    search_fields = ["=reference", "=passport_number", "full_name", "organisation"]
    ordering = ["travel_date", "created_at"]
    show_full_result_count = False
    list_per_page = 50
    change_form_template = "admin/appointments/expediterequest/change_form.html"
    fieldsets = [
        (pgettext_lazy("noun", "Request"), {"fields": [
            "reference", "post", "category", "status", "language", "is_group", "travel_date", "program_start_date",
            "excluded_purposes", "justification", "us_company_request", "category_confirmed",
        ]}),
        (_("Applicant"), {"fields": ["full_name", "date_of_birth", "passport_number", "visa_class", "ds160_number",
                                     "phone", "email"]}),
        (_("Current appointment"), {"fields": ["interview_at", "appointment_number"]}),
        (_("Previous US visas"), {"fields": ["previous_visa", "previous_visa_date", "previous_visa_place",
                                             "previous_visa_class", "previous_visas_notes",
                                             "previous_expedite_declared", "previous_expedite_flag"]}),
        (_("Residence and work"), {"fields": ["residence_region", "resided_in_district", "residence_places",
                                              "work_places", "renewal_eligible"]}),
        (_("Group"), {"fields": ["organisation", "organiser_name", "organiser_phone", "organiser_email"]}),
        (_("Decision"), {"fields": ["promised_by", "slot", "decided_by", "decided_at", "refusal_reason",
                                    "decision_note", "created_at"]}),
    ]

    def get_search_results(self, request, queryset, search_term):
        return requests_search(queryset, search_term), False

    def get_readonly_fields(self, request, obj=None):
        return [f for fieldset in self.fieldsets for f in fieldset[1]["fields"]]

    @admin.display(description=_("category"), ordering="category__name")
    def category_name(self, obj):
        return obj.category.name

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj):
        return obj.is_overdue()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # requests change only through decisions

    def get_urls(self):
        urls = super().get_urls()
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/decide/", view(self.decide_view), name="appointments_expediterequest_decide"),
            path("<int:pk>/documents/<int:document_pk>/", view(self.document_view),
                 name="appointments_expediterequest_document"),
            *urls,
        ]

    def _visible(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def document_view(self, request, pk, document_pk):
        """Proof opens only for staff who may see the request; never from a public URL."""
        expedite = self._visible(request, pk)
        if not request.user.has_perm("appointments.view_supportingdocument"):
            raise PermissionDenied
        document = get_object_or_404(expedite.documents, pk=document_pk)
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404("the file is missing") from exc
        response = FileResponse(handle, content_type=document.content_type, as_attachment=False,
                                filename=f"{expedite.reference}-{document.pk}{document.extension}")
        response["Cache-Control"] = "private, no-store"
        response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; object-src 'self'"
        return response

    def decide_view(self, request, pk):
        expedite = self._visible(request, pk)
        if not request.user.has_perm("appointments.decide_expediterequest") or request.method != "POST":
            raise PermissionDenied
        change_url = reverse("admin:appointments_expediterequest_change", args=[pk])
        form = DecisionForm(request.POST, request_obj=expedite)
        if not form.is_valid():
            return self.changeform_view(request, str(pk), extra_context={"decision_form": form})
        data = form.cleaned_data
        try:
            if data["action"] == "review":
                booking.request_start_review(request=expedite, officer=request.user)
            elif data["action"] == "approve":
                booking.request_approve(request=expedite, officer=request.user, slot=data["slot"])
            elif data["action"] == "refuse":
                booking.request_refuse(request=expedite, officer=request.user, reason=data["refusal_reason"],
                                       note=data["note"])
            else:
                booking.request_withdraw(request=expedite, actor=request.user)
        except booking.SlotFull:
            form.add_error("slot", SLOT_FULL)
            return self.changeform_view(request, str(pk), extra_context={"decision_form": form})
        except InvalidTransition:
            messages.error(request, _("This request was decided by someone else in the meantime."))
            return redirect(change_url)
        messages.success(request, _("Decision recorded for %(reference)s.") % {"reference": expedite.reference})
        return redirect(change_url)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if object_id is not None and request.method == "GET" or "decision_form" in extra_context:
            expedite = self._visible(request, object_id)
            extra_context.update(self._review_context(request, expedite, extra_context.get("decision_form")))
            request.method = "GET"  # a failed decision re-renders the page, it saves nothing here
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _review_context(self, request, expedite, form=None):
        can_decide = request.user.has_perm("appointments.decide_expediterequest")
        if form is None and can_decide and expedite.allowed_transitions():
            form = DecisionForm(request_obj=expedite, suggested=booking.slot_suggest(request=expedite))
        visible = self.get_queryset(request).exclude(pk=expedite.pk).select_related("post", "category")
        earlier = visible.filter(passport_number=expedite.passport_number).order_by("-created_at")[:20]
        expedites = earlier_expedites(passport_number=expedite.passport_number, organisation=expedite.organisation,
                                      organiser_email=expedite.organiser_email, exclude=expedite)
        shown = list(visible.filter(pk__in=expedites.values("pk")).order_by("-decided_at")[:20])
        return {
            "expedite": expedite,
            "decision_form": form if can_decide and expedite.allowed_transitions() else None,
            "decide_url": reverse("admin:appointments_expediterequest_decide", args=[expedite.pk]),
            "documents": [
                (d, reverse("admin:appointments_expediterequest_document", args=[expedite.pk, d.pk]))
                for d in expedite.documents.all()
            ],
            "members": expedite.members.all(),
            "events": expedite.events.select_related("actor"),
            "earlier": earlier,
            "earlier_expedites": [(other, earlier_expedite_reasons(expedite, other)) for other in shown],
            "earlier_expedites_elsewhere": expedites.count() - len(shown),
            "overdue": expedite.is_overdue(),
        }

    actions = ["send_new_link"]

    def has_decide_permission(self, request):
        return request.user.has_perm("appointments.decide_expediterequest")

    @admin.action(description=_("Send the applicant a new link"), permissions=["decide"])
    def send_new_link(self, request, queryset):
        """For an applicant who lost the email or whose link reached someone else: earlier links close."""
        for expedite in queryset:
            booking.request_link_renew(request=expedite, actor=request.user)
            messages.success(request, _("A new link was emailed for %(reference)s; earlier links no longer open it.")
                             % {"reference": expedite.reference})

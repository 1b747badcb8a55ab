import datetime as dt

from django.contrib import admin, messages
from django.contrib.admin.utils import display_for_field, display_for_value, label_for_field, lookup_field
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from consular_portal.review.admin import QueueFilter, ReviewAdmin
from consular_portal.scoping import PostFilter, sees_all_posts, visible_posts

from .. import booking
from ..models import ExpediteCategory, ExpediteRequest
from ..search import requests_search
from ..submission import earlier_expedite_reasons, earlier_expedites
from . import display
from .appointment_changes import AppointmentChangesAdmin
from .forms import SLOT_FULL, DecisionForm

Status = ExpediteRequest.Status


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
class ExpediteRequestAdmin(AppointmentChangesAdmin, ReviewAdmin):
    """The officers' queue: open requests, most urgent first (travel date, then age)."""

    decisions = {
        Status.UNDER_REVIEW: ("review", _("Start the review")),
        Status.APPROVED: ("approve", _("Approve and book the slot")),
        Status.REFUSED: ("refuse", _("Refuse")),
        Status.WITHDRAWN: ("withdraw", _("Record that the applicant withdrew")),
        Status.CANCELLED: ("cancel", _("Cancel the appointment")),
    }
    decision_form = DecisionForm

    # The promised date and the overdue flag early: at 1280 px, beside the menu and the filters, they are in view.
    list_display = ["reference", "full_name", "promised_by", "overdue", "status_label", "travel_date", "post",
                    "category_name", "is_group", "previous_expedite_flag", "received"]
    list_filter = [QueueFilter, PostFilter, CategoryFilter, TravelWindowFilter, "is_group"]
    list_select_related = ["post", "category"]
    search_fields = ["=reference", "=passport_number", "full_name", "organisation"]
    ordering = ["travel_date", "created_at"]
    show_full_result_count = False
    list_per_page = 50
    change_form_template = "admin/appointments/expediterequest/change_form.html"
    object_history_template = "admin/appointments/expediterequest/object_history.html"
    # Codes and instants are shown through the display methods below: names, and the post's local time.
    fieldsets = [
        (pgettext_lazy("noun", "Request"), {"fields": [
            "reference", "post", "category", "status", "language_name", "is_group", "travel_date",
            "program_start_date", "purposes", "justification", "us_company_request", "category_confirmed",
        ]}),
        (_("Applicant"), {"fields": ["full_name", "date_of_birth", "passport_number", "visa_class", "ds160_number",
                                     "phone", "email"]}),
        (_("Current appointment"), {"fields": ["interview_local", "appointment_number"]}),
        (_("Previous US visas"), {"fields": ["previous_visa", "previous_visa_date", "previous_visa_place",
                                             "previous_visa_class", "previous_visas_notes",
                                             "previous_expedite_declared", "previous_expedite_flag"]}),
        (_("Residence and work"), {"fields": ["region", "resided_in_district", "residence_places",
                                              "work_places", "renewal_eligible"]}),
        (_("Group"), {"fields": ["organisation", "organiser_name", "organiser_phone", "organiser_email"]}),
        (_("Decision"), {"fields": ["promised_by", "slot_local", "decided_by", "decided_local", "refusal_reason",
                                    "decision_note", "created_local"]}),
    ]
    # What an officer decides on, shown first on the review page beside the decision (the rest follows).
    decision_facts = ["category", "travel_date", "program_start_date", "justification", "purposes",
                      "us_company_request", "category_confirmed", "visa_class", "interview_local", "region",
                      "resided_in_district", "renewal_eligible", "previous_visa", "previous_visa_date",
                      "previous_expedite_declared", "organisation", "language_name"]

    def get_list_display(self, request):
        """An officer of one post needs no post column: the room goes to the promised date and the overdue flag."""
        columns = super().get_list_display(request)
        if not sees_all_posts(request.user) and visible_posts(request.user).count() <= 1:
            columns = [c for c in columns if c != "post"]
        return columns

    def shown(self, value):
        """A display method's value, or the admin's mark for "nothing" (a read-only method would show "None")."""
        return self.get_empty_value_display() if value is None else value

    @admin.display(description=pgettext_lazy("expedite request", "status"), ordering="status")
    def status_label(self, obj):
        return capfirst(obj.get_status_display())

    @admin.display(description=_("received (post's date)"), ordering="created_at")
    def received(self, obj):
        return display.post_date(obj.post, obj.created_at)

    @admin.display(description=_("language"))
    def language_name(self, obj):
        return self.shown(display.language_name(obj.language))

    @admin.display(description=_("region of residence"))
    def region(self, obj):
        return self.shown(display.region_label(obj.residence_region))

    @admin.display(description=_("also travelling for"))
    def purposes(self, obj):
        return self.shown(display.purposes_label(obj))

    @admin.display(description=_("original interview"))
    def interview_local(self, obj):
        return self.shown(display.post_time(obj.post, obj.interview_at))

    @admin.display(description=_("appointment"))
    def slot_local(self, obj):
        return self.shown(display.post_time(obj.post, obj.slot.starts_at) if obj.slot_id else None)

    @admin.display(description=_("decided"))
    def decided_local(self, obj):
        return self.shown(display.post_time(obj.post, obj.decided_at))

    @admin.display(description=_("created"))
    def created_local(self, obj):
        return self.shown(display.post_time(obj.post, obj.created_at))

    def get_search_results(self, request, queryset, search_term):
        return requests_search(queryset, search_term), False

    def get_readonly_fields(self, request, obj=None):
        return [f for fieldset in self.fieldsets for f in fieldset[1]["fields"]]

    @admin.display(description=_("category"), ordering="category__name")
    def category_name(self, obj):
        return obj.category.name

    def get_urls(self):
        document = path("<int:pk>/documents/<int:document_pk>/", self.admin_site.admin_view(self.document_view),
                        name="appointments_expediterequest_document")
        return [document, *super().get_urls()]

    def document_view(self, request, pk, document_pk):
        """Proof opens only for staff who may see the request; never from a public URL."""
        expedite = self.visible_object(request, pk)
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

    def decide_review(self, request, expedite, data):
        booking.request_start_review(request=expedite, officer=request.user)

    def decide_approve(self, request, expedite, data):
        try:
            booking.request_approve(request=expedite, officer=request.user, slot=data["slot"])
        except booking.SlotFull as exc:
            raise ValidationError({"slot": SLOT_FULL}) from exc

    def decide_refuse(self, request, expedite, data):
        booking.request_refuse(request=expedite, officer=request.user, reason=data["refusal_reason"],
                               note=data["note"])

    class Media:
        css = {"all": ["css/admin_review.css"]}
        js = ["js/admin_review.js"]  # a file of our own origin: the CSP's script-src 'self' admits it, no nonce

    def decision_facts_shown(self, expedite):
        """(label, value) of the facts to decide on, displayed as the read-only fields below display them."""
        rows = []
        for name in self.decision_facts:
            field, attr, value = lookup_field(name, expedite, self)
            if field is None:
                label = label_for_field(name, self.model, self)
                shown = display_for_value(value, self.get_empty_value_display())
            else:
                label = field.verbose_name
                shown = display_for_field(value, field, self.get_empty_value_display())
            rows.append((name, capfirst(label), shown))
        return rows

    def review_context(self, request, obj, form=None):
        """The decision's fields each listed with the decisions they serve; a field no offered decision uses is
        left out."""
        context = super().review_context(request, obj, form)
        form = context["decision_form"]
        if form is not None:
            offered = dict(form.fields["action"].choices)
            fields = []
            for bound in form:
                if bound.name == "action":
                    continue
                serves = [action for action in form.used_by.get(bound.name, offered) if action in offered]
                if serves:
                    hint = _("Only for: %(decisions)s.") % {"decisions": _(", ").join(
                        str(offered[action]) for action in serves)}
                    fields.append((bound, " ".join(serves), hint))
            context["decision_fields"] = fields
        context["history"] = self.status_history(obj)
        return context

    def status_history(self, expedite):
        """Every status change, when (post's time), from and to (by their names), by whom, with its note."""
        names = dict(Status.choices)
        return [
            (display.post_time(expedite.post, event.created_at), names.get(event.from_status, event.from_status),
             names.get(event.to_status, event.to_status), event.actor, event.note)
            for event in expedite.events.select_related("actor")
        ]

    def history_view(self, request, object_id, extra_context=None):
        """Django's history page, its times in the post's time zone, with the request's status changes."""
        expedite = self.visible_object(request, object_id)
        extra_context = {**(extra_context or {}), "history": self.status_history(expedite),
                         "time_zone": expedite.post.time_zone}
        with timezone.override(expedite.post.tz):
            response = super().history_view(request, object_id, extra_context)
            return response.render() if hasattr(response, "render") else response

    def extra_review_context(self, request, expedite):
        visible = self.get_queryset(request).exclude(pk=expedite.pk).select_related("post", "category")
        earlier = visible.filter(passport_number=expedite.passport_number).order_by("-created_at")[:20]
        expedites = earlier_expedites(passport_number=expedite.passport_number, organisation=expedite.organisation,
                                      organiser_email=expedite.organiser_email, exclude=expedite)
        shown = list(visible.filter(pk__in=expedites.values("pk")).order_by("-decided_at")[:20])
        return {
            "expedite": expedite,
            "facts": self.decision_facts_shown(expedite),
            "booked_at": display.post_time(expedite.post, expedite.slot.starts_at) if expedite.slot_id else None,
            "documents": [
                (d, reverse("admin:appointments_expediterequest_document", args=[expedite.pk, d.pk]))
                for d in expedite.documents.all()
            ],
            "members": expedite.members.all(),
            "earlier": earlier,
            "earlier_expedites": [(other, earlier_expedite_reasons(expedite, other)) for other in shown],
            "earlier_expedites_elsewhere": expedites.count() - len(shown),
        }

    actions = ["send_new_link"]

    @admin.action(description=_("Send the applicant a new link"), permissions=["decide"])
    def send_new_link(self, request, queryset):
        """For an applicant who lost the email or whose link reached someone else: earlier links close."""
        for expedite in queryset:
            booking.request_link_renew(request=expedite, actor=request.user)
            messages.success(request, _("A new link was emailed for %(reference)s; earlier links no longer open it.")
                             % {"reference": expedite.reference})

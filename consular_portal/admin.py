from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .feedback import rating_counts
from .groups import ADMINISTRATORS
from .models import FraudReport, OutboundEmail, Post, SurveyResponse


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "time_zone", "officer_mailbox", "display_order"]
    list_filter = ["country", "kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["staff"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "country", "time_zone", "display_order"]}),
        (_("Services and district"), {"fields": ["services", "district_regions", "languages"]}),
        (
            _("Contact"),
            {"fields": ["phone_numbers", "email", "officer_mailbox", "contact_hours", "contact_hours_note"]},
        ),
        (_("Staff"), {"fields": ["staff"]}),
    ]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """Read-only: staff see what went out and what failed; nobody edits or deletes mail here."""

    list_display = ["created_at", "template", "masked_to", "language", "status", "attempts", "sent_at"]
    list_filter = ["status", "template", "language"]
    list_select_related = ["post"]
    search_fields = ["=to", "subject"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    readonly_fields = [
        "post", "template", "to", "reply_to", "language", "subject", "body_text", "headers", "status",
        "attempts", "last_error", "next_attempt_at", "claimed_at", "sent_at", "created_at", "updated_at",
    ]
    exclude = ["body_html"]

    @admin.display(description=pgettext_lazy("email recipient", "to"), ordering="to")
    def masked_to(self, obj):
        local, _at, domain = obj.to.partition("@")
        return f"{local[:2]}…@{domain}"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """What the public sent stays as they sent it: staff read it, nobody edits it here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ReadOnlyAdmin):
    """Survey results: the answers, and above them the count of each rating for the filtered answers."""

    change_list_template = "admin/consular_portal/surveyresponse/change_list.html"
    list_display = ["created_at", "rating", "service", "post", "language", "short_comments"]
    list_filter = ["rating", "service", "post", "language", ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["post"]
    search_fields = ["comments"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = ["created_at", "rating", "service", "post", "language", "comments"]
    readonly_fields = fields

    @admin.display(description=_("comments"))
    def short_comments(self, obj):
        return obj.comments if len(obj.comments) <= 80 else obj.comments[:79] + "…"

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context=extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            counts = rating_counts(changelist.queryset)
            response.context_data["rating_counts"] = counts
            response.context_data["rating_total"] = sum(count for _value, _label, count in counts)
        return response


@admin.register(FraudReport)
class FraudReportAdmin(ReadOnlyAdmin):
    """Officers see the reports of their own posts; administrators see all."""

    list_display = ["reference", "created_at", "post", "kind", "incident_date", "language"]
    list_filter = ["post", "kind", ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["post"]
    search_fields = ["=reference", "description", "fraudster_contact"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = [
        "reference", "created_at", "post", "kind", "incident_date", "fraudster_contact", "description",
        "reporter_name", "reporter_email", "language",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser or request.user.groups.filter(name=ADMINISTRATORS).exists():
            return queryset
        return queryset.filter(post__staff=request.user)

    def has_delete_permission(self, request, obj=None):
        return False

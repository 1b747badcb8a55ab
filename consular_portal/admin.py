from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin  # registers Django's user admin first, replaced below
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from .erasure_admin import ErasureAdmin
from .feedback import rating_counts
from .models import Erasure, FraudReport, OutboundEmail, Post, SurveyResponse
from .scoping import PostFilter, PostScopedAdmin, sees_all_posts
from .staff_devices import devices_reset


def masked_address(address):
    local, _at, domain = (address or "").partition("@")
    return f"{local[:2]}…@{domain}" if domain else ""


@admin.register(Post)
class PostAdmin(PostScopedAdmin):
    """Staff see the posts they belong to; administrators edit every post."""

    post_path = ""
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
            {"fields": ["phone_numbers", "email", "officer_mailbox", "contact_hours", "contact_hours_note",
                        "address"]},
        ),
        (_("Staff"), {"fields": ["staff"]}),
    ]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(PostScopedAdmin):
    """Read-only: staff see what went out for their posts and what failed; nobody edits or deletes mail here.

    Mail without a post is for administrators only. Addresses are masked and cannot be searched or filtered
    on; the body (which may carry an applicant's signed link or what the public typed) is shown to
    administrators only.
    """

    list_display = ["created_at", "template", "masked_to", "post", "language", "status", "attempts", "sent_at"]
    list_filter = ["status", "template", "language", PostFilter]
    list_select_related = ["post"]
    search_fields = ["subject"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    staff_fields = [
        "post", "template", "masked_to", "masked_reply_to", "language", "subject", "status", "attempts",
        "last_error", "next_attempt_at", "claimed_at", "sent_at", "created_at", "updated_at",
    ]
    administrator_fields = [*staff_fields, "body_text", "headers"]

    def get_fields(self, request, obj=None):
        return self.administrator_fields if sees_all_posts(request.user) else self.staff_fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description=pgettext_lazy("email recipient", "to"))
    def masked_to(self, obj):
        return masked_address(obj.to)

    @admin.display(description=_("reply to"))
    def masked_reply_to(self, obj):
        return masked_address(obj.reply_to)

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
class SurveyResponseAdmin(PostScopedAdmin, ReadOnlyAdmin):
    """Survey results: the answers, and above them the count of each rating for the filtered answers. Staff see
    their posts' answers and those that name no post (anonymous feedback about the portal as a whole)."""

    unassigned_visible = True

    change_list_template = "admin/consular_portal/surveyresponse/change_list.html"
    list_display = ["created_at", "rating", "service", "post", "language", "short_comments"]
    list_filter = ["rating", "service", PostFilter, "language", ("created_at", admin.DateFieldListFilter)]
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
class FraudReportAdmin(PostScopedAdmin, ReadOnlyAdmin):
    """Officers see the reports of their own posts; administrators see all."""

    list_display = ["reference", "created_at", "post", "kind", "incident_date", "language"]
    list_filter = [PostFilter, "kind", ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["post"]
    search_fields = ["=reference", "description", "fraudster_contact"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = [
        "reference", "created_at", "post", "kind", "incident_date", "fraudster_contact", "description",
        "reporter_name", "reporter_email", "language",
    ]
    readonly_fields = fields

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(Erasure, ErasureAdmin)
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """Django's user admin, and a reset of the second factor for a staff member who lost their phone or codes:
    their devices go, and at the next login they set up an authenticator app again."""

    actions = ["reset_second_factor"]

    @admin.action(description=_("Reset second factor (set up again at next login)"), permissions=["change"])
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            devices_reset(user=user, by=request.user)
        count = len(queryset)
        self.message_user(request, ngettext(
            "The second factor of %(count)d account was reset: they set up an authenticator app at their "
            "next login.",
            "The second factors of %(count)d accounts were reset: they set up an authenticator app at their "
            "next login.", count) % {"count": count}, messages.SUCCESS)

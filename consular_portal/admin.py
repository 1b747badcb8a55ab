from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import OutboundEmail, Post


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

    @admin.display(description=_("to"), ordering="to")
    def masked_to(self, obj):
        local, _at, domain = obj.to.partition("@")
        return f"{local[:2]}…@{domain}"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

"""Each post's status inquiry policy: the routes and their waiting times, the follow-up wait, with history."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from consular_portal.scoping import PostScopedAdmin, sees_all_posts

from ..models import InquiryPolicy, InquiryRoute


class RouteInline(admin.TabularInline):
    model = InquiryRoute
    extra = 0
    fields = ["route", "amount", "unit", "order", "active"]


@admin.register(InquiryPolicy)
class InquiryPolicyAdmin(PostScopedAdmin, SimpleHistoryAdmin):
    list_display = ["post", "accepting", "follow_up_business_days", "answer_business_days"]
    list_select_related = ["post"]
    inlines = [RouteInline]
    fieldsets = [
        (None, {"fields": ["post", "accepting"]}),
        (_("Waiting times"), {"fields": ["follow_up_business_days", "answer_business_days"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [] if sees_all_posts(request.user) else ["post"]

    def has_add_permission(self, request):
        return sees_all_posts(request.user) and super().has_add_permission(request)


@admin.register(InquiryRoute)
class InquiryRouteAdmin(PostScopedAdmin, SimpleHistoryAdmin):
    """Routes one by one, with their history (officers may also edit them inside the policy)."""

    post_path = "policy__post"
    list_display = ["route", "policy", "amount", "unit", "order", "active"]
    list_filter = ["route", "unit", "active"]
    list_select_related = ["policy__post"]
    fields = ["policy", "route", "amount", "unit", "order", "active"]

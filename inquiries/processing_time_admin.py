"""Officers publish their posts' processing times; the public page shows them as saved."""

from django.contrib import admin

from consular_portal.scoping import PostFilter, PostScopedAdmin

from .models.processing_times import ProcessingTime


@admin.register(ProcessingTime)
class ProcessingTimeAdmin(PostScopedAdmin):
    list_display = ("service", "post", "completed_within", "unit", "case_inquiry_date", "updated_on")
    list_filter = (PostFilter, "unit")
    list_select_related = ("post",)
    search_fields = ("service",)
    fields = ("post", "service", "completed_within", "unit", "case_inquiry_date", "updated_on")
    ordering = ("post__name", "service")

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from consular_portal.scoping import PostFilter, PostScopedAdmin, visible_posts

from ..booking import slots_create_day
from ..models import AppointmentSlot, ExpediteRequest
from .forms import BulkSlotsForm


class SlotForm(forms.ModelForm):
    class Meta:
        model = AppointmentSlot
        fields = ["post", "starts_at", "capacity"]

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if self.instance.pk and capacity < self.instance.booked:
            raise ValidationError(_("%(booked)s places are booked already; the capacity cannot be lower."),
                                  params={"booked": self.instance.booked})
        return capacity


class BookingInline(admin.TabularInline):
    model = ExpediteRequest
    fk_name = "slot"
    fields = ["reference", "full_name", "status", "travel_date"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = _("booking")
    verbose_name_plural = _("bookings")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AppointmentSlot)
class AppointmentSlotAdmin(PostScopedAdmin):
    form = SlotForm
    list_display = ["local_time", "post", "capacity", "booked", "remaining"]
    list_filter = [PostFilter, ("starts_at", admin.DateFieldListFilter)]
    list_select_related = ["post"]
    date_hierarchy = "starts_at"
    ordering = ["starts_at"]
    show_full_result_count = False
    inlines = [BookingInline]
    change_list_template = "admin/appointments/appointmentslot/change_list.html"

    @admin.display(description=_("starts at (post's local time)"), ordering="starts_at")
    def local_time(self, obj):
        return f"{obj.local_start():%Y-%m-%d %a %H:%M}"

    def get_urls(self):
        return [
            path("bulk/", self.admin_site.admin_view(self.bulk_view), name="appointments_appointmentslot_bulk"),
            *super().get_urls(),
        ]

    def bulk_view(self, request):
        """Create a day's slots at once."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = BulkSlotsForm(request.POST or None, posts=visible_posts(request.user))
        if request.method == "POST" and form.is_valid():
            created = slots_create_day(**form.cleaned_data)
            messages.success(request, _("%(count)s slots created.") % {"count": len(created)})
            return redirect(reverse("admin:appointments_appointmentslot_changelist"))
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.model._meta,
                   "title": _("Create a day's slots")}
        return TemplateResponse(request, "admin/appointments/appointmentslot/bulk.html", context)

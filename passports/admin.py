"""Passport staff find a passport by its number or Letter Pack number and change its status with a note;
every change goes through ``tracking_change`` and is listed, read-only, with who made it and when."""

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consular_portal.scoping import PostFilter, PostScopedAdmin
from consular_portal.tracking.changes import tracking_change

from .models import PassportTracking, TrackingEvent
from .numbers import normalise_passport_number


class TrackingEventInline(admin.TabularInline):
    model = TrackingEvent
    fields = ("changed_at", "status", "actor", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("-changed_at", "-pk")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class TrackingForm(forms.ModelForm):
    """The record's details, and the status change: a status and an optional note, saved as an event."""

    new_status = forms.ChoiceField(label=_("Status"), choices=PassportTracking.Status.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Kept in the history with your name; not shown to the applicant."))

    class Meta:
        model = PassportTracking
        fields = ("post", "key", "case", "delivery", "letter_pack_number")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_status"].initial = self.instance.status or PassportTracking.Status.AT_POST


@admin.register(PassportTracking)
class PassportTrackingAdmin(PostScopedAdmin):
    form = TrackingForm
    inlines = [TrackingEventInline]
    list_display = ("key", "post", "status", "status_changed_at", "delivery", "letter_pack_number")
    list_filter = ("status", PostFilter)
    list_select_related = ("post",)
    search_fields = ("key",)  # exact and normalised: see get_search_results
    search_help_text = _("A passport number or a Letter Pack number, exactly.")
    readonly_fields = ("status", "status_changed_at")
    fieldsets = [
        (None, {"fields": ("post", "key", "case", "delivery", "letter_pack_number")}),
        (_("Status"), {"fields": ("status", "status_changed_at", "new_status", "note")}),
    ]
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        """Exact match on the normalised passport number or Letter Pack number: no prefix or substring
        search, so the box is no way to list numbers."""
        term = normalise_passport_number(search_term)
        if not term:
            return queryset, False
        return queryset.filter(key=term) | queryset.filter(letter_pack_number=term), False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not request.user.has_perm("passports.add_passporttracking"):
            return (*self.readonly_fields, "post", "key", "case")  # staff correct delivery, not identity
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        """The details are saved; a new status or a note becomes an event through ``tracking_change``
        (inside the admin's transaction: both are kept, or neither)."""
        status, note = form.cleaned_data["new_status"], form.cleaned_data["note"].strip()
        if not change:
            obj.status, obj.status_changed_at = status, timezone.now()
        super().save_model(request, obj, form, change)
        if not change or status != obj.status or note:
            tracking_change(item=obj, status=status, actor=request.user, note=note)

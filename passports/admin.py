"""Passport staff find a passport by its number or Letter Pack number and change its status with a note;
every change goes through ``tracking_change`` and is listed, read-only, with who made it and when."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from consular_portal.scoping import PostFilter
from consular_portal.tracking import admin as tracking_admin
from consular_portal.tracking.admin import ImportJobAdmin

from . import imports
from .delivery import delivery_link
from .models import PassportImport, PassportTracking, TrackingEvent
from .numbers import normalise_passport_number


class TrackingEventInline(tracking_admin.TrackingEventInline):
    model = TrackingEvent


class TrackingForm(tracking_admin.StatusChangeForm):
    first_status = PassportTracking.Status.AT_POST

    class Meta:
        model = PassportTracking
        fields = ("post", "key", "case", "delivery", "letter_pack_number", "interview_date", "postal_code",
                  "prefecture", "address_line1", "address_line2", "pickup_office")


@admin.register(PassportTracking)
class PassportTrackingAdmin(tracking_admin.TrackedItemAdmin):
    form = TrackingForm
    inlines = [TrackingEventInline]
    list_display = ("key", "post", "status", "status_changed_at", "delivery", "letter_pack_number")
    list_filter = ("status", PostFilter)
    list_select_related = ("post",)
    search_fields = ("key",)  # exact and normalised: see get_search_results
    search_help_text = _("A passport number or a Letter Pack number, exactly.")
    readonly_fields = ("status", "status_changed_at", "delivery_link")
    fieldsets = [
        (None, {"fields": ("post", "key", "case", "delivery", "letter_pack_number")}),
        (_("Delivery chosen by the applicant"), {"fields": (
            "interview_date", "postal_code", "prefecture", "address_line1", "address_line2", "pickup_office",
            "delivery_link")}),
        (pgettext_lazy("passport delivery", "Status"), {
            "fields": ("status", "status_changed_at", "new_status", "note")}),
    ]
    show_full_result_count = False

    @admin.display(description=_("Applicant's delivery link"))
    def delivery_link(self, obj):
        """The signed link to send the applicant: it changes the delivery until the end of the interview day."""
        if obj is None or obj.pk is None:
            return gettext("Shown once the passport is saved.")
        link = delivery_link(obj)
        return format_html('<a href="{}" id="delivery-link">{}</a>', link, link)

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


@admin.register(PassportImport)
class PassportImportAdmin(ImportJobAdmin):
    """Passport staff upload the delivery service's CSV for one of their posts; a worker checks it, and the
    job's page shows its progress, then a preview (what would be created, updated, left unchanged, and the
    rejected rows, downloadable) with buttons to apply the valid rows or cancel; then the counts applied."""

    rows = imports
    key_column = "passport_number"
    key_label = _("passport number")
    template_filename = "passport-statuses-template.csv"

    @property
    def file_help(self):
        return gettext("A CSV file with a header row: passport_number, post, status, letter_pack_number, date, "
                       "and optionally case. Encoding UTF-8 or Shift_JIS; dates YYYY-MM-DD or YYYY/MM/DD, "
                       "optionally followed by HH:MM, in the post's time zone.")

"""Officers find a case by its receipt number and change its status with a note (through
``tracking_change``, so subscribers are alerted), or update many by a CSV import; every change is listed,
read-only, with who made it and when."""

from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from consular_portal.scoping import PostFilter
from consular_portal.tracking import admin as tracking_admin
from consular_portal.tracking.admin import ImportJobAdmin

from . import case_imports
from .models.cases import Case, CaseEvent, CaseImport
from .receipts import normalise_receipt_number, parse_receipt_number


class CaseEventInline(tracking_admin.TrackingEventInline):
    model = CaseEvent


class CaseForm(tracking_admin.StatusChangeForm):
    first_status = Case.Status.RECEIVED

    class Meta:
        model = Case
        fields = ("post", "key", "service")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "key" in self.fields:  # typed with spaces or dashes: normalised, then checked
            self.fields["key"].max_length = None
            self.fields["key"].validators = []

    def clean_key(self):
        return parse_receipt_number(self.cleaned_data["key"])


@admin.register(Case)
class CaseAdmin(tracking_admin.TrackedItemAdmin):
    form = CaseForm
    inlines = [CaseEventInline]
    list_display = ("key", "post", "service", "status", "status_changed_at")
    list_filter = ("status", PostFilter)
    list_select_related = ("post",)
    search_fields = ("key",)  # exact and normalised: see get_search_results
    search_help_text = _("A receipt number, exactly (spaces and dashes do not matter).")
    readonly_fields = ("status", "status_changed_at")
    fieldsets = [
        (None, {"fields": ("post", "key", "service")}),
        (_("Status"), {"fields": ("status", "status_changed_at", "new_status", "note")}),
    ]
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        """Exact match on the normalised receipt number: the box is no way to list numbers."""
        term = normalise_receipt_number(search_term)
        return (queryset.filter(key=term), False) if term else (queryset, False)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return (*self.readonly_fields, "post", "key")  # a case keeps its post and number
        return self.readonly_fields


@admin.register(CaseImport)
class CaseImportAdmin(ImportJobAdmin):
    rows = case_imports
    key_column = "receipt_number"
    key_label = _("receipt number")
    template_filename = "case-statuses-template.csv"

    @property
    def file_help(self):
        return gettext("A CSV file with a header row: receipt_number, post, status, date, and optionally service. "
                       "Encoding UTF-8; dates YYYY-MM-DD or YYYY/MM/DD, optionally followed by HH:MM, in the "
                       "post's time zone. Statuses: %(statuses)s.") % {"statuses": ", ".join(Case.Status.values)}

"""Officers find a case by its receipt number and change its status with a note (through
``tracking_change``, so subscribers are alerted), or update many by a CSV import; every change is listed,
read-only, with who made it and when."""

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from consular_portal.scoping import PostFilter, PostScopedAdmin
from consular_portal.tracking.admin import ImportJobAdmin
from consular_portal.tracking.changes import tracking_change

from . import case_imports
from .models.cases import Case, CaseEvent, CaseImport
from .receipts import normalise_receipt_number, parse_receipt_number


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
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


class CaseForm(forms.ModelForm):
    """The case's details, and the status change: a status and an optional note, saved as an event."""

    new_status = forms.ChoiceField(label=_("Status"), choices=Case.Status.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Kept in the history with your name; not shown to the applicant."))

    class Meta:
        model = Case
        fields = ("post", "key", "service")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        case = self.instance
        self.fields["new_status"].initial = case.status or Case.Status.RECEIVED
        if case.pk is not None:  # offered: the status kept, or one that may follow it
            allowed = {case.status, *case.next_statuses()}
            self.fields["new_status"].choices = [choice for choice in Case.Status.choices if choice[0] in allowed]
        if "key" in self.fields:  # typed with spaces or dashes: normalised, then checked
            self.fields["key"].max_length = None
            self.fields["key"].validators = []

    def clean_key(self):
        return parse_receipt_number(self.cleaned_data["key"])


@admin.register(Case)
class CaseAdmin(PostScopedAdmin):
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

    def save_model(self, request, obj, form, change):
        """The details are saved; a new status or a note becomes an event through ``tracking_change``
        (inside the admin's transaction: both are kept, or neither)."""
        status, note = form.cleaned_data["new_status"], form.cleaned_data["note"].strip()
        if not change:
            obj.status, obj.status_changed_at = status, timezone.now()
        super().save_model(request, obj, form, change)
        if not change or status != obj.status or note:
            tracking_change(item=obj, status=status, actor=request.user, note=note)


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

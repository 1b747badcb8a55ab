"""Passport staff find a passport by its number or Letter Pack number and change its status with a note;
every change goes through ``tracking_change`` and is listed, read-only, with who made it and when."""

import csv
import io

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from consular_portal.scoping import PostFilter, PostScopedAdmin
from consular_portal.tracking.changes import tracking_change
from consular_portal.tracking.imports import import_apply, import_cancel, import_queue

from . import imports
from .delivery import delivery_link
from .models import PassportImport, PassportTracking, TrackingEvent
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
        fields = ("post", "key", "case", "delivery", "letter_pack_number", "interview_date", "postal_code",
                  "prefecture", "address_line1", "address_line2", "pickup_office")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field, instance = self.fields["new_status"], self.instance
        if instance.pk is not None:  # the current status (to add a note) and the statuses that may follow it
            offered = {instance.status, *instance.next_statuses()}
            field.choices = [(value, label) for value, label in PassportTracking.Status.choices if value in offered]
            field.help_text = _("Only the statuses that may follow the current one are offered.")
        field.initial = instance.status or PassportTracking.Status.AT_POST


@admin.register(PassportTracking)
class PassportTrackingAdmin(PostScopedAdmin):
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
        (_("Status"), {"fields": ("status", "status_changed_at", "new_status", "note")}),
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

    def save_model(self, request, obj, form, change):
        """The details are saved; a new status or a note becomes an event through ``tracking_change``
        (inside the admin's transaction: both are kept, or neither)."""
        status, note = form.cleaned_data["new_status"], form.cleaned_data["note"].strip()
        if not change:
            obj.status, obj.status_changed_at = status, timezone.now()
        super().save_model(request, obj, form, change)
        if not change or status != obj.status or note:
            tracking_change(item=obj, status=status, actor=request.user, note=note)


MAX_IMPORT_BYTES = 50 * 1024 * 1024


class ImportForm(forms.ModelForm):
    """The delivery service's file and the post it is for (the post's choices are the user's posts)."""

    class Meta:
        model = PassportImport
        fields = ("file", "post")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = format_html(
            "{} <a href=\"{}\">{}</a>",
            gettext("A CSV file with a header row: passport_number, post, status, letter_pack_number, date, "
                    "and optionally case. Encoding UTF-8 or Shift_JIS; dates YYYY-MM-DD or YYYY/MM/DD, "
                    "optionally followed by HH:MM, in the post's time zone."),
            reverse("admin:passports_passportimport_template"), gettext("Download the CSV template"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(gettext("The file is larger than 50 MB: split it in parts."))
        return upload


def _csv_cell(value):
    """A cell that a spreadsheet will not run as a formula."""
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _csv_response(filename, rows):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@admin.register(PassportImport)
class PassportImportAdmin(PostScopedAdmin):
    """Passport staff upload the delivery service's CSV for one of their posts; a worker checks it, and the
    job's page shows its progress, then a preview (what would be created, updated, left unchanged, and the
    rejected rows, downloadable) with buttons to apply the valid rows or cancel; then the counts applied."""

    form = ImportForm
    list_display = ("created_at", "post", "status", "rows_total", "updated", "created", "unchanged", "rejected",
                    "uploaded_by")
    list_filter = ("status", PostFilter)
    list_select_related = ("post", "uploaded_by")
    fields = ("file", "post")
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        return False  # a job is read, never edited

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("template.csv", wrap(self.template_view), name=f"{prefix}_template"),
            path("<path:object_id>/rejected.csv", wrap(self.rejected_view), name=f"{prefix}_rejected"),
            path("<path:object_id>/apply/", wrap(self.apply_view), name=f"{prefix}_apply"),
            path("<path:object_id>/cancel/", wrap(self.cancel_view), name=f"{prefix}_cancel"),
            *super().get_urls(),
        ]

    def save_model(self, request, obj, form, change):
        obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
        import_queue(job=obj)

    def response_add(self, request, obj, post_url_continue=None):
        return redirect(reverse("admin:passports_passportimport_change", args=[obj.pk]))

    def _job(self, request, object_id):
        job = self.get_object(request, unquote(object_id))
        if job is None:
            raise Http404("no such import")
        if not self.has_view_permission(request, job):
            raise PermissionDenied
        return job

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The job's page: progress while it runs (the page reloads itself), the preview with its buttons
        once checked, then the result."""
        job = self._job(request, object_id)
        running = job.in_progress
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts, "app_label": self.opts.app_label, "original": job, "job": job,
            "title": gettext("Import of %(file)s") % {"file": job.file.name.rsplit("/", 1)[-1]},
            "running": running, "has_view_permission": True,
            "has_delete_permission": self.has_delete_permission(request, job),
            "rejected_url": reverse("admin:passports_passportimport_rejected", args=[job.pk]),
            "template_url": reverse("admin:passports_passportimport_template"),
            "apply_url": reverse("admin:passports_passportimport_apply", args=[job.pk]),
            "cancel_url": reverse("admin:passports_passportimport_cancel", args=[job.pk]),
            "can_decide": job.status == PassportImport.Status.READY and self.has_add_permission(request),
        }
        return TemplateResponse(request, "admin/passports/passportimport/job.html", context)

    def _decision(self, request, object_id, decide, done, refused):
        """A POST of the preview's buttons, by staff who may import: ``decide(job)`` claims the job."""
        job = self._job(request, object_id)
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if decide(job):
            self.message_user(request, done, messages.SUCCESS)
        else:
            self.message_user(request, refused, messages.WARNING)
        return redirect(reverse("admin:passports_passportimport_change", args=[job.pk]))

    def apply_view(self, request, object_id):
        return self._decision(
            request, object_id, lambda job: import_apply(job=job, user=request.user),
            gettext("The valid rows are being applied."),
            gettext("This import is no longer waiting to be applied: it was applied or cancelled already."))

    def cancel_view(self, request, object_id):
        return self._decision(
            request, object_id, lambda job: import_cancel(job=job),
            gettext("The import was cancelled: nothing of it was applied."),
            gettext("This import is no longer waiting to be applied: it was applied or cancelled already."))

    def rejected_view(self, request, object_id):
        """The rejected rows as CSV, with the line each came from and why, to correct and upload again."""
        job = self._job(request, object_id)
        rows = [[*imports.COLUMNS, "line", "errors"]]
        for rejected in job.rejected_rows:
            rows.append([_csv_cell(rejected["row"].get(name, "")) for name in imports.COLUMNS]
                        + [rejected["line"], _csv_cell(" ".join(rejected["reasons"]))])
        return _csv_response(f"import-{job.pk}-rejected.csv", rows)

    def template_view(self, request):
        """The header row and one example row of the format ``passports.imports`` documents."""
        if not (self.has_add_permission(request) or self.has_view_permission(request)):
            raise PermissionDenied
        return _csv_response("passport-statuses-template.csv", [imports.COLUMNS, imports.EXAMPLE_ROW])

"""The admin of a tracked service: its items (``TrackedItemAdmin``: a status change with a note through
``tracking_change``, the events listed read-only) and its CSV imports: upload a file for one of one's posts;
a worker checks it (``imports.run_import``) and the job's page shows its progress, then a preview (what would be
created, updated, left unchanged, and the rejected rows, downloadable as CSV) with buttons to apply the valid rows
or cancel, then the counts applied.

A tracked service registers a subclass naming its ``rows`` module (``COLUMNS``, ``EXAMPLE_ROW``), the
column of the number (``key_column``), its label and the file's help text.
"""

import csv
import io

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from consular_portal.scoping import PostFilter, PostScopedAdmin

from .changes import InvalidTransition, tracking_change
from .imports import import_apply, import_cancel, import_queue

MAX_IMPORT_BYTES = 50 * 1024 * 1024


def csv_cell(value):
    """A cell that a spreadsheet will not run as a formula."""
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_response(filename, rows):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class TrackingEventInline(admin.TabularInline):
    """A tracked item's history, read-only: a subclass names the event ``model``."""

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


class StatusChangeForm(forms.ModelForm):
    """A tracked item's details, and the status change: a status and an optional note, saved as an event.
    A saved item is offered its current status (to add a note) and the statuses that may follow it; a new
    one starts at ``first_status`` or any other."""

    first_status = None
    new_status = forms.ChoiceField(label=_("Status"))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Kept in the history with your name; not shown to the applicant."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field, item = self.fields["new_status"], self.instance
        choices = type(item).Status.choices
        if item.pk is not None:
            offered = {item.status, *item.next_statuses()}
            choices = [(value, label) for value, label in choices if value in offered]
            field.help_text = _("Only the statuses that may follow the current one are offered.")
        field.choices = choices
        field.initial = item.status or self.first_status


class TrackedItemAdmin(PostScopedAdmin):
    """A tracked item's admin: the details are saved, and a new status or a note becomes an event through
    ``tracking_change`` (inside the admin's transaction: both are kept, or neither)."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A status that no longer may follow, because another change was saved after the form was checked
        (``tracking_change`` checks it on the locked row): the admin's transaction is rolled back, so nothing
        is saved, and the officer is back on the item with its status now and a message saying so."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except InvalidTransition:
            if object_id is None:
                raise
        item = self.get_object(request, unquote(object_id))
        messages.error(request, gettext(
            "The status was changed by someone else while you were saving: it is now “%(status)s”. Nothing was "
            "saved: check the status and the history, then make your change again.")
            % {"status": item.get_status_display() if item is not None else "-"})
        return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        status, note = form.cleaned_data["new_status"], form.cleaned_data["note"].strip()
        if not change:
            obj.status, obj.status_changed_at = status, timezone.now()
            super().save_model(request, obj, form, change)
        else:
            # The status is written only by tracking_change, on the locked row: the details are saved without
            # it, so a status another officer saved since this item was read is not written over.
            obj.save(update_fields=[field.name for field in obj._meta.concrete_fields
                                    if not field.primary_key and field.name not in ("status", "status_changed_at")])
        if not change or status != obj.status or note:
            tracking_change(item=obj, status=status, actor=request.user, note=note)


class ImportJobForm(forms.ModelForm):
    """The file and the post it is for (the post's choices are the user's posts)."""

    file_help = ""
    template_url = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = format_html(
            '{} <a href="{}">{}</a>', self.file_help, self.template_url, gettext("Download the CSV template"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(gettext("The file is larger than 50 MB: split it in parts."))
        return upload


class ImportJobAdmin(PostScopedAdmin):
    rows = None  # the module of the file's format: COLUMNS, EXAMPLE_ROW
    key_column = ""
    key_label = ""
    file_help = ""
    template_filename = "template.csv"

    list_display = ("created_at", "post", "status", "rows_total", "updated", "created", "unchanged", "rejected",
                    "uploaded_by")
    list_filter = ("status", PostFilter)
    list_select_related = ("post", "uploaded_by")
    fields = ("file", "post")
    show_full_result_count = False

    def _url(self, name, *args):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}", args=args)

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = type("JobForm", (ImportJobForm,), {
            "file_help": self.file_help, "template_url": self._url("template"),
            "Meta": type("Meta", (), {"model": self.model, "fields": ("file", "post")})})
        return super().get_form(request, obj, change, form=base, **kwargs)

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
        return redirect(self._url("change", obj.pk))

    def _job(self, request, object_id):
        job = self.get_object(request, unquote(object_id))
        if job is None:
            raise Http404("no such import")
        if not self.has_view_permission(request, job):
            raise PermissionDenied
        return job

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self._job(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts, "app_label": self.opts.app_label, "original": job, "job": job,
            "title": gettext("Import of %(file)s") % {"file": job.file.name.rsplit("/", 1)[-1]},
            "running": job.in_progress, "has_view_permission": True,
            "has_delete_permission": self.has_delete_permission(request, job),
            "key_label": self.key_label,
            "rejected": [(row["line"], row["row"].get(self.key_column, ""), row["reasons"])
                         for row in job.rejected_rows],
            "rejected_url": self._url("rejected", job.pk), "template_url": self._url("template"),
            "apply_url": self._url("apply", job.pk), "cancel_url": self._url("cancel", job.pk),
            "can_decide": job.status == self.model.Status.READY and self.has_add_permission(request),
        }
        return TemplateResponse(request, "admin/tracking/import_job.html", context)

    def _decision(self, request, object_id, decide, done, refused):
        job = self._job(request, object_id)
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self.message_user(request, *((done, messages.SUCCESS) if decide(job) else (refused, messages.WARNING)))
        return redirect(self._url("change", job.pk))

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
        rows = [[*self.rows.COLUMNS, "line", "errors"]]
        for rejected in job.rejected_rows:
            rows.append([csv_cell(rejected["row"].get(name, "")) for name in self.rows.COLUMNS]
                        + [rejected["line"], csv_cell(" ".join(rejected["reasons"]))])
        return csv_response(f"import-{job.pk}-rejected.csv", rows)

    def template_view(self, request):
        if not (self.has_add_permission(request) or self.has_view_permission(request)):
            raise PermissionDenied
        return csv_response(self.template_filename, [self.rows.COLUMNS, self.rows.EXAMPLE_ROW])

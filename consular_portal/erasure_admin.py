"""The administrators' page for one applicant's data (``applicant_data``): find it by email address and passport
number, download it, erase it with a reason; and the record of past erasures (read only).

Only administrators (superusers or the administrators group, ``scoping.sees_all_posts``) reach any of it; the
rows found are listed through ``scoping.scope_queryset`` like every list of a post's data. Identifiers travel
in POST bodies only, never in a URL.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import applicant_data
from .scoping import sees_all_posts

ROWS_SHOWN = 50  # per kind on the page; the export holds them all


class ApplicantForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), required=False)
    passport_number = forms.CharField(label=_("Passport number"), max_length=20, required=False)
    reason = forms.CharField(
        label=_("Reason for the erasure"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The applicant's request and its reference. Kept with the record of the erasure."))
    confirm = forms.BooleanField(label=_("I have checked the rows above: erase them"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("email") and not (data.get("passport_number") or "").strip():
            raise forms.ValidationError(_("Enter an email address or a passport number."))
        return data

    def erasure_confirmed(self):
        """Of a valid form: it also says why, and that the administrator means it (else the errors say so)."""
        if not self.cleaned_data["reason"].strip():
            self.add_error("reason", _("Enter why the data is erased (the applicant's request)."))
        if not self.cleaned_data["confirm"]:
            self.add_error("confirm", _("Confirm that the rows found are to be erased."))
        return not self.errors


class ErasureAdmin(admin.ModelAdmin):
    """The record of erasures, read only, and the applicant's data page; for administrators only."""

    change_list_template = "admin/consular_portal/erasure/change_list.html"
    list_display = ["erased_at", "erased_by_username", "short_reason", "rows_erased"]
    list_select_related = ["erased_by"]
    date_hierarchy = "erased_at"
    fields = ["erased_at", "erased_by_username", "reason", "counts", "email_hash", "passport_hash"]
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description=_("reason"))
    def short_reason(self, obj):
        return obj.reason if len(obj.reason) <= 80 else obj.reason[:79] + "…"

    @admin.display(description=_("rows erased"))
    def rows_erased(self, obj):
        return sum(obj.counts.values())

    def has_module_permission(self, request):
        return sees_all_posts(request.user)

    def has_view_permission(self, request, obj=None):
        return sees_all_posts(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("applicant/", self.admin_site.admin_view(self.applicant_view),
                 name="consular_portal_erasure_applicant"),
            *super().get_urls(),
        ]

    def applicant_view(self, request):
        if not sees_all_posts(request.user):
            raise PermissionDenied
        form = ApplicantForm(request.POST or None)
        action = request.POST.get("action", "find")
        found = None
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            identifiers = {"email": data["email"], "passport_number": data["passport_number"]}
            if action == "erase" and form.erasure_confirmed():
                erasure = applicant_data.erase(**identifiers, by=request.user, reason=data["reason"],
                                               user=request.user)
                erased = sum(count for name, count in erasure.counts.items() if name not in applicant_data.KEPT)
                self.message_user(request, gettext("%(count)d rows erased; the erasure is recorded.") % {
                    "count": erased}, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:consular_portal_erasure_change", args=[erasure.pk]))
            if action == "export":
                response = HttpResponse(applicant_data.export(**identifiers, user=request.user),
                                        content_type="application/zip")
                name = f"applicant-data-{timezone.now():%Y%m%d-%H%M%S}.zip"
                response["Content-Disposition"] = f'attachment; filename="{name}"'
                return response
            found = applicant_data.find(**identifiers, user=request.user)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("An applicant's data"),
            "form": form,
            "results": _results(found) if found is not None else None,
            "earlier": (applicant_data.earlier_erasures(email=form.cleaned_data["email"],
                                                        passport_number=form.cleaned_data["passport_number"])
                        if found is not None else None),
            "rows_shown": ROWS_SHOWN,
        }
        return TemplateResponse(request, "admin/consular_portal/erasure/applicant.html", context)


def _results(found):
    """Per kind: its label, how many rows, the first ``ROWS_SHOWN`` of them, and whether an erasure keeps it."""
    results = []
    for kind in found.kinds:
        if kind.name not in found.rows:
            continue
        rows = found.rows[kind.name]
        if kind.post_path:
            rows = rows.select_related(kind.post_path)
        results.append({"kind": kind, "count": rows.count(), "rows": [
            {"row": row, "post": _post(row, kind.post_path)} for row in rows[:ROWS_SHOWN]]})
    return results


def _post(row, post_path):
    for name in post_path.split("__"):
        row = getattr(row, name, None)
        if row is None:
            return None
    return row

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from consular_portal.scoping import PostScopedAdmin, sees_all_posts

from ..models import ExpediteCategory, ExpediteExclusion, ExpeditePolicy, VisaClass


class CategoryForm(forms.ModelForm):
    visa_classes = forms.MultipleChoiceField(
        label=_("visa classes"), choices=VisaClass.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked means every class."),
    )

    class Meta:
        model = ExpediteCategory
        fields = [
            "policy", "code", "order", "active", "name", "name_ja", "name_zh_hans", "explanation", "explanation_ja",
            "explanation_zh_hans", "visa_classes", "window", "window_days", "us_company_request_required",
            "confirmation", "confirmation_ja", "confirmation_zh_hans", "proof", "proof_ja", "proof_zh_hans",
        ]


class CategoryInline(admin.StackedInline):
    model = ExpediteCategory
    form = CategoryForm
    extra = 0
    fieldsets = [
        (None, {"fields": [("code", "order", "active"), "name", "name_ja", "name_zh_hans"]}),
        (_("Explanation"), {"fields": ["explanation", "explanation_ja", "explanation_zh_hans"]}),
        (_("Rules"), {"fields": ["visa_classes", ("window", "window_days"), "us_company_request_required",
                                 "confirmation", "confirmation_ja", "confirmation_zh_hans"]}),
        (_("Proof"), {"fields": ["proof", "proof_ja", "proof_zh_hans"]}),
    ]


class ExclusionInline(admin.TabularInline):
    model = ExpediteExclusion
    extra = 0
    fields = ["code", "name", "name_ja", "name_zh_hans", "only_alone", "order", "active"]


@admin.register(ExpeditePolicy)
class ExpeditePolicyAdmin(PostScopedAdmin, SimpleHistoryAdmin):
    list_display = ["post", "accepting", "requires_scheduled_appointment", "refusal_window_months",
                    "district_residence_required", "response_days_max"]
    list_select_related = ["post"]
    inlines = [CategoryInline, ExclusionInline]
    fieldsets = [
        (None, {"fields": ["post", "accepting"]}),
        (_("Prerequisites"), {"fields": [
            "requires_scheduled_appointment", "refusal_window_months",
            ("district_residence_required", "residence_months"), "flags_previous_expedite",
        ]}),
        (_("Renewal (interview waiver) programme"), {"fields": [
            "refuses_renewal_eligible", "renewal_program_name", "renewal_program_hint", "renewal_program_hint_ja",
            "renewal_program_hint_zh_hans",
        ]}),
        (_("Answer"), {"fields": [("response_days_min", "response_days_max")]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [] if sees_all_posts(request.user) else ["post"]


@admin.register(ExpediteCategory)
class ExpediteCategoryAdmin(PostScopedAdmin, SimpleHistoryAdmin):
    """Categories one by one, with their history (officers may also edit them inside the policy)."""

    post_path = "policy__post"
    form = CategoryForm
    list_display = ["name", "policy", "window", "window_days", "us_company_request_required", "order", "active"]
    list_filter = ["active", "window"]
    list_select_related = ["policy__post"]
    search_fields = ["name", "code"]
    fieldsets = [(None, {"fields": ["policy"]}), *CategoryInline.fieldsets]


@admin.register(ExpediteExclusion)
class ExpediteExclusionAdmin(PostScopedAdmin, SimpleHistoryAdmin):
    post_path = "policy__post"
    list_display = ["name", "policy", "only_alone", "order", "active"]
    list_select_related = ["policy__post"]
    fields = ["policy", "code", "name", "name_ja", "name_zh_hans", "only_alone", "order", "active"]

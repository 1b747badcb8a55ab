"""Who qualifies for an expedited appointment: one pure function over the post's policy rows.

``evaluate(policy, facts)`` reads only its arguments (the policy with its post, and the facts of a request,
including the category row chosen) and returns a ``Decision``: eligible or not, the reasons in the active
language, hints (where to go instead) and flags for the officer. The form, the public page and the tests
use the same rows and this same function.
"""

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from consular_portal.post_text import translated
from consular_portal.regions import region_name

from .models import WindowKind


@dataclass(frozen=True)
class Facts:
    today: dt.date
    category: object = None  # an ExpediteCategory of the policy, or None for "none of these"
    visa_class: str = ""
    travel_date: dt.date | None = None
    program_start_date: dt.date | None = None
    interview_date: dt.date | None = None
    has_appointment: bool = False
    excluded_purposes: tuple = ()
    last_refusal_date: dt.date | None = None
    residence_region: str = ""
    serving_post_name: str = ""  # the post whose district holds ``residence_region``, if known
    resided_in_district: bool = False
    renewal_eligible: bool = False
    previous_expedite: bool = False
    us_company_request: bool = False
    category_confirmed: bool = False


@dataclass(frozen=True)
class Decision:
    eligible: bool
    reasons: list = field(default_factory=list)
    hints: list = field(default_factory=list)
    flags: list = field(default_factory=list)


def months_before(day, months):
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last_day))


def evaluate(policy, facts):
    reasons, hints, flags = [], [], []
    if not policy.accepting:
        reasons.append(_("This post is not taking expedited appointment requests at the moment."))
    _check_purpose(policy, facts, reasons)
    _check_prerequisites(policy, facts, reasons, hints)
    if policy.flags_previous_expedite and facts.previous_expedite:
        flags.append(_("The applicant or the organisation already had an expedited appointment."))
        hints.append(
            _("Applicants or organisations that already had an expedited appointment are normally not "
              "approved for another one.")
        )
    return Decision(eligible=not reasons, reasons=reasons, hints=hints, flags=flags)


def _check_purpose(policy, facts, reasons):
    exclusions = {e.code: e for e in policy.exclusions.all() if e.active}
    chosen = [exclusions[code] for code in facts.excluded_purposes if code in exclusions]
    for exclusion in chosen:
        if not exclusion.only_alone:
            reasons.append(
                _("Travel for this purpose does not qualify for an expedited appointment: %(purpose)s.")
                % {"purpose": exclusion.localized("name")}
            )
    category = facts.category
    if category is None or category.policy_id != policy.pk or not category.active:
        alone = [e for e in chosen if e.only_alone]
        for exclusion in alone:
            reasons.append(
                _("%(purpose)s does not qualify on its own, only together with one of the categories listed.")
                % {"purpose": exclusion.localized("name")}
            )
        if not alone:
            reasons.append(_("Your purpose of travel is not one of the categories this post considers."))
        return
    _check_category(category, facts, reasons)


def _check_category(category, facts, reasons):
    name = category.localized("name")
    if category.visa_classes and facts.visa_class not in category.visa_classes:
        reasons.append(
            _("“%(category)s” applies only to these visa classes: %(classes)s.")
            % {"category": name, "classes": ", ".join(category.visa_class_labels())}
        )
    days = category.window_days or 0
    if category.window == WindowKind.TRAVEL_WITHIN:
        if facts.travel_date is None or facts.travel_date > facts.today + dt.timedelta(days=days):
            reasons.append(
                _("“%(category)s” applies only when you travel within %(days)s days.")
                % {"category": name, "days": days}
            )
    elif category.window == WindowKind.PROGRAM_WITHIN:
        start = facts.program_start_date
        if start is None or start > facts.today + dt.timedelta(days=days):
            reasons.append(
                _("“%(category)s” applies only when your programme starts within %(days)s days.")
                % {"category": name, "days": days}
            )
    elif category.window == WindowKind.PROGRAM_BEFORE_INTERVIEW:
        start, interview = facts.program_start_date, facts.interview_date
        if start is None or interview is None or start >= interview:
            reasons.append(
                _("“%(category)s” applies only when your classes start before your current interview date.")
                % {"category": name}
            )
    if category.confirmation and not facts.category_confirmed:
        reasons.append(
            _("“%(category)s” applies only when this is true: %(statement)s")
            % {"category": name, "statement": category.localized("confirmation")}
        )
    if category.us_company_request_required and not facts.us_company_request:
        reasons.append(
            _("“%(category)s” needs the request for your travel to come from a business or company in the "
              "United States.") % {"category": name}
        )


def _check_prerequisites(policy, facts, reasons, hints):
    if policy.requires_scheduled_appointment and not facts.has_appointment:
        reasons.append(
            _("You must first schedule an appointment through the Visa Call Center, then request an expedited "
              "one.")
        )
    months = policy.refusal_window_months
    if months and facts.last_refusal_date and facts.last_refusal_date > months_before(facts.today, months):
        reasons.append(
            _("Requests of applicants refused a visa within the past %(months)s months are not approved.")
            % {"months": months}
        )
        hints.append(
            _("Call the Visa Call Center to schedule a new appointment, and bring new information to your "
              "interview that shows a change in your situation.")
        )
    if policy.district_residence_required:
        district = policy.post.district_regions
        if facts.residence_region not in district:
            reasons.append(
                _("This post only considers requests from residents of its consular district: %(regions)s.")
                % {"regions": ", ".join(region_name(code) for code in district)}
            )
            if facts.serving_post_name:
                hints.append(
                    _("Contact %(post)s, which serves %(region)s.")
                    % {"post": translated(facts.serving_post_name), "region": region_name(facts.residence_region)}
                )
            else:
                hints.append(_("Contact the US embassy or consulate that serves your place of residence."))
        elif not facts.resided_in_district:
            reasons.append(
                _("You must have lived in the consular district for the past %(months)s months.")
                % {"months": policy.residence_months}
            )
    if policy.refuses_renewal_eligible and facts.renewal_eligible:
        reasons.append(
            _("Applicants who qualify for the visa renewal (interview waiver) programme are not accepted for an "
              "expedited interview.")
        )
        hint = policy.localized_renewal_hint()
        if hint:
            hints.append(hint)


def serving_post_name(region_code, *, exclude_post=None):
    """The name of the post whose consular district holds ``region_code`` ("" if none does)."""
    from consular_portal.models import Post

    if not region_code:
        return ""
    for post in Post.objects.exclude(pk=getattr(exclude_post, "pk", None)).only("name", "district_regions"):
        if region_code in post.district_regions:
            return post.name
    return ""


def qualifying_facts(policy, *, today, category=None, residence_region="", refused_recently=False,
                     serving_post_name=""):
    """The facts of the request form's first step (district, a recent refusal, the purpose), with every
    question asked later answered in the applicant's favour: ``evaluate`` on them turns an applicant away
    only for what the first step asked, and the whole request is evaluated again when it is sent."""
    classes = getattr(category, "visa_classes", None) or [""]
    return Facts(
        today=today,
        category=category,
        visa_class=classes[0],
        travel_date=today,
        program_start_date=today,
        interview_date=today + dt.timedelta(days=1),
        has_appointment=True,
        last_refusal_date=today if refused_recently else None,
        residence_region=residence_region,
        serving_post_name=serving_post_name,
        resided_in_district=True,
        us_company_request=True,
        category_confirmed=True,
    )

"""Every category, exclusion and prerequisite of the Tokyo and Shanghai policies, as the seeds say."""

import datetime as dt

import pytest
from django.utils import translation

from appointments.eligibility import Facts, evaluate, months_before, serving_post_name

pytestmark = [pytest.mark.django_db, pytest.mark.pure]

TODAY = dt.date(2026, 3, 2)
DAY = dt.timedelta(days=1)

# A fact set that qualifies, for each category of each post.
VALID = {
    ("tokyo", "crew-c1d"): {"visa_class": "C1/D", "travel_date": TODAY + 10 * DAY},
    ("tokyo", "e-visa-urgent"): {"visa_class": "E2", "category_confirmed": True},
    ("tokyo", "family-death-illness"): {"visa_class": "B1/B2", "category_confirmed": True},
    ("tokyo", "students"): {"visa_class": "F1", "program_start_date": TODAY + 10 * DAY},
    ("tokyo", "medical-professionals"): {"visa_class": "H1B"},
    ("tokyo", "urgent-business"): {"visa_class": "B1", "us_company_request": True, "category_confirmed": True},
    ("tokyo", "fiance-humanitarian"): {"visa_class": "K1", "category_confirmed": True},
    ("shanghai", "humanitarian"): {"visa_class": "B2", "category_confirmed": True},
    ("shanghai", "students"): {
        "visa_class": "F1", "program_start_date": TODAY + 20 * DAY, "interview_date": TODAY + 40 * DAY,
    },
    ("shanghai", "emergency-business"): {"visa_class": "B1", "category_confirmed": True},
}
SHANGHAI_PREREQUISITES = {
    "has_appointment": True,
    "interview_date": TODAY + 40 * DAY,
    "residence_region": "CN-JS",
    "resided_in_district": True,
}

CASES = [
    # Tokyo: the seven categories of seed 000.
    ("tokyo", "crew travel within 14 days", "crew-c1d", {}, True, ""),
    ("tokyo", "crew travel on day 14", "crew-c1d", {"travel_date": TODAY + 14 * DAY}, True, ""),
    ("tokyo", "crew travel in 15 days", "crew-c1d", {"travel_date": TODAY + 15 * DAY}, False, "within 14 days"),
    ("tokyo", "crew category with a B visa", "crew-c1d", {"visa_class": "B1/B2"}, False, "C-1/D"),
    ("tokyo", "E visa urgent travel", "e-visa-urgent", {}, True, ""),
    ("tokyo", "E visa travel that can be postponed", "e-visa-urgent", {"category_confirmed": False}, False,
     "cannot be postponed"),
    ("tokyo", "urgent travel category is for E visas only", "e-visa-urgent", {"visa_class": "B1"}, False,
     "E-1, E-2, E-3"),
    ("tokyo", "death or illness in the family", "family-death-illness", {}, True, ""),
    ("tokyo", "illness of someone outside the family", "family-death-illness", {"category_confirmed": False},
     False, "member of my family"),
    ("tokyo", "student starting within two weeks", "students", {}, True, ""),
    ("tokyo", "exchange visitor resuming within two weeks", "students", {"visa_class": "J1"}, True, ""),
    ("tokyo", "student starting in three weeks", "students", {"program_start_date": TODAY + 21 * DAY}, False,
     "within 14 days"),
    ("tokyo", "student without a programme date", "students", {"program_start_date": None}, False,
     "within 14 days"),
    ("tokyo", "student category with a tourist visa", "students", {"visa_class": "B2"}, False, "F-1, M-1, J-1"),
    ("tokyo", "medical professional on H", "medical-professionals", {}, True, ""),
    ("tokyo", "medical professional on J", "medical-professionals", {"visa_class": "J1"}, True, ""),
    ("tokyo", "medical professional on B", "medical-professionals", {"visa_class": "B1"}, False, "H-1B"),
    ("tokyo", "urgent business requested by a US company", "urgent-business", {}, True, ""),
    ("tokyo", "urgent business without a US company's request", "urgent-business",
     {"us_company_request": False}, False, "business or company in the United States"),
    ("tokyo", "urgent business is not for E visas", "urgent-business", {"visa_class": "E1"}, False,
     "visa classes"),
    ("tokyo", "business matter not critical", "urgent-business", {"category_confirmed": False}, False,
     "time-sensitive and critical"),
    ("tokyo", "fiance(e) for humanitarian reasons", "fiance-humanitarian", {}, True, ""),
    ("tokyo", "fiance(e) without a humanitarian reason", "fiance-humanitarian", {"category_confirmed": False},
     False, "humanitarian reasons"),
    ("tokyo", "fiance(e) category with a B visa", "fiance-humanitarian", {"visa_class": "B2"}, False, "K-1"),
    # Tokyo exclusions.
    ("tokyo", "wedding", "family-death-illness", {"excluded_purposes": ("wedding",)}, False,
     "Attending a wedding"),
    ("tokyo", "graduation", "family-death-illness", {"excluded_purposes": ("graduation",)}, False,
     "graduation ceremony"),
    ("tokyo", "assisting a pregnant relative", "family-death-illness",
     {"excluded_purposes": ("pregnant-relative",)}, False, "pregnant relative"),
    ("tokyo", "annual conference", "urgent-business", {"excluded_purposes": ("annual-conference",)}, False,
     "annual business, academic or professional conference"),
    ("tokyo", "tourism", "family-death-illness", {"excluded_purposes": ("tourism",)}, False, "Tourism"),
    ("tokyo", "ESTA denial alone", None, {"excluded_purposes": ("esta-denial",)}, False,
     "does not qualify on its own"),
    ("tokyo", "ESTA denial with a category", "family-death-illness", {"excluded_purposes": ("esta-denial",)},
     True, ""),
    ("tokyo", "no category", None, {}, False, "not one of the categories"),
    ("tokyo", "Tokyo does not check refusals, appointments or residence", "crew-c1d",
     {"last_refusal_date": TODAY - 30 * DAY, "has_appointment": False, "residence_region": "CN-GD"}, True, ""),
    # Shanghai: the three categories of seed 001.
    ("shanghai", "immediate family to a seriously ill relative", "humanitarian", {}, True, ""),
    ("shanghai", "humanitarian, not immediate family", "humanitarian", {"category_confirmed": False}, False,
     "immediate family member"),
    ("shanghai", "student whose classes start before the interview", "students", {}, True, ""),
    ("shanghai", "M student", "students", {"visa_class": "M1"}, True, ""),
    ("shanghai", "J exchange visitor", "students", {"visa_class": "J1"}, True, ""),
    ("shanghai", "classes start after the interview", "students", {"program_start_date": TODAY + 50 * DAY},
     False, "before your current interview date"),
    ("shanghai", "classes start on the interview day", "students", {"program_start_date": TODAY + 40 * DAY},
     False, "before your current interview date"),
    ("shanghai", "student category with a B visa", "students", {"visa_class": "B2"}, False, "F-1, M-1, J-1"),
    ("shanghai", "emergency business with economic loss", "emergency-business", {}, True, ""),
    ("shanghai", "business trip without economic loss", "emergency-business", {"category_confirmed": False},
     False, "economic loss"),
    ("shanghai", "business category with a student visa", "emergency-business", {"visa_class": "F1"}, False,
     "visa classes"),
    # Shanghai exclusions: events that could have been planned.
    ("shanghai", "large convention", "emergency-business", {"excluded_purposes": ("convention",)}, False,
     "convention"),
    ("shanghai", "annual meeting", "emergency-business", {"excluded_purposes": ("annual-meeting",)}, False,
     "annual meeting"),
    ("shanghai", "graduation", "humanitarian", {"excluded_purposes": ("graduation",)}, False, "graduation"),
    ("shanghai", "wedding", "humanitarian", {"excluded_purposes": ("wedding",)}, False, "wedding"),
    ("shanghai", "tourism", "humanitarian", {"excluded_purposes": ("tourism",)}, False, "Tourism"),
    ("shanghai", "no category", None, {}, False, "not one of the categories"),
    # Shanghai prerequisites.
    ("shanghai", "no appointment scheduled yet", "humanitarian", {"has_appointment": False}, False,
     "first schedule an appointment"),
    ("shanghai", "refused 3 months ago", "humanitarian", {"last_refusal_date": TODAY - 90 * DAY}, False,
     "within the past 6 months"),
    ("shanghai", "refused 5 months and 30 days ago", "humanitarian",
     {"last_refusal_date": months_before(TODAY, 6) + DAY}, False, "within the past 6 months"),
    ("shanghai", "refused exactly 6 months ago", "humanitarian", {"last_refusal_date": months_before(TODAY, 6)},
     True, ""),
    ("shanghai", "refused 7 months ago", "humanitarian", {"last_refusal_date": TODAY - 213 * DAY}, True, ""),
    ("shanghai", "lives in Guangdong", "humanitarian", {"residence_region": "CN-GD"}, False,
     "residents of its consular district"),
    ("shanghai", "lives in Shanghai", "humanitarian", {"residence_region": "CN-SH"}, True, ""),
    ("shanghai", "lives in Anhui", "humanitarian", {"residence_region": "CN-AH"}, True, ""),
    ("shanghai", "lives in Zhejiang", "humanitarian", {"residence_region": "CN-ZJ"}, True, ""),
    ("shanghai", "in the district for less than 6 months", "humanitarian", {"resided_in_district": False},
     False, "past 6 months"),
    ("shanghai", "eligible for the renewal programme", "students", {"renewal_eligible": True}, False,
     "renewal (interview waiver) programme"),
    ("shanghai", "had an expedited appointment before: flagged, not refused", "humanitarian",
     {"previous_expedite": True}, True, ""),
]


def _facts(policy, code, overrides):
    category = policy.categories.get(code=code) if code else None
    values = {"today": TODAY, "category": category, "travel_date": TODAY + 30 * DAY}
    if policy.post.slug == "shanghai":
        values.update(SHANGHAI_PREREQUISITES)
    if code:
        values.update(VALID[(policy.post.slug, code)])
    values.update(overrides)
    return Facts(**values)


@pytest.mark.parametrize(("slug", "case", "code", "overrides", "eligible", "reason"), CASES,
                         ids=[f"{c[0]}: {c[1]}" for c in CASES])
def test_policy_table(policies, slug, case, code, overrides, eligible, reason):
    policy = policies[slug]
    with translation.override("en"):
        decision = evaluate(policy, _facts(policy, code, overrides))
    assert decision.eligible is eligible, decision.reasons
    if eligible:
        assert decision.reasons == []
    else:
        assert any(reason.lower() in r.lower() for r in decision.reasons), decision.reasons


def test_every_seeded_category_and_exclusion_is_in_the_table(policies):
    covered_categories = {(slug, code) for slug, _case, code, *_ in CASES if code}
    covered_exclusions = {(slug, e) for slug, _case, _code, o, *_ in CASES for e in o.get("excluded_purposes", ())}
    for slug in ("tokyo", "shanghai"):
        policy = policies[slug]
        assert {(slug, c.code) for c in policy.categories.all()} <= covered_categories
        assert {(slug, e.code) for e in policy.exclusions.all()} <= covered_exclusions
    assert policies["tokyo"].categories.count() == 7 and policies["tokyo"].exclusions.count() == 6
    assert policies["shanghai"].categories.count() == 3 and policies["shanghai"].exclusions.count() == 5


def test_every_japan_post_that_issues_visas_has_the_tokyo_policy(policies):
    for slug in ("osaka-kobe", "sapporo", "fukuoka", "naha"):
        assert sorted(policies[slug].categories.values_list("code", flat=True)) == sorted(
            policies["tokyo"].categories.values_list("code", flat=True))
    assert {"beijing", "guangzhou", "shenyang", "wuhan"}.isdisjoint(policies)


@pytest.mark.parametrize(("region", "post_name"), [
    ("CN-GD", "Guangzhou"), ("CN-BJ", "Beijing"), ("CN-HB", "Wuhan"), ("CN-LN", "Shenyang"),
])
def test_outside_the_district_names_the_post_that_serves_the_province(shanghai_policy, region, post_name):
    facts = _facts(shanghai_policy, "humanitarian", {
        "residence_region": region, "serving_post_name": serving_post_name(region),
    })
    decision = evaluate(shanghai_policy, facts)
    assert not decision.eligible
    assert any(post_name in hint for hint in decision.hints), decision.hints


def test_recent_refusal_is_told_to_call_the_call_center(shanghai_policy):
    decision = evaluate(shanghai_policy, _facts(shanghai_policy, "humanitarian", {"last_refusal_date": TODAY}))
    assert any("Visa Call Center" in hint for hint in decision.hints)


def test_renewal_eligible_is_pointed_to_citic_bank(shanghai_policy):
    decision = evaluate(shanghai_policy, _facts(shanghai_policy, "students", {"renewal_eligible": True}))
    assert any("CITIC Bank" in hint for hint in decision.hints)


def test_previous_expedite_is_flagged_to_the_officer(shanghai_policy):
    decision = evaluate(shanghai_policy, _facts(shanghai_policy, "humanitarian", {"previous_expedite": True}))
    assert decision.eligible and decision.flags


def test_reasons_come_in_the_applicants_language(tokyo_policy, shanghai_policy):
    with translation.override("ja"):
        decision = evaluate(tokyo_policy, _facts(tokyo_policy, "crew-c1d", {"travel_date": TODAY + 20 * DAY}))
    assert "14日以内に渡航する場合にのみ適用されます" in decision.reasons[0]
    assert "C-1/D（乗務員）" in decision.reasons[0]
    with translation.override("zh-hans"):
        decision = evaluate(shanghai_policy, _facts(shanghai_policy, "humanitarian", {
            "residence_region": "CN-GD", "serving_post_name": serving_post_name("CN-GD")}))
    assert "领区" in decision.reasons[0] and "广东省" in decision.hints[0]


def test_a_post_not_accepting_requests_refuses_everything(tokyo_policy):
    tokyo_policy.accepting = False
    decision = evaluate(tokyo_policy, _facts(tokyo_policy, "crew-c1d", {}))
    assert not decision.eligible

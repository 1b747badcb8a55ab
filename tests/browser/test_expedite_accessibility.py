"""The expedite pages in Chromium: WCAG 2.1 AA by axe-core, 375 px without sideways scrolling, no JavaScript.

Every page an applicant meets: who qualifies (Tokyo, Shanghai), the request form (empty, with errors, as a
group, in the three languages) and the applicant's page of one request (before and after a decision).
"""

import datetime as dt

import pytest

from appointments.booking import request_approve, request_refuse
from appointments.links import request_path
from appointments.models import ExpediteRequest
from tests.factories import ExpediteRequestFactory, SlotFactory, member

from .conftest import axe_violations
from .expedite_form import answer_first_step, fill_shanghai

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

LANGUAGES = ["en", "ja", "zh-hans"]
SEND = {"en": "Send the request", "ja": "申請を送信する", "zh-hans": "提交申请"}


@pytest.fixture
def requests_by_status(shanghai_policy, officer_shanghai):
    """A Shanghai request in each state the applicant can see: submitted, approved, refused."""
    post, officer = shanghai_policy.post, officer_shanghai
    submitted = ExpediteRequestFactory(post=post, number=1, residence_region="CN-SH", full_name="Li Wei")
    approved = ExpediteRequestFactory(post=post, number=2, residence_region="CN-SH", full_name="Wang Fang")
    request_approve(request=approved, officer=officer, slot=SlotFactory(post=post, capacity=2))
    refused = ExpediteRequestFactory(post=post, number=3, residence_region="CN-SH", full_name="Zhang San",
                                     is_group=True, organiser_name="Zhang San", organiser_email="zhang@example.com",
                                     members=[member(1, full_name="Zhang Si", date_of_birth=dt.date(1990, 3, 4),
                                                     ds160_number="AA12345678")])
    request_refuse(request=refused, officer=officer, reason="other", note="Your travel can wait.\nSorry.")
    return {"submitted": submitted, "approved": approved, "refused": refused}


def submit(page, language="en"):
    page.locator(f'button[type=submit]:text-is("{SEND[language]}")').click()
    page.wait_for_load_state()


def show_errors(page, language="en"):
    """Send the form empty, as a person who pressed the button too early."""
    submit(page, language)
    page.wait_for_selector("#error-summary")


def choose_group_with_a_bad_member(page):
    page.locator("label[for=id_request_type_1]").click()
    page.locator("#id_members-0-full_name").fill("Zhang Si")
    page.locator("#id_members-0-date_of_birth").fill("2999-01-01")
    page.locator("#id_members-0-ds160_number").fill("BB1")
    submit(page)
    page.wait_for_selector("#error-summary")


def scrolls_sideways(page):
    return page.evaluate("() => document.documentElement.scrollWidth > document.documentElement.clientWidth")


def applicant_page(live_server, request, language="en"):
    from django.utils import translation

    with translation.override(language):
        return f"{live_server.url}{request_path(request)}"


POLICY_PAGES = ["tokyo", "shanghai"]


@pytest.mark.parametrize("slug", POLICY_PAGES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_who_qualifies_has_no_wcag_violations(axe_page, live_server, policies, slug, language):
    response = axe_page.goto(f"{live_server.url}/{language}/appointments/{slug}/")
    assert response.status == 200
    assert axe_violations(axe_page) == []


@pytest.mark.parametrize("slug", POLICY_PAGES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_request_form_has_no_wcag_violations_empty_or_with_errors(axe_page, live_server, policies, slug,
                                                                      language):
    response = axe_page.goto(f"{live_server.url}/{language}/appointments/{slug}/request/")
    assert response.status == 200
    assert axe_violations(axe_page) == []
    show_errors(axe_page, language)
    assert axe_page.locator("#error-summary").count() == 1
    assert axe_violations(axe_page) == []


def test_a_group_request_with_errors_has_no_wcag_violations(axe_page, live_server, policies):
    axe_page.goto(f"{live_server.url}/en/appointments/shanghai/request/")
    axe_page.get_by_role("button", name="More rows for a larger group").click()
    axe_page.wait_for_selector("#id_members-14-full_name")
    assert axe_violations(axe_page) == []
    choose_group_with_a_bad_member(axe_page)
    # One summary for the form and its members, each error linked to a control that exists.
    assert axe_page.locator("#error-summary").count() == 1
    summary = axe_page.locator("#error-summary").inner_text()
    assert "Group member 1: A DS-160 confirmation number has 10 characters and starts with AA." in summary
    assert "Needed for a group request." in summary
    targets = axe_page.eval_on_selector_all("#error-summary a", "links => links.map(a => a.hash.slice(1))")
    assert "members-0-ds160_number" in " ".join(targets)
    for target in targets:
        assert axe_page.evaluate("(id) => !!document.getElementById(id)", target), target
    assert axe_page.locator("#group-members legend", has_text="Group member 2").count() == 1
    assert axe_violations(axe_page) == []


def test_an_ineligible_request_with_hints_has_no_wcag_violations(axe_page, live_server, policies, tmp_path):
    axe_page.goto(f"{live_server.url}/en/appointments/shanghai/request/")
    fill_shanghai(axe_page, policies["shanghai"], region="CN-GD", tmp_path=tmp_path)
    submit(axe_page)
    assert "Guangzhou" in axe_page.locator("#hints").inner_text()
    assert axe_violations(axe_page) == []


@pytest.mark.parametrize("state", ["submitted", "approved", "refused"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_applicant_page_has_no_wcag_violations(axe_page, live_server, requests_by_status, state, language):
    request = requests_by_status[state]
    response = axe_page.goto(applicant_page(live_server, request, language) + "?submitted=1")
    assert response.status == 200
    assert request.reference in axe_page.locator("h1").inner_text()
    assert axe_violations(axe_page) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_expedite_page_scrolls_sideways_at_375px(phone_page, live_server, requests_by_status, watch, language):
    problems = watch(phone_page)
    base = f"{live_server.url}/{language}/appointments"
    refused = "?answered=1&residence_region=CN-BJ&refused_recently=yes&category=none"
    for url in [f"{base}/tokyo/", f"{base}/shanghai/", f"{base}/tokyo/request/", f"{base}/shanghai/request/",
                f"{base}/tokyo/request/check/", f"{base}/shanghai/request/check/",
                f"{base}/shanghai/request/check/{refused}",
                *[applicant_page(live_server, r, language) for r in requests_by_status.values()]]:
        response = phone_page.goto(url)
        assert response.status == 200, url
        assert not scrolls_sideways(phone_page), url
        if url.endswith("/request/"):
            show_errors(phone_page, language)
            assert not scrolls_sideways(phone_page), f"{url} with errors"
    if language == "en":
        phone_page.goto(f"{base}/shanghai/request/")
        choose_group_with_a_bad_member(phone_page)
        assert not scrolls_sideways(phone_page), "group request with errors"
    phone_page.wait_for_timeout(200)
    # A form sent with errors answers 400 on purpose; nothing else may fail.
    assert [p for p in problems.items if "400" not in p] == []


def test_a_shanghai_request_is_sent_without_javascript(no_js_page, live_server, policies, tmp_path):
    page = no_js_page
    page.goto(f"{live_server.url}/en/appointments/shanghai/")
    page.get_by_role("link", name="Request an expedited appointment").click()
    answer_first_step(page)
    fill_shanghai(page, policies["shanghai"], tmp_path=tmp_path, carried=True)
    submit(page)
    page.wait_for_selector("#submitted")
    request = ExpediteRequest.objects.get()
    assert request.reference in page.locator("#submitted").inner_text()
    assert (request.full_name, request.passport_number, request.residence_region) == ("Li Wei", "E12345678", "CN-JS")
    assert request.documents.get().pages == 1
    assert "Submitted." in page.locator("#status").inner_text()


def test_a_group_request_is_sent_without_javascript_after_fixing_an_error(no_js_page, live_server, policies,
                                                                          tmp_path):
    """The first send has a mistake in a member; the page keeps every value typed, the person fixes it."""
    page = no_js_page
    page.goto(f"{live_server.url}/en/appointments/shanghai/request/")
    fill_shanghai(page, policies["shanghai"], tmp_path=tmp_path)
    page.locator("label[for=id_request_type_1]").click()
    page.get_by_label("Organisation").fill("Example Trading Co.")
    page.get_by_label("Group organiser's name").fill("Zhang San")
    page.get_by_label("Group organiser's phone").fill("+86 21 5555 0101")
    page.get_by_label("Group organiser's email").fill("organiser@example.com")
    page.locator("#id_members-0-full_name").fill("Zhang Si")
    page.locator("#id_members-0-date_of_birth").fill("1991-02-03")
    page.locator("#id_members-0-ds160_number").fill("AA1")
    page.locator("#id_members-0-previous_visas").fill("none")
    # A larger group needs more rows: the page comes back with them and with everything typed.
    page.get_by_role("button", name="More rows for a larger group").click()
    page.wait_for_selector("#id_members-14-full_name")
    assert page.locator("#error-summary").count() == 0
    assert page.locator("#id_members-0-full_name").input_value() == "Zhang Si"
    page.locator("#id_members-14-full_name").fill("Zhang Liu")
    page.locator("#id_members-14-date_of_birth").fill("1995-06-07")
    page.locator("#id_members-14-ds160_number").fill("AA55667788")
    submit(page)
    assert "starts with AA" in page.locator("#error-summary").inner_text()
    # Everything typed is still there, and the proof chosen before is kept (named, not chosen again).
    assert page.locator("#id_full_name").input_value() == "Li Wei"
    assert page.locator("#id_organiser_email").input_value() == "organiser@example.com"
    assert page.locator("#id_members-0-full_name").input_value() == "Zhang Si"
    assert page.locator("#id_members-0-ds160_number").input_value() == "AA1"
    assert page.is_checked("#id_request_type_1") and page.is_checked("#id_renewal_eligible_0")
    assert "We kept the proof you already sent" in page.locator("#kept-proof").inner_text()
    assert page.get_by_label("Remove i20.pdf").is_visible()
    page.locator("#id_members-0-ds160_number").fill("AA11223344")
    submit(page)
    page.wait_for_selector("#submitted")
    request = ExpediteRequest.objects.get()
    assert [d.original_name for d in request.documents.all()] == ["i20.pdf"]
    assert request.is_group and [m.full_name for m in request.members.all()] == ["Zhang Si", "Zhang Liu"]
    assert request.organisation == "Example Trading Co."

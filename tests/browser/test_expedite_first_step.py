"""The request form's first step in Chromium: the qualifying questions answered at once, on a 375 px phone,
without JavaScript, in English and Japanese; an applicant who could qualify goes on and sends the request."""

import pytest

from appointments.models import ExpediteRequest

from .conftest import axe_violations
from .expedite_form import fill_shanghai, tick

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

CONTINUE = {"en": "Continue", "ja": "続ける"}
STUDENTS = {"en": "Students (F, M, J visas)", "ja": "学生（F・M・Jビザ）"}
NO, YES = {"en": "No", "ja": "いいえ"}, {"en": "Yes", "ja": "はい"}



def scrolls_sideways(page):
    return page.evaluate("() => document.documentElement.scrollWidth > document.documentElement.clientWidth")


def answer(page, live_server, language, *, region, refused):
    page.goto(f"{live_server.url}/{language}/appointments/shanghai/")
    page.locator("main a.usa-button").click()
    page.wait_for_load_state()
    assert page.locator("input[name=passport_number]").count() == 0  # the long form is not asked yet
    page.locator("select[name=residence_region]").select_option(region)
    page.locator(f"input[name=refused_recently][value={'yes' if refused else 'no'}] + label").click()
    page.locator(f'label:text-is("{STUDENTS[language]}")').click()
    page.locator(f'button[type=submit]:text-is("{CONTINUE[language]}")').click()
    page.wait_for_load_state()


@pytest.mark.parametrize(("language", "reason"), [
    ("en", "only considers requests from residents of its consular district"),
    ("ja", "管轄区域の居住者"),
])
def test_a_beijing_resident_is_told_at_once_on_the_first_step(no_js_page, live_server, shanghai_policy, language,
                                                              reason):
    answer(no_js_page, live_server, language, region="CN-BJ", refused=False)
    alert = no_js_page.locator("#not-eligible")
    assert reason in alert.inner_text()
    assert "U.S. Embassy Beijing" in no_js_page.locator("#hints").inner_text() or language == "ja"
    assert "北京" in no_js_page.locator("#hints").inner_text() or language == "en"
    assert no_js_page.locator("input[name=passport_number]").count() == 0


@pytest.mark.parametrize(("language", "reason"), [
    ("en", "refused a visa within the past 6 months"),
    ("ja", "過去6か月以内"),
])
def test_a_recent_refusal_is_told_at_once_on_the_first_step(phone_page, live_server, shanghai_policy, language,
                                                            reason):
    answer(phone_page, live_server, language, region="CN-JS", refused=True)
    assert reason in phone_page.locator("#not-eligible").inner_text()
    assert phone_page.locator("input[name=passport_number]").count() == 0
    assert not scrolls_sideways(phone_page)


def test_the_first_step_and_its_answer_have_no_wcag_violations(axe_page, live_server, shanghai_policy):
    axe_page.goto(f"{live_server.url}/en/appointments/shanghai/request/check/")
    assert axe_violations(axe_page) == []
    answer(axe_page, live_server, "ja", region="CN-BJ", refused=True)
    assert axe_page.locator("#not-eligible").count() == 1
    assert axe_violations(axe_page) == []


def test_an_eligible_applicant_continues_and_sends_the_request(no_js_page, live_server, shanghai_policy, tmp_path):
    page = no_js_page
    answer(page, live_server, "en", region="CN-JS", refused=False)
    assert "/request/?" in page.url
    summary = page.locator("#first-step").inner_text()
    assert "Jiangsu" in summary and "Students (F, M, J visas)" in summary
    assert page.locator("select[name=residence_region]").count() == 0  # not asked again
    fill_shanghai(page, shanghai_policy, tmp_path=tmp_path, carried=True)
    page.locator('button[type=submit]:text-is("Send the request")').click()
    page.wait_for_load_state()
    request = ExpediteRequest.objects.get()
    assert request.residence_region == "CN-JS" and request.category.code == "students"
    assert request.reference in page.locator("main").inner_text()


def test_the_change_link_brings_back_the_first_step_with_the_answers(phone_page, live_server, shanghai_policy):
    answer(phone_page, live_server, "en", region="CN-JS", refused=False)
    phone_page.locator("#first-step a").click()
    phone_page.wait_for_load_state()
    assert phone_page.locator("select[name=residence_region]").input_value() == "CN-JS"
    tick(phone_page, STUDENTS["en"])
    assert not scrolls_sideways(phone_page)

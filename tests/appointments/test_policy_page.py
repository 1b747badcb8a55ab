"""The public "who qualifies" page is rendered from the policy rows; editing a row changes page and form."""

import re

import pytest
from django.urls import reverse

from tests.factories import pdf_upload
from tests.form_data import expedite_form_data

pytestmark = pytest.mark.django_db


def section(body, element_id):
    match = re.search(rf'<ul class="usa-list" id="{element_id}">(.*?)</ul>', body, re.S)
    return match.group(1) if match else ""


@pytest.mark.parametrize("slug", ["tokyo", "shanghai"])
def test_the_page_lists_exactly_the_policy_rows(client, policies, slug):
    policy = policies[slug]
    body = client.get(f"/en/appointments/{slug}/").content.decode()
    categories = section(body, "categories")
    assert categories.count("<li") == policy.categories.filter(active=True).count()
    for category in policy.categories.all():
        assert category.name in categories and category.explanation in categories
        assert category.proof in categories
    exclusions = section(body, "exclusions")
    assert exclusions.count("<li") == policy.exclusions.filter(active=True).count()
    for exclusion in policy.exclusions.all():
        assert exclusion.name in exclusions


def test_shanghai_lists_its_prerequisites_and_tokyo_has_none(client, policies):
    shanghai = client.get("/en/appointments/shanghai/").content.decode()
    prerequisites = section(shanghai, "prerequisites")
    for text in ("first schedule an appointment", "past 6 months are not approved",
                 "Shanghai, Anhui, Jiangsu, Zhejiang", "renewal (interview waiver) programme", "CITIC Bank",
                 "normally not approved"):
        assert text in prerequisites
    assert "within 1–2 business days" in shanghai
    assert 'id="prerequisites"' not in client.get("/en/appointments/tokyo/").content.decode()


def test_the_page_is_in_the_applicants_language(client, policies):
    ja = client.get("/ja/appointments/tokyo/").content.decode()
    assert "2週間以内にプログラムを開始または再開する学生・交流訪問者" in ja and "結婚式への出席" in ja
    zh = client.get("/zh-hans/appointments/shanghai/").content.decode()
    assert "人道主义申请" in zh and "大型会议" in zh and "中信银行" in zh


def test_editing_a_category_in_the_admin_changes_the_page_and_the_form(client, officer_tokyo, tokyo_policy):
    crew = tokyo_policy.categories.get(code="crew-c1d")
    client.force_login(officer_tokyo)
    url = reverse("admin:appointments_expeditecategory_change", args=[crew.pk])
    assert client.get(url).status_code == 200
    data = {
        "policy": tokyo_policy.pk, "code": crew.code, "order": crew.order, "active": "on",
        "name": "C-1/D crew, travel within 5 days", "name_ja": "", "name_zh_hans": "",
        "explanation": "Crew members travelling within five days.", "explanation_ja": "", "explanation_zh_hans": "",
        "visa_classes": ["C1/D"], "window": "travel_within", "window_days": "5", "confirmation": "",
        "confirmation_ja": "", "confirmation_zh_hans": "", "proof": crew.proof, "proof_ja": "", "proof_zh_hans": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    client.logout()
    page = client.get("/en/appointments/tokyo/").content.decode()
    assert "C-1/D crew, travel within 5 days" in page and "C-1/D crew visas, travel within 14 days" not in page
    form = client.get("/en/appointments/tokyo/request/").content.decode()
    assert "C-1/D crew, travel within 5 days" in form
    # Travel in 10 days qualified before the edit; now the form refuses it with the new rule.
    response = client.post("/en/appointments/tokyo/request/",
                           {**expedite_form_data(tokyo_policy), "proof": pdf_upload()})
    assert response.status_code == 200
    assert "applies only when you travel within 5 days" in response.content.decode()
    # The change is in the category's history, with who made it.
    record = crew.history.first()
    assert record.history_user == officer_tokyo and record.window_days == 5


def test_a_deactivated_category_disappears_from_page_and_form(client, shanghai_policy):
    students = shanghai_policy.categories.get(code="students")
    students.active = False
    students.save()
    page = client.get("/en/appointments/shanghai/").content.decode()
    assert "Students (F, M, J visas)" not in page
    form = client.get("/en/appointments/shanghai/request/").content.decode()
    assert f'value="{students.pk}"' not in form
    response = client.post("/en/appointments/shanghai/request/",
                           {**expedite_form_data(shanghai_policy), "proof": pdf_upload()})
    assert response.status_code == 400
    assert "Choose an answer: Why do you need an earlier interview?" in response.content.decode()


@pytest.mark.parametrize("slug", ["tokyo", "shanghai"])
def test_the_page_says_an_earlier_interview_is_not_a_visa(client, policies, slug):
    # Seed 001: "An expedited interview appointment does not improve an applicant's chances of obtaining a
    # U.S. visa" and "Do not confirm your travel plans until you have received your approved visa."
    body = client.get(f"/en/appointments/{slug}/").content.decode()
    assert "does not improve your chances of obtaining a visa" in body
    assert "Do not confirm your travel plans until you have your visa." in body
    assert "不会提高" in client.get(f"/zh-hans/appointments/{slug}/").content.decode()

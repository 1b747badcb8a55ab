"""The request form's first step: the qualifying questions, answered at once, then the full form."""

import re

import pytest

from appointments.models import ExpediteRequest
from tests.factories import pdf_upload
from tests.form_data import expedite_form_data

pytestmark = pytest.mark.django_db
SHANGHAI_CHECK = "/en/appointments/shanghai/request/check/"
SHANGHAI_FORM = "/en/appointments/shanghai/request/"


def students(policy):
    return str(policy.categories.get(code="students").pk)


def check(client, policy, *, region="CN-JS", refused="no", category=None, language="en"):
    return client.get(f"/{language}/appointments/shanghai/request/check/", {
        "answered": "1", "residence_region": region, "refused_recently": refused,
        "category": category or students(policy)})


def test_the_first_step_asks_only_the_qualifying_questions(client, shanghai_policy):
    page = client.get(SHANGHAI_CHECK).content.decode()
    form = page.split('<form class="usa-form usa-form--large"')[1].split("</form>")[0]
    names = set(re.findall(r'name="([a-z_]+)"', form)) - {"answered"}
    assert names == {"residence_region", "refused_recently", "category"}
    assert 'method="get"' in page and "Passport number" not in page


def test_the_policy_page_starts_with_the_first_step(client, shanghai_policy):
    page = client.get("/en/appointments/shanghai/").content.decode()
    assert 'href="/en/appointments/shanghai/request/check/"' in page


@pytest.mark.parametrize(("language", "region", "refused", "reason", "hint"), [
    ("en", "CN-BJ", "no", "only considers requests from residents of its consular district",
     "Contact U.S. Embassy Beijing"),
    ("en", "CN-JS", "yes", "refused a visa within the past 6 months are not approved",
     "Call the Visa Call Center"),
    ("ja", "CN-BJ", "no", "管轄区域の居住者", "北京市"),
    ("ja", "CN-JS", "yes", "過去6か月以内", "コールセンター"),
])
def test_an_applicant_who_cannot_qualify_is_told_at_once_with_what_to_do(
        client, shanghai_policy, language, region, refused, reason, hint):
    response = check(client, shanghai_policy, region=region, refused=refused, language=language)
    page = response.content.decode()
    assert response.status_code == 200
    answer = page.split('id="not-eligible"')[1].split("</form>")[0]
    assert reason in answer and hint in answer
    assert "passport_number" not in page


def test_none_of_the_categories_is_told_at_once(client, shanghai_policy):
    page = check(client, shanghai_policy, category="none").content.decode()
    assert "not one of the categories this post considers" in page


def test_an_unanswered_first_step_says_what_is_missing(client, shanghai_policy):
    response = client.get(SHANGHAI_CHECK, {"answered": "1"})
    assert response.status_code == 400
    assert "Choose why you need an earlier interview." in response.content.decode()


def test_an_applicant_who_could_qualify_goes_on_with_the_answers_carried(client, shanghai_policy):
    response = check(client, shanghai_policy)
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(SHANGHAI_FORM + "?")
    page = client.get(location).content.decode()
    # Not asked again: hidden fields, shown in a summary with a link to change them.
    assert f'type="hidden" name="category" value="{students(shanghai_policy)}"' in page
    assert 'type="hidden" name="residence_region" value="CN-JS"' in page
    assert 'name="category" value="none"' not in page and "<select name=\"residence_region\"" not in page
    summary = page.split('id="first-step"')[1].split("</section>")[0]
    assert "Jiangsu" in summary and "Students (F, M, J visas)" in summary
    assert "/request/check/?" in summary and "residence_region=CN-JS" in summary
    assert 'name="passport_number"' in page


def test_the_change_link_shows_the_first_step_with_the_answers(client, shanghai_policy):
    page = client.get(SHANGHAI_CHECK, {"residence_region": "CN-JS", "refused_recently": "no",
                                       "category": students(shanghai_policy)}).content.decode()
    assert '<option value="CN-JS" selected>' in page
    assert "not-eligible" not in page


def test_answers_changed_in_the_address_are_checked_again(client, shanghai_policy):
    response = client.get(SHANGHAI_FORM, {"residence_region": "CN-BJ", "refused_recently": "no",
                                          "category": students(shanghai_policy)})
    assert response.status_code == 302 and "/request/check/" in response["Location"]
    assert "consular district" in client.get(response["Location"]).content.decode()


def test_the_full_form_sent_with_carried_answers_is_evaluated_again(client, shanghai_policy):
    query = f"?residence_region=CN-JS&refused_recently=no&category={students(shanghai_policy)}"
    # Tampered hidden field: the whole request is evaluated again when it is sent.
    response = client.post(SHANGHAI_FORM + query, {**expedite_form_data(shanghai_policy, residence_region="CN-BJ"),
                                                   "proof": pdf_upload()})
    assert response.status_code == 200 and not ExpediteRequest.objects.exists()
    page = response.content.decode()
    assert "consular district" in page and 'id="first-step"' in page
    response = client.post(SHANGHAI_FORM + query, {**expedite_form_data(shanghai_policy), "proof": pdf_upload()})
    assert response.status_code == 302 and ExpediteRequest.objects.get().residence_region == "CN-JS"

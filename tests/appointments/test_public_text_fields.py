"""Every text field of every public form refuses control characters, including the fields a post adds."""

import pytest
from django import forms

from appointments.forms import ExpediteRequestForm
from appointments.member_forms import member_formset
from consular_portal.forms import FraudReportForm, SurveyForm

pytestmark = pytest.mark.django_db

BELL = "Nanjing\x07 since 2020"


def public_forms(policies):
    """(name, form class, its keyword arguments) for every public form, built for every post."""
    yield "survey", SurveyForm, {}
    yield "fraud", FraudReportForm, {}
    for slug, policy in policies.items():
        yield f"request-{slug}", ExpediteRequestForm, {"policy": policy}
        member_form = member_formset(post=policy.post).forms[0]
        yield f"member-{slug}", type(member_form), {"post": policy.post}


def text_fields(form_class, kwargs):
    form = form_class(**kwargs)
    return [name for name, field in form.fields.items() if isinstance(field, forms.CharField)]


def test_every_text_field_of_every_public_form_refuses_control_characters(policies):
    checked = []
    for label, form_class, kwargs in public_forms(policies):
        for name in text_fields(form_class, kwargs):
            form = form_class({name: BELL}, **kwargs)
            assert not form.is_valid()
            codes = [error.code for error in form.errors.as_data().get(name, [])]
            assert "control_characters" in codes, f"{label}: {name} took a control character"
            checked.append((label, name))
    # The fields Shanghai adds to its own form are among them.
    assert ("request-shanghai", "residence_places") in checked
    assert ("request-shanghai", "work_places") in checked
    assert ("member-shanghai", "full_name") in checked


def test_shanghai_residence_and_work_places_refuse_control_characters_on_the_page(client, shanghai_policy):
    from tests.factories import pdf_upload
    from tests.form_data import expedite_form_data

    data = expedite_form_data(shanghai_policy, residence_places=BELL, work_places="Nanjing University\x1b[31m")
    response = client.post("/en/appointments/shanghai/request/", {**data, "proof": pdf_upload()})
    assert response.status_code == 400
    assert response.content.decode().count("Remove the invisible control characters from this text.") >= 2

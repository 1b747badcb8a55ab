"""One signed-link mechanism for every applicant page, and applicant pages that no cache keeps."""

import datetime as dt
import re

import pytest
from django.core import signing
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from consular_portal.access import make_token, object_from_token, private_page
from consular_portal.models import FraudReport, OutboundEmail
from consular_portal.views import FRAUD_RECEIVED_SALT

from .form_data import fraud_form_data
from .links import token_made_ago
from .test_settings import PRODUCTION_ENV, manage, settings_value

pytestmark = pytest.mark.django_db
SALT = "tests.access"
REPORT = fraud_form_data(post=None, description="A caller asked for a fee to speed up my MRV payment.")


def report(posts, number=1):
    return FraudReport.objects.create(reference=f"FR-TEST-{number:04d}", post=posts["tokyo"], kind="other",
                                      description="A fee.", language="en")


def made_ago(obj, age, *, salt=SALT):
    return token_made_ago(obj, age, salt=salt)


def load(token, *, salt=SALT, max_age=dt.timedelta(days=1)):
    return object_from_token(FraudReport.objects.all(), token, salt=salt, max_age=max_age)


def test_a_token_loads_its_object_and_is_url_safe(posts):
    first, second = report(posts, 1), report(posts, 2)
    token = make_token(first, salt=SALT)
    assert re.fullmatch(r"[A-Za-z0-9_.:-]+", token)
    assert load(token) == first and load(make_token(second, salt=SALT)) == second


@pytest.mark.parametrize("why", ["tampered", "other salt", "expired", "other model", "unknown", "not a list",
                                 "garbage", "revoked"])
def test_every_bad_token_is_a_404(posts, why):
    obj = report(posts)
    token = make_token(obj, salt=SALT)
    bad = {
        "tampered": token[:-2] + ("AA" if token[-2:] != "AA" else "BB"),
        "other salt": make_token(obj, salt="another"),
        "expired": made_ago(obj, dt.timedelta(days=1, seconds=5)),
        "other model": signing.dumps(["consular_portal.post", obj.reference, 0], salt=SALT, compress=True),
        "unknown": signing.dumps(["consular_portal.fraudreport", "FR-NONE-0000", 0], salt=SALT, compress=True),
        "not a list": signing.dumps({"reference": obj.reference}, salt=SALT),
        "garbage": "\x00:::" + "é" * 50,
        "revoked": signing.dumps(["consular_portal.fraudreport", obj.reference, 1], salt=SALT, compress=True),
    }[why]
    with pytest.raises(Http404):
        load(bad)


def test_a_token_is_good_until_its_max_age(posts):
    obj = report(posts)
    assert load(made_ago(obj, dt.timedelta(hours=23)), max_age=dt.timedelta(hours=24)) == obj
    with pytest.raises(Http404):
        load(made_ago(obj, dt.timedelta(hours=25)), max_age=dt.timedelta(hours=24))


def test_the_fraud_received_page_opens_from_the_report_and_expires_after_a_day(client, posts):
    response = client.post("/en/fraud/", REPORT | {"post": "tokyo"})
    assert response.status_code == 302
    reference = FraudReport.objects.get().reference
    page = client.get(response["Location"])
    assert page.status_code == 200 and reference in page.content.decode()
    assert OutboundEmail.objects.filter(template="fraud_report").count() == 1
    obj = FraudReport.objects.get()
    recent = made_ago(obj, dt.timedelta(hours=23), salt=FRAUD_RECEIVED_SALT)
    assert client.get(f"/en/fraud/received/{recent}/").status_code == 200
    old = made_ago(obj, dt.timedelta(hours=24, minutes=1), salt=FRAUD_RECEIVED_SALT)
    response = client.get(f"/en/fraud/received/{old}/")
    assert response.status_code == 404 and reference not in response.content.decode()


def test_the_fraud_received_page_needs_a_report_that_exists(client, posts):
    unknown = signing.dumps(["consular_portal.fraudreport", "FR-7K2Q-9PMX", 0], salt=FRAUD_RECEIVED_SALT,
                            compress=True)
    assert client.get(f"/en/fraud/received/{unknown}/").status_code == 404
    request_token = signing.dumps(["appointments.expediterequest", "FR-7K2Q-9PMX", 0], salt=FRAUD_RECEIVED_SALT)
    assert client.get(f"/en/fraud/received/{request_token}/").status_code == 404


def test_the_fraud_received_page_is_never_stored(client, posts):
    token = make_token(report(posts), salt=FRAUD_RECEIVED_SALT)
    response = client.get(f"/ja/fraud/received/{token}/")
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


def test_private_page_overrides_a_cacheable_answer():
    @private_page
    def view(request):
        response = HttpResponse("Sato Taro")
        response["Cache-Control"] = "public, max-age=600"
        return response

    response = view(RequestFactory().get("/"))
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives and "public" not in directives
    assert "max-age=600" not in directives


def test_the_links_lifetime_comes_from_the_environment():
    assert settings_value("APPLICANT_LINK_MAX_AGE_DAYS", {}) == "180"
    assert settings_value("APPLICANT_LINK_MAX_AGE_DAYS", {"APPLICANT_LINK_MAX_AGE_DAYS": "30"}) == "30"
    result = manage("check", env={**PRODUCTION_ENV, "APPLICANT_LINK_MAX_AGE_DAYS": "0"})
    assert result.returncode != 0 and "APPLICANT_LINK_MAX_AGE_DAYS" in result.stderr


def test_a_fraud_report_sent_back_with_an_error_is_never_stored(client, posts):
    response = client.post("/en/fraud/", REPORT | {"post": "tokyo", "reporter_email": "not-an-address",
                                                   "reporter_name": "Sato Taro"})
    assert response.status_code == 200 and "Sato Taro" in response.content.decode()
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives

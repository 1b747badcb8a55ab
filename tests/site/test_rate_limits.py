"""Public submissions are limited per client; errors never count, and an outage of the counter never
refuses a person."""

import pytest
from django.test import RequestFactory

from consular_portal.forms import SurveyForm
from consular_portal.models import FraudReport, SurveyResponse
from consular_portal.ratelimits import client_ip
from tests.form_data import fraud_form_data

pytestmark = pytest.mark.django_db

FRAUD = fraud_form_data(description="Someone asked me to pay my MRV fee to them.")


@pytest.fixture
def two_per_hour(settings):
    settings.SUBMISSION_RATE_LIMIT = "2/h"


def test_a_client_over_the_limit_gets_the_form_back_with_a_message_and_its_values(client, posts, two_per_hour):
    assert client.post("/en/fraud/", FRAUD).status_code == 302
    assert client.post("/en/fraud/", FRAUD).status_code == 302
    third = client.post("/en/fraud/", {**FRAUD, "description": "A third report, typed with care."})
    assert third.status_code == 429
    page = third.content.decode()
    assert "Please wait an hour and send it again" in page
    assert "A third report, typed with care." in page
    assert FraudReport.objects.count() == 2


def test_the_message_is_in_the_pages_language(client, posts, two_per_hour):
    for _ in range(2):
        client.post("/ja/feedback/", {"rating": "5"})
    response = client.post("/ja/feedback/", {"rating": "5"})
    assert response.status_code == 429
    assert "1時間" in response.content.decode()
    assert SurveyResponse.objects.count() == 2


def test_forms_with_errors_do_not_count(client, posts, two_per_hour):
    for _ in range(5):
        assert client.post("/en/feedback/", {"rating": "99"}).status_code == 200
    assert client.post("/en/feedback/", {"rating": "4"}).status_code == 302
    assert client.post("/en/feedback/", {"rating": "4"}).status_code == 302


def test_each_client_has_its_own_count(client, posts, two_per_hour):
    for _ in range(2):
        client.post("/en/fraud/", FRAUD, REMOTE_ADDR="198.51.100.1")
    assert client.post("/en/fraud/", FRAUD, REMOTE_ADDR="198.51.100.1").status_code == 429
    assert client.post("/en/fraud/", FRAUD, REMOTE_ADDR="198.51.100.2").status_code == 302


def test_an_outage_of_the_counter_never_refuses_a_person(client, posts, two_per_hour, redis_server):
    redis_server.stop()
    try:
        statuses = [client.post("/en/fraud/", FRAUD).status_code for _ in range(3)]
    finally:
        redis_server.start()
    assert statuses == [302, 302, 302]
    assert FraudReport.objects.count() == 3


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, "", "192.0.2.10"),
        (0, "203.0.113.5", "192.0.2.10"),  # no proxy: the header is the client's own claim, ignored
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # a forged entry in front changes nothing
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (1, "", "192.0.2.10"),
    ],
)
def test_client_address_behind_trusted_proxies(settings, proxies, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip(request) == expected


@pytest.fixture
def three_invalid_per_hour(settings):
    settings.INVALID_SUBMISSION_RATE_LIMIT = "3/h"


def test_a_client_sending_invalid_forms_without_end_is_limited_too(client, posts, three_invalid_per_hour):
    for _ in range(3):
        assert client.post("/en/fraud/", {**FRAUD, "kind": "nonsense"}).status_code == 200
    fourth = client.post("/en/fraud/", {**FRAUD, "description": "Typed again, still kept."})
    assert fourth.status_code == 429
    page = fourth.content.decode()
    assert "Please wait an hour and send it again" in page
    assert "Typed again, still kept." in page
    assert FraudReport.objects.count() == 0
    assert client.post("/en/fraud/", FRAUD, REMOTE_ADDR="198.51.100.9").status_code == 302  # another client


def test_over_the_invalid_limit_the_form_is_not_even_checked(client, posts, three_invalid_per_hour, monkeypatch):
    for _ in range(3):
        client.post("/en/feedback/", {"rating": "99"})
    checked = []
    monkeypatch.setattr(SurveyForm, "full_clean", lambda form: checked.append(form))
    response = client.post("/ja/feedback/", {"rating": "99", "comments": "まだ残っています"})
    assert response.status_code == 429
    assert "1時間" in response.content.decode() and "まだ残っています" in response.content.decode()
    assert checked == []
    assert 'id="error-summary"' in response.content.decode()


def test_invalid_forms_of_every_public_form_count_together(client, posts, three_invalid_per_hour):
    for data in ({"rating": "99"}, {"rating": "98"}):
        client.post("/en/feedback/", data)
    client.post("/en/fraud/", {})
    assert client.post("/en/fraud/", FRAUD).status_code == 429
    assert not FraudReport.objects.exists()


def test_a_person_correcting_mistakes_is_not_limited_by_default(client, posts):
    for _ in range(10):
        assert client.post("/en/feedback/", {"rating": "99"}).status_code == 200
    assert client.post("/en/feedback/", {"rating": "4"}).status_code == 302


def test_an_outage_of_the_counter_never_refuses_an_invalid_form_either(client, posts, three_invalid_per_hour,
                                                                         redis_server):
    redis_server.stop()
    try:
        statuses = [client.post("/en/fraud/", {**FRAUD, "kind": "nonsense"}).status_code for _ in range(5)]
        statuses.append(client.post("/en/fraud/", FRAUD).status_code)
    finally:
        redis_server.start()
    assert statuses == [200] * 5 + [302]

"""Officers find a request by reference, passport number, name or organisation, on indexes."""

import pytest
from django.db import connection

from appointments.models import ExpediteRequest
from appointments.search import requests_search
from tests.factories import ExpediteRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def requests(tokyo_policy):
    post = tokyo_policy.post
    return [
        ExpediteRequestFactory(post=post, number=1, full_name="Sato Hanako", organisation="Example Trading Co."),
        ExpediteRequestFactory(post=post, number=2, full_name="Suzuki Taro"),
        ExpediteRequestFactory(post=post, number=3, full_name="Tanaka Jiro", passport_number="TK1234567"),
    ]


def found(term):
    return sorted(r.full_name for r in requests_search(ExpediteRequest.objects.all(), term))


def test_a_reference_is_found_however_it_is_typed(requests):
    reference = requests[1].reference
    assert found(reference) == ["Suzuki Taro"]
    assert found(reference.lower().replace("-", " ")) == ["Suzuki Taro"]


def test_a_passport_number_is_found_with_spaces_or_hyphens(requests):
    assert found("tk 123-4567") == ["Tanaka Jiro"]
    assert found("TK123456") == []  # exact numbers only: no walking through partial passport numbers


def test_names_and_organisations_are_searched_by_part(requests):
    assert found("hanako") == ["Sato Hanako"]
    assert found("  trading ") == ["Sato Hanako"]
    assert found("hanako SATO") == ["Sato Hanako"]  # every word, in any order
    assert found("Sato Taro") == []
    assert found("a") == ["Sato Hanako", "Suzuki Taro", "Tanaka Jiro"]
    assert found("") == ["Sato Hanako", "Suzuki Taro", "Tanaka Jiro"]


def test_the_admin_search_uses_the_same_rules(client, officer_tokyo, requests, settings):
    client.force_login(officer_tokyo)
    url = f"/{settings.ADMIN_URL}appointments/expediterequest/"
    page = client.get(url, {"q": requests[0].reference.lower()}).content.decode()
    assert requests[0].reference in page and requests[1].reference not in page


@pytest.mark.parametrize(("term", "index"), [("hanako", "expedite_name_trgm"),
                                              ("trading", "expedite_organisation_trgm")])
def test_name_search_can_use_the_trigram_indexes(requests, term, index):
    column = "full_name" if index == "expedite_name_trgm" else "organisation"
    queryset = ExpediteRequest.objects.filter(**{f"{column}__icontains": term}).order_by().values("pk")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # On a table this small the planner would rather scan; forbid scans so only an index on the LIKE
        # expression can answer (a bitmap scan needs an index condition).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan

"""The admin's lists never count a whole table: exactly up to a bound, PostgreSQL's estimate beyond it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consular_portal import admin_paging
from passports.models import PassportTracking

pytestmark = pytest.mark.django_db

LIST = reverse("admin:passports_passporttracking_changelist")


def track(post, count):
    PassportTracking.objects.bulk_create(PassportTracking(post=post, key=f"TK{n:07d}") for n in range(count))


def test_a_short_list_is_counted_exactly(client, tokyo, shanghai, passport_staff):
    track(tokyo, 3)
    client.force_login(passport_staff)
    response = client.get(LIST)
    assert response.context["cl"].result_count == 3
    assert not response.context["cl"].paginator.estimated
    assert "About" not in response.content.decode()


def test_a_long_list_counts_up_to_the_bound_then_says_its_count_is_an_estimate(client, tokyo, shanghai,
                                                                               passport_staff, monkeypatch):
    monkeypatch.setattr(admin_paging, "COUNT_CAP", 5)
    track(tokyo, 40)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE passports_passporttracking")
    client.force_login(passport_staff)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST)
    counts = [query["sql"] for query in queries if "COUNT(" in query["sql"].upper()]
    assert counts and all("LIMIT 6" in sql for sql in counts)  # no COUNT over the whole list
    changelist = response.context["cl"]
    assert changelist.paginator.estimated and changelist.result_count > 5
    assert f"About {changelist.result_count} passport tracking (an estimate" in response.content.decode()
    assert len(changelist.result_list) == 40  # the page itself is whole

"""What an officer reads on the expedite queue and review page: the post's local time, labelled; names, not codes."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import ExpediteRequestFactory, SlotFactory, officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def shanghai_request(shanghai_policy):
    post = shanghai_policy.post
    return ExpediteRequestFactory(post=post, number=7, full_name="Wang Fang", residence_region="CN-SH",
                                  interview_at=dt.datetime(2027, 1, 5, 9, 30, tzinfo=post.tz))


def change(request):
    return reverse("admin:appointments_expediterequest_change", args=[request.pk])


def test_the_interview_time_is_the_posts_local_time_labelled(client, officer_shanghai, shanghai_request):
    client.force_login(officer_shanghai)
    body = client.get(change(shanghai_request)).content.decode()
    assert "2027-01-05 09:30 (Asia/Shanghai)" in body
    assert "1:30 a.m." not in body and "01:30" not in body


def test_codes_are_shown_by_their_names(client, officer_shanghai, shanghai_request):
    client.force_login(officer_shanghai)
    body = client.get(change(shanghai_request)).content.decode()
    assert "English" in body and "Shanghai" in body
    assert ">en<" not in body and "CN-SH" not in body


def test_slots_offered_and_history_carry_the_time_zone(client, officer_shanghai, shanghai_request):
    SlotFactory(post=shanghai_request.post, hour=9)
    client.force_login(officer_shanghai)
    body = client.get(change(shanghai_request)).content.decode()
    assert "09:00 (Asia/Shanghai) — 5 of 5 free" in body
    submitted = shanghai_request.events.get().created_at.astimezone(shanghai_request.post.tz)
    assert f"{submitted:%Y-%m-%d %H:%M} (Asia/Shanghai) · — → submitted" in body
    history = client.get(reverse("admin:appointments_expediterequest_history", args=[shanghai_request.pk]))
    assert f"{submitted:%Y-%m-%d %H:%M} (Asia/Shanghai)" in history.content.decode()


def test_each_decision_field_says_which_decisions_use_it(client, officer_shanghai, shanghai_request):
    client.force_login(officer_shanghai)
    body = client.get(change(shanghai_request)).content.decode()
    assert 'data-decisions="approve" id="decision-field-slot"' in body
    assert 'data-decisions="refuse" id="decision-field-refusal_reason"' in body
    assert "Only for: Approve and book the slot." in body and "Only for: Refuse." in body
    # The details to decide on come before the decision; every field of the request after it.
    assert body.index('id="review-facts"') < body.index('id="decision-form"') < body.index("Applicant</h2>")


def test_the_queue_drops_the_post_column_for_an_officer_of_one_post(client, officer_shanghai, administrator,
                                                                    tokyo, shanghai_request):
    queue = reverse("admin:appointments_expediterequest_changelist")
    client.force_login(officer_shanghai)
    body = client.get(queue).content.decode()
    assert "column-post" not in body and "column-promised_by" in body
    assert "Submitted" in body
    client.force_login(administrator)
    assert "column-post" in client.get(queue).content.decode()
    client.force_login(officer(shanghai_request.post, tokyo, username="officer-both"))
    assert "column-post" in client.get(queue).content.decode()

"""The overdue reminder reaches each post's officers at the same local morning hour."""

import datetime as dt

import pytest

from appointments.reminders import posts_at_reminder_hour

pytestmark = pytest.mark.django_db


def test_at_08_30_in_tokyo_only_the_japanese_posts_are_reminded(posts, settings):
    settings.REMINDER_LOCAL_HOUR = 8
    now = dt.datetime(2026, 3, 2, 23, 30, tzinfo=dt.UTC)  # 08:30 in Tokyo, 07:30 in Shanghai
    due = {post.slug for post in posts_at_reminder_hour(now)}
    assert "tokyo" in due and "shanghai" not in due
    assert all(post.time_zone == "Asia/Tokyo" for post in posts_at_reminder_hour(now))


def test_an_hour_later_shanghai_is_reminded(posts, settings):
    settings.REMINDER_LOCAL_HOUR = 8
    due = {post.slug for post in posts_at_reminder_hour(dt.datetime(2026, 3, 3, 0, 5, tzinfo=dt.UTC))}
    assert "shanghai" in due and "tokyo" not in due


def test_the_hour_is_a_setting(posts, settings):
    settings.REMINDER_LOCAL_HOUR = 17
    due = {post.slug for post in posts_at_reminder_hour(dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC))}
    assert "tokyo" in due and "shanghai" not in due


def test_beat_runs_the_reminder_every_hour():
    from consular_portal.celery import app

    schedule = app.conf.beat_schedule["expedite-overdue-reminders"]["schedule"]
    assert schedule.hour == set(range(24)) and schedule.minute == {0}


def test_the_task_sends_only_to_the_posts_at_the_hour(officer_tokyo, officer_shanghai, tokyo_policy,
                                                      shanghai_policy, settings, monkeypatch):
    from django.utils import timezone

    from appointments.models import ExpediteRequest
    from appointments.tasks import send_overdue_reminders
    from consular_portal.models import OutboundEmail
    from tests.factories import ExpediteRequestFactory

    ExpediteRequestFactory(post=tokyo_policy.post, number=1)
    ExpediteRequestFactory(post=shanghai_policy.post, number=2, residence_region="CN-SH")
    ExpediteRequest.objects.update(promised_by=dt.date(2020, 1, 6))
    OutboundEmail.objects.all().delete()
    settings.REMINDER_LOCAL_HOUR = 8
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 3, 2, 23, 30, tzinfo=dt.UTC))
    send_overdue_reminders()
    recipients = set(OutboundEmail.objects.filter(template="expedite_overdue_reminder").values_list("to", flat=True))
    assert officer_tokyo.email in recipients and officer_shanghai.email not in recipients

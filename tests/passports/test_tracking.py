import pytest

from consular_portal.tracking.changes import InvalidStatus, tracking_change
from passports.models import PassportTracking, TrackingEvent

pytestmark = pytest.mark.django_db
Status = PassportTracking.Status


def test_a_change_records_who_when_and_the_note(make_tracking, django_user_model):
    clerk = django_user_model.objects.create_user(username="clerk", is_staff=True)
    item = make_tracking(status=Status.AT_POST)
    before = item.status_changed_at
    event = tracking_change(item=item, status=Status.PROCESSING, actor=clerk, note="handed to the courier")
    item.refresh_from_db()
    assert item.status == "processing" and item.status_changed_at > before
    assert (event.status, event.actor, event.note) == ("processing", clerk, "handed to the courier")
    assert event.changed_at == item.status_changed_at
    assert list(item.events.all()) == [event]


def test_a_note_without_a_new_status_keeps_the_time_of_the_last_change(make_tracking):
    item = make_tracking(status=Status.AT_POST)
    before = item.status_changed_at
    tracking_change(item=item, status=Status.AT_POST, actor=None, note="called the applicant")
    item.refresh_from_db()
    assert item.status_changed_at == before and item.events.count() == 1


def test_an_unknown_status_changes_nothing(make_tracking):
    item = make_tracking(status=Status.AT_POST)
    with pytest.raises(InvalidStatus):
        tracking_change(item=item, status="lost", actor=None)
    item.refresh_from_db()
    assert item.status == "at_post" and not TrackingEvent.objects.exists()


def test_a_failing_alert_keeps_neither_the_change_nor_its_event(make_tracking, monkeypatch):
    item = make_tracking(status=Status.AT_POST)

    def fail(self, event, previous):
        raise RuntimeError("outbox down")

    monkeypatch.setattr(PassportTracking, "status_changed", fail)
    with pytest.raises(RuntimeError):
        tracking_change(item=item, status=Status.PROCESSING, actor=None)
    item.refresh_from_db()
    assert item.status == "at_post" and not TrackingEvent.objects.exists()

import pytest

from consular_portal.tracking.changes import InvalidStatus, InvalidTransition, tracking_change
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


@pytest.mark.parametrize(("current", "to", "allowed"), [
    (Status.AT_POST, Status.PROCESSING, True),
    (Status.AT_POST, Status.OUT_FOR_DELIVERY, True),  # a step the delivery service did not report
    (Status.PROCESSING, Status.OUT_FOR_DELIVERY, True),
    (Status.OUT_FOR_DELIVERY, Status.DELIVERED, True),
    (Status.DELIVERED, Status.RETURNED, True),  # not picked up in time
    (Status.RETURNED, Status.PROCESSING, True),  # redelivery
    (Status.NO_UPDATE, Status.DELIVERED, True),
    (Status.OUT_FOR_DELIVERY, Status.PROCESSING, False),
    (Status.OUT_FOR_DELIVERY, Status.AT_POST, False),
    (Status.DELIVERED, Status.OUT_FOR_DELIVERY, False),
    (Status.DELIVERED, Status.NO_UPDATE, False),
    (Status.AT_POST, Status.RETURNED, False),  # it never left the post
    (Status.RETURNED, Status.AT_POST, False),
])
def test_a_status_follows_only_the_statuses_it_may(make_tracking, current, to, allowed):
    item = make_tracking(status=current)
    assert PassportTracking.may_follow(current, to) is allowed
    if allowed:
        tracking_change(item=item, status=to, actor=None)
    else:
        with pytest.raises(InvalidTransition):
            tracking_change(item=item, status=to, actor=None)
    item.refresh_from_db()
    assert item.status == (to if allowed else current)
    assert TrackingEvent.objects.count() == (1 if allowed else 0)


@pytest.mark.pure
def test_every_status_has_its_row_in_the_transition_table():
    assert set(PassportTracking.TRANSITIONS) == set(Status)
    for current, following in PassportTracking.TRANSITIONS.items():
        assert current not in following and set(following) <= set(Status)


def test_any_status_may_be_kept_with_a_note(make_tracking):
    item = make_tracking(status=Status.DELIVERED)
    tracking_change(item=item, status=Status.DELIVERED, actor=None, note="collected at the window")
    assert item.events.get().note == "collected at the window"

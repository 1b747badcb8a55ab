"""A new reviewed service plugs into consular_portal.review with only its statuses, transitions and emails:
the guarded moves, the locked transition with its event and emails, the decision form and the daily reminder
come with it. The toy service's tables exist only for the test (created in its transaction, rolled back)."""

import datetime as dt

import pytest
from django.contrib.admin import AdminSite
from django.db import connection, models
from django.http import Http404
from django.test import RequestFactory
from django.utils.translation import gettext_lazy as _

from appointments.models import ExpediteRequest
from consular_portal.models import Post
from consular_portal.review.admin import ReviewAdmin
from consular_portal.review.models import InvalidTransition, ReviewedSubmission, ReviewEvent, status_field
from consular_portal.review.reminders import overdue_reminders_send
from consular_portal.review.transitions import transition

QUEUED = []  # (reference, previous, to) of every email the toy service asked for


class Callback(ReviewedSubmission):
    """A request to be called back by the post: all it declares is its statuses, moves and emails."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "requested"
        SCHEDULED = "scheduled", "scheduled"
        CALLED = "called", "called"
        DECLINED = "declined", "declined"

    TRANSITIONS = {
        Status.REQUESTED: (Status.SCHEDULED, Status.DECLINED),
        Status.SCHEDULED: (Status.CALLED,),
        Status.CALLED: (),
        Status.DECLINED: (),
    }
    status = status_field(Status, default=Status.REQUESTED)

    class Meta:
        app_label = "review_shape"

    def emails_for(self, previous, to):
        QUEUED.append((self.reference, previous, to))


class CallbackEvent(ReviewEvent):
    request = models.ForeignKey(Callback, on_delete=models.CASCADE, related_name="events")

    class Meta:
        app_label = "review_shape"


class CallbackAdmin(ReviewAdmin):
    decisions = {
        Callback.Status.SCHEDULED: ("schedule", _("Schedule the call")),
        Callback.Status.CALLED: ("called", _("Record the call")),
        Callback.Status.DECLINED: ("decline", _("Decline")),
    }


@pytest.fixture
def tables(db):
    with connection.schema_editor() as editor:
        editor.create_model(Callback)
        editor.create_model(CallbackEvent)
    QUEUED.clear()


@pytest.fixture
def post(db):
    return Post.objects.create(slug="review-shape", name="Review shape", kind=Post.Kind.EMBASSY, country="JP",
                               time_zone="Asia/Tokyo", officer_mailbox="officers@example.org",
                               services=[Post.Service.STATUS_INQUIRY])


def callback(post, reference="CB-1", promised_by=dt.date(2030, 1, 10), **fields):
    return Callback.objects.create(reference=reference, post=post, promised_by=promised_by, **fields)


def test_the_declared_transitions_alone_give_the_moves_and_the_overdue_flag():
    toy = Callback(reference="CB-0", status="requested", promised_by=dt.date(2030, 1, 10))
    assert toy.allowed_transitions() == ("scheduled", "declined")
    assert Callback.open_statuses() == ("requested", "scheduled")
    assert toy.is_open and not toy.is_overdue(dt.date(2030, 1, 10)) and toy.is_overdue(dt.date(2030, 1, 11))
    with pytest.raises(InvalidTransition):
        toy.move("called")
    assert toy.move("scheduled") == "requested" and toy.decided_at is None  # still open: not decided yet
    toy.move("called")
    assert not toy.is_open and toy.decided_at is not None and not toy.is_overdue(dt.date(2031, 1, 1))
    with pytest.raises(InvalidTransition):
        toy.move("declined")


def test_expedite_requests_are_open_exactly_where_they_can_still_move():
    assert ExpediteRequest.open_statuses() == ExpediteRequest.OPEN == ("submitted", "under_review")


def test_a_transition_saves_the_status_records_the_event_and_queues_the_services_email(
        tables, post, django_user_model):
    officer = django_user_model.objects.create_user(username="officer", password="x-long-password-1")
    toy = callback(post)
    transition(obj=toy, to="scheduled", actor=officer, note="Tomorrow at ten.")
    transition(obj=toy, to="called", actor=officer)
    toy.refresh_from_db()
    assert toy.status == "called" and toy.decided_by == officer and toy.decided_at is not None
    assert list(toy.events.values_list("from_status", "to_status", "actor", "note")) == [
        ("requested", "scheduled", officer.pk, "Tomorrow at ten."), ("scheduled", "called", officer.pk, "")]
    assert QUEUED == [("CB-1", "requested", "scheduled"), ("CB-1", "scheduled", "called")]
    with pytest.raises(InvalidTransition):
        transition(obj=toy, to="declined", actor=officer)
    toy.refresh_from_db()
    assert toy.status == "called" and toy.events.count() == 2 and len(QUEUED) == 2


def test_what_the_transition_does_is_one_transaction(tables, post, monkeypatch):
    toy = callback(post)
    with pytest.raises(ValueError):
        transition(obj=toy, to="declined", actor=None, apply=lambda locked: int("not a number"))

    def emails_fail(self, previous, to):
        raise RuntimeError("the email could not be queued")

    monkeypatch.setattr(Callback, "emails_for", emails_fail)
    with pytest.raises(RuntimeError):
        transition(obj=toy, to="declined", actor=None)
    toy.refresh_from_db()
    assert toy.status == "requested" and toy.decided_at is None and not toy.events.exists() and QUEUED == []


def test_the_decision_form_offers_only_the_decisions_allowed_now(tables, post, django_user_model):
    officer = django_user_model.objects.create_superuser(username="admin", password="x-long-password-1")
    request = RequestFactory().get("/")
    request.user = officer
    admin = CallbackAdmin(Callback, AdminSite())
    toy = callback(post)
    form = admin.get_decision_form(request, toy)
    assert [value for value, label in form.fields["action"].choices] == ["schedule", "decline"]
    toy = transition(obj=toy, to="scheduled", actor=officer)
    assert [value for value, label in admin.get_decision_form(request, toy).fields["action"].choices] == ["called"]
    assert not admin.get_decision_form(request, toy, {"action": "decline"}).is_valid()
    toy = transition(obj=toy, to="called", actor=officer)
    assert admin.decision_actions(toy) == []
    decide = next(pattern for pattern in admin.urls if pattern.name == "review_shape_callback_decide")
    elsewhere = RequestFactory().post("/", {"action": "decline"})
    elsewhere.user = django_user_model.objects.create_user(username="other", password="x-long-password-1",
                                                           is_staff=True)
    with pytest.raises(Http404):  # the decision URL is behind the post scoping like every admin URL
        decide.callback(elsewhere, pk=toy.pk)


def test_the_daily_reminder_lists_the_services_overdue_submissions_to_the_posts_officers(tables, post):
    late = callback(post, reference="CB-LATE", promised_by=dt.date(2030, 1, 6))
    callback(post, reference="CB-ON-TIME", promised_by=dt.date(2030, 1, 20))
    callback(post, reference="CB-DONE", promised_by=dt.date(2030, 1, 6), status="declined")
    sent = []

    def send(*, post, submissions, to):
        sent.append((post.slug, [s.reference for s in submissions], to))

    assert overdue_reminders_send(model=Callback, service=Post.Service.STATUS_INQUIRY, send=send,
                                  today=dt.date(2030, 1, 10)) == 1
    assert sent == [("review-shape", [late.reference], "officers@example.org")]
    assert overdue_reminders_send(model=Callback, service=Post.Service.EXPEDITE, send=send,
                                  today=dt.date(2030, 1, 10)) == 0

"""The daily overdue reminder finds every post's overdue submissions in one query, however many posts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appointments.models import ExpediteRequest
from consular_portal.models import Post
from consular_portal.review.reminders import overdue_reminders_send
from tests.factories import ExpediteRequestFactory

pytestmark = pytest.mark.django_db


def test_the_reminder_reads_posts_officers_and_overdue_submissions_in_three_queries(
    officer_tokyo, officer_shanghai, tokyo_policy, shanghai_policy
):
    tokyo_late = ExpediteRequestFactory(post=tokyo_policy.post, number=1)
    shanghai_late = ExpediteRequestFactory(post=shanghai_policy.post, number=2, residence_region="CN-SH")
    ExpediteRequestFactory(post=tokyo_policy.post, number=3)  # not yet due
    ExpediteRequest.objects.filter(pk__in=[tokyo_late.pk, shanghai_late.pk]).update(promised_by=dt.date(2020, 1, 6))
    sent = []

    def send(*, post, submissions, to):
        sent.append((post.slug, [submission.reference for submission in submissions], to))

    with CaptureQueriesContext(connection) as queries:
        count = overdue_reminders_send(model=ExpediteRequest, service=Post.Service.EXPEDITE, send=send)
    statements = [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    assert len(statements) == 3, statements
    assert count == len(sent) == 4  # each post's mailbox and its officer
    assert {(slug, tuple(references)) for slug, references, _to in sent} == {
        ("tokyo", (tokyo_late.reference,)), ("shanghai", (shanghai_late.reference,))}
    assert {to for slug, _references, to in sent if slug == "tokyo"} == {
        tokyo_policy.post.officer_mailbox, officer_tokyo.email}

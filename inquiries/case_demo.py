"""Demo case statuses and processing times for the embedded default (`make run`): a few receipt numbers to
look up at /cases/status/ and figures at /processing-times/. Development only; idempotent."""

import datetime as dt

from django.utils import timezone

from consular_portal.tracking.changes import tracking_change

from .models import Case, ProcessingTime

DEMO_CASES = [
    # post, receipt number, service, statuses in order (the last is current)
    ("tokyo", "IOE0912345678", "I-130", ["received", "in_review"]),
    ("tokyo", "EAC2112345678", "I-129F", ["received", "evidence_requested"]),
    ("osaka-kobe", "WAC2112345678", "I-130", ["received", "interview_scheduled", "approved"]),
    ("shanghai", "MSC2112345678", "I-130", ["received"]),
]
DEMO_TIMES = [
    # post, service, completed within, unit, case inquiry date (days ago)
    ("tokyo", "I-130", 7, ProcessingTime.Unit.MONTHS, 240),
    ("tokyo", "I-129F", 5, ProcessingTime.Unit.MONTHS, 180),
    ("tokyo", "B1/B2", 3, ProcessingTime.Unit.WEEKS, 30),
    ("osaka-kobe", "I-130", 8, ProcessingTime.Unit.MONTHS, 270),
    ("shanghai", "I-130", 9, ProcessingTime.Unit.MONTHS, 300),
    ("shanghai", "B1/B2", 6, ProcessingTime.Unit.WEEKS, 60),
]


def demo_cases(posts):
    """The demo cases at the posts of ``posts`` (slug → Post), each with its history, unless they exist."""
    created = 0
    for slug, key, service, statuses in DEMO_CASES:
        post = posts.get(slug)
        if post is None or Case.objects.filter(post=post, key=key).exists():
            continue
        case = Case.objects.create(post=post, key=key, service=service, status=statuses[0],
                                   status_changed_at=timezone.now())
        case.events.create(status=statuses[0], changed_at=case.status_changed_at)
        for status in statuses[1:]:
            tracking_change(item=case, status=status, actor=None)
        created += 1
    return created


def demo_processing_times(posts):
    """The demo processing times at the posts of ``posts``, unless the post publishes that service already."""
    created = 0
    today = timezone.localdate()
    for slug, service, within, unit, days_ago in DEMO_TIMES:
        post = posts.get(slug)
        if post is None:
            continue
        _row, new = ProcessingTime.objects.get_or_create(post=post, service=service, defaults={
            "completed_within": within, "unit": unit, "case_inquiry_date": today - dt.timedelta(days=days_ago)})
        created += new
    return created

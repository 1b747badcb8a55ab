"""What the portal answers about a receipt number: the status page and the alerts both say it from here.

A lookup is one SQL query (the case, with its post and the processing time its post publishes for its
service), compiled once per process (``consular_portal.tracking.queries``). A receipt number the portal does
not know gets the same "not found" answer whatever it is: nothing in it depends on the number, or on whether
it is known at a post."""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import JSONField, OuterRef, Subquery
from django.db.models.functions import JSONObject, Trim
from django.utils import formats, timezone

from consular_portal.models import Post
from consular_portal.page_cache import prepared

from .case_statuses import CaseStatus, account_text, text
from .models.cases import Case
from .models.processing_times import ProcessingTime
from .receipts import is_receipt_number, mask_receipt_number, normalise_receipt_number


@dataclass(frozen=True)
class CaseAnswer:
    """A case's status as the applicant reads it, in the active language: the masked receipt number and
    what is ours (status, meaning, advice, when it changed), nothing about the person."""

    status: str  # a CaseStatus value
    label: str
    meaning: str
    advice: str
    masked_number: str
    changed_at: dt.datetime | None
    time_zone: str
    account: object  # case_statuses.AccountText
    post_id: int
    service: str
    processing_time: object = None  # the ProcessingTime the post publishes for the service (page lookups only)
    changed_at_text: str = ""  # ``changed_at`` in the post's time zone, as the active language writes a date
    changed_at_iso: str = ""  # the same, ISO 8601 (a <time> element's datetime)


FIGURE = ("pk", "service", "completed_within", "unit")


def answer_for(item):
    """The answer for a case already loaded (with its post, and with ``_with_processing_time`` its figure)."""
    status = CaseStatus(item.status)
    words = text(status)
    return CaseAnswer(
        status=status.value, label=str(status.label), meaning=str(words.meaning), advice=str(words.advice),
        masked_number=mask_receipt_number(item.key), changed_at=item.status_changed_at or item.created_at,
        time_zone=item.post.time_zone, account=account_text(item.key), post_id=item.post_id, service=item.service,
        processing_time=_figure(item),
    )


def _with_processing_time(cases):
    """``cases`` with the columns of the processing time their post publishes for their service (as
    ``processing_times.processing_time_for`` finds it), read in the same query."""
    figures = (ProcessingTime.objects.filter(post_id=OuterRef("post_id"), service__iexact=Trim(OuterRef("service")))
               .order_by("pk"))
    # One subquery for all its columns (one per column would cost PostgreSQL a plan each, on every lookup).
    figure = JSONObject(**{name: name for name in FIGURE})
    return cases.annotate(figure=Subquery(figures.values(figure=figure)[:1], output_field=JSONField()))


def _processing_time(figure, post, service):
    if not figure or not service.strip():
        return None
    return ProcessingTime(post=post, **figure)


def _figure(item):
    return _processing_time(getattr(item, "figure", None), item.post, item.service)


def find(number):
    """The case of the receipt number ``number`` (as typed), latest changed if two posts hold it, or None:
    one query, none for a value that is no receipt number."""
    key = normalise_receipt_number(number)
    if not is_receipt_number(key):
        return None
    return Case.objects.filter(key=key).select_related("post").order_by("-status_changed_at", "-pk").first()


# The columns of the status page's answer, read as values (no model instance; the post's slug for the link to
# its processing times).
COLUMNS = ("key", "status", "status_changed_at", "created_at", "post__time_zone", "post_id", "post__slug", "service",
           "figure")
_case = prepared(lambda key: _with_processing_time(Case.objects.filter(key=key))
                 .order_by("-status_changed_at", "-pk").values_list(*COLUMNS)[:1], rows=True)


def _page_answer(row):
    key, status, status_changed_at, created_at, time_zone, post_id, post_slug, service, figure = row
    status = CaseStatus(status)
    words = text(status)
    changed_at = status_changed_at or created_at
    local = timezone.localtime(changed_at, timezone=ZoneInfo(time_zone))
    processing_time = _processing_time(figure, Post(pk=post_id, slug=post_slug, time_zone=time_zone), service)
    return CaseAnswer(
        status=status.value, label=str(status.label), meaning=str(words.meaning), advice=str(words.advice),
        masked_number=mask_receipt_number(key), changed_at=changed_at, time_zone=time_zone,
        account=account_text(key), post_id=post_id, service=service, processing_time=processing_time,
        changed_at_text=formats.date_format(local, "DATE_FORMAT"), changed_at_iso=formats.date_format(local, "c"),
    )


def case_status(number):
    """The answer for the receipt number ``number`` as typed, with its post's processing time for its service,
    or None when the portal does not know it: one query either way (none for what is no receipt number)."""
    key = normalise_receipt_number(number)
    if not is_receipt_number(key):
        return None
    row = next(iter(_case(key)), None)
    return None if row is None else _page_answer(row)

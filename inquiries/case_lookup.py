"""What the portal answers about a receipt number: the status page and the alerts both say it from here.

A lookup is one SQL query (the case, with its post). A receipt number the portal does not know gets the
same "not found" answer whatever it is: nothing in it depends on the number, or on whether it is known
at a post."""

import datetime as dt
from dataclasses import dataclass

from .case_statuses import CaseStatus, account_text, text
from .models.cases import Case
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


def answer_for(item):
    """The answer for a case already loaded (with its post)."""
    status = CaseStatus(item.status)
    words = text(status)
    return CaseAnswer(
        status=status.value, label=str(status.label), meaning=str(words.meaning), advice=str(words.advice),
        masked_number=mask_receipt_number(item.key), changed_at=item.status_changed_at or item.created_at,
        time_zone=item.post.time_zone, account=account_text(item.key), post_id=item.post_id, service=item.service,
    )


def find(number):
    """The case of the receipt number ``number`` (as typed), latest changed if two posts hold it, or None:
    one query, none for a value that is no receipt number."""
    key = normalise_receipt_number(number)
    if not is_receipt_number(key):
        return None
    return Case.objects.filter(key=key).select_related("post").order_by("-status_changed_at", "-pk").first()


def case_status(number):
    """The answer for the receipt number ``number`` as typed, or None when the portal does not know it."""
    item = find(number)
    return None if item is None else answer_for(item)

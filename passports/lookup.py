"""What the portal answers about a passport number: the one function the status page and the email
auto-reply both call.

A lookup is one SQL query (the passport's latest case, with its post). A number the portal does not know
(or that is not a passport number at all) gets the "no status update available" answer: the same answer,
from the same one query, whether or not the number is known at another post.
"""

import datetime as dt
from dataclasses import dataclass

from consular_portal.post_text import translated
from consular_portal.text import mask_identifier as mask

from .models import PassportTracking
from .numbers import is_passport_number, normalise_passport_number
from .statuses import LETTER_PACK_STATUSES, Status, text


@dataclass(frozen=True)
class StatusAnswer:
    """A status as the applicant reads it, in the active language. ``masked_number`` is the only part of
    the passport number in it; nothing about the person (no name, no address)."""

    status: str  # a Status value
    label: str
    meaning: str
    advice: str
    masked_number: str
    changed_at: dt.datetime | None
    letter_pack_number: str | None
    letter_pack_url: str | None
    phone_numbers: tuple = ()  # (label, number) of the post, when the applicant must call it
    time_zone: str | None = None  # the post's, to show ``changed_at`` in


def _answer(status, number, *, changed_at=None, item=None):
    status = Status(status)
    words = text(status)
    letter_pack = item.letter_pack_number if item and status in LETTER_PACK_STATUSES else ""
    phones = ()
    if item is not None and status == Status.RETURNED:
        phones = tuple((translated(phone.get("label", "")), phone.get("number", ""))
                       for phone in item.post.phone_numbers if isinstance(phone, dict))
    return StatusAnswer(
        status=status.value, label=str(status.label), meaning=str(words.meaning), advice=str(words.advice),
        masked_number=mask(number), changed_at=changed_at, letter_pack_number=letter_pack or None,
        letter_pack_url=item.letter_pack_url if letter_pack else None, phone_numbers=phones,
        time_zone=item.post.time_zone if item is not None else None,
    )


def answer_for(item):
    """The answer for a tracked passport already loaded (with its post)."""
    return _answer(item.status, item.key, changed_at=item.status_changed_at or item.created_at, item=item)


def find(number, *, post=None):
    """The latest tracked case of ``number`` (at ``post`` if given), or None: one query."""
    key = normalise_passport_number(number)
    if not is_passport_number(key):
        return None
    rows = PassportTracking.objects.filter(key=key)
    if post is not None:
        rows = rows.filter(post=post)
    return rows.select_related("post").order_by("-status_changed_at", "-pk").first()


def passport_status(number, *, post=None):
    """The answer for the passport ``number`` as typed (normalised here): its status, meaning, advice and
    when it last changed, or "no status update available" when it is not known (at ``post``, if given)."""
    key = normalise_passport_number(number)
    item = find(key, post=post)
    if item is None:
        return _answer(Status.NO_UPDATE, key)
    return answer_for(item)

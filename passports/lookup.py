"""What the portal answers about a passport number: the one function the status page and the email
auto-reply both call.

A lookup is one SQL query (the passport's latest case, with its post), compiled once per process
(``consular_portal.tracking.queries``). A number the portal does not know
(or that is not a passport number at all) gets the "no status update available" answer: the same answer,
from the same one query, whether or not the number is known at another post.

A known and an unknown number take the same time (``benchmarks/passport_lookup.py`` measures it): the query
reads a few columns as plain values, never model instances, and the answer of either is built by the same
code doing the same work, the time of the last change included (an unknown number's is formatted from a
stand-in instant and dropped), so the page's template has no date to format for one and not the other.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import formats, timezone

from consular_portal.page_cache import prepared
from consular_portal.post_text import translated
from consular_portal.text import mask_identifier as mask

from .models import PassportTracking
from .numbers import is_passport_number, letter_pack_url, normalise_passport_number
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
    changed_at_text: str = ""  # ``changed_at`` in the post's time zone, as the active language writes it
    changed_at_iso: str = ""  # the same, ISO 8601 (a <time> element's datetime)
    post_version: str = "-"  # the post and when it (its phone numbers) last changed: in the cached answer's key


# The columns an answer needs, read as values (no model instance, no JSON field of the post but its phones).
COLUMNS = ("key", "status", "status_changed_at", "created_at", "letter_pack_number", "post__time_zone",
           "post__phone_numbers", "post_id", "post__updated_at")
STAND_IN = (None, Status.NO_UPDATE.value, None, dt.datetime(2000, 1, 1, tzinfo=dt.UTC), "", "Asia/Tokyo", [], None,
            None)


def _answer(number, row, *, known=True):
    """The answer from ``row`` (the values of ``COLUMNS``); ``known=False`` for a number without a row, whose
    ``row`` is ``STAND_IN``: the same work is done, and its date dropped."""
    _key, status, status_changed_at, created_at, letter_pack, time_zone, phone_numbers, post_id, post_updated_at = row
    status = Status(status)
    words = text(status)
    letter_pack = letter_pack if status in LETTER_PACK_STATUSES else ""
    phones = tuple((translated(phone.get("label", "")), phone.get("number", ""))
                   for phone in (phone_numbers if status == Status.RETURNED else ()) if isinstance(phone, dict))
    changed_at = status_changed_at or created_at
    local = timezone.localtime(changed_at, timezone=ZoneInfo(time_zone))  # zoneinfo keeps each zone loaded
    changed_text, changed_iso = formats.date_format(local, "DATETIME_FORMAT"), local.isoformat()
    return StatusAnswer(
        status=status.value, label=str(status.label), meaning=str(words.meaning), advice=str(words.advice),
        masked_number=mask(number), changed_at=changed_at if known else None,
        letter_pack_number=letter_pack or None,
        letter_pack_url=letter_pack_url(letter_pack) if letter_pack else None,
        phone_numbers=phones, time_zone=time_zone if known else None,
        changed_at_text=changed_text if known else "", changed_at_iso=changed_iso if known else "",
        post_version=f"{post_id}/{post_updated_at}" if known else "-",
    )


def answer_for(item):
    """The answer for a tracked passport already loaded (with its post)."""
    return _answer(item.key, (item.key, item.status, item.status_changed_at, item.created_at,
                              item.letter_pack_number, item.post.time_zone, item.post.phone_numbers,
                              item.post_id, item.post.updated_at))


def _latest(key, post=None):
    rows = PassportTracking.objects.filter(key=key)
    if post is not None:
        rows = rows.filter(post=post)
    return rows.order_by("-status_changed_at", "-pk")


def find(number, *, post=None):
    """The latest tracked case of ``number`` (at ``post`` if given), or None: one query."""
    key = normalise_passport_number(number)
    if not is_passport_number(key):
        return None
    return _latest(key, post).select_related("post").first()


# The status page's query, for any post: the SQL is compiled once per process.
_latest_anywhere = prepared(lambda key: _latest(key).values_list(*COLUMNS)[:1], rows=True)


def passport_status(number, *, post=None):
    """The answer for the passport ``number`` as typed (normalised here): its status, meaning, advice and
    when it last changed, or "no status update available" when it is not known (at ``post``, if given).
    One query either way (none for what cannot be a passport number)."""
    key = normalise_passport_number(number)
    if not is_passport_number(key):
        row = None
    elif post is None:
        row = next(iter(_latest_anywhere(key)), None)
    else:
        row = _latest(key, post).values_list(*COLUMNS).first()
    return _answer(key, STAND_IN, known=False) if row is None else _answer(key, row)

"""The delivery service's CSV file of passport statuses: how it is read, checked and applied.

Columns (header row, any order): ``passport_number``, ``post`` (the post's slug, e.g. ``tokyo``),
``status`` (one of ``statuses.Status``), ``letter_pack_number`` (12 digits, may be empty), ``date`` (when the
status changed: ``YYYY-MM-DD``, ``YYYY/MM/DD``, optionally followed by ``HH:MM``, in the post's time zone),
and optionally ``case``. Encodings: UTF-8 (with or without BOM) or Shift_JIS. A row is applied only if
everything in it is valid; applying a file twice changes nothing the second time. Staff download a
template (``COLUMNS`` and ``EXAMPLE_ROW``) from the upload page in the admin.
"""

import csv
import datetime as dt
import io

from django.utils.translation import gettext as _

from .models import PassportTracking, TrackingEvent
from .numbers import (
    LETTER_PACK_NUMBER,
    PASSPORT_NUMBER,
    normalise_passport_number,
)
from .statuses import Status

COLUMNS = ["passport_number", "post", "status", "letter_pack_number", "date", "case"]
REQUIRED = COLUMNS[:5]
EXAMPLE_ROW = ["TK1234567", "tokyo", Status.OUT_FOR_DELIVERY.value, "123456789012", "2026-11-30 10:00", ""]
DATE_FORMATS = ["%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d"]


def decode(data):
    for encoding in ("utf-8-sig", "shift_jis"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(_("The file is neither UTF-8 nor Shift_JIS."))


def read(data):
    """[(line number, {column: value})] of the CSV bytes ``data``; ValueError if its header lacks a column."""
    reader = csv.DictReader(io.StringIO(decode(data), newline=""))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ValueError(_("The header row lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)})
    reader.fieldnames = header
    return [(reader.line_num, {k: (v or "").strip() for k, v in row.items() if k in COLUMNS})
            for row in reader]


def _when(value, post):
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).replace(tzinfo=post.tz)
        except ValueError:
            continue
    return None


def check(rows, post):
    """(valid rows as dicts ready to apply, rejected [{"line", "row", "reasons"}]) for ``post``'s file."""
    valid, rejected = [], []
    for line, row in rows:
        reasons = []
        key = normalise_passport_number(row.get("passport_number", ""))
        if not PASSPORT_NUMBER.fullmatch(key):
            reasons.append(_("The passport number must have 5 to 20 letters and digits."))
        if row.get("post", "").lower() != post.slug:
            reasons.append(_("The post must be %(post)s.") % {"post": post.slug})
        if row.get("status") not in Status.values:
            reasons.append(_("The status must be one of: %(statuses)s.") % {"statuses": ", ".join(Status.values)})
        letter_pack = normalise_passport_number(row.get("letter_pack_number", ""))
        if letter_pack and not LETTER_PACK_NUMBER.fullmatch(letter_pack):
            reasons.append(_("A Letter Pack number has 12 digits."))
        when = _when(row.get("date", ""), post)
        if when is None:
            reasons.append(_("The date must be YYYY-MM-DD or YYYY/MM/DD, with HH:MM if known."))
        if reasons:
            rejected.append({"line": line, "row": row, "reasons": reasons})
        else:
            valid.append({"key": key, "case": normalise_passport_number(row.get("case", "")),
                          "status": row["status"], "letter_pack_number": letter_pack, "when": when})
    return valid, rejected


def apply(rows, post, *, actor=None, note=""):
    """Apply checked rows of ``post`` (inside the caller's transaction): new passports are created, changed
    ones updated with an event each, the others counted unchanged. The last row of a passport wins."""
    latest = {(row["key"], row["case"]): row for row in rows}
    existing = {}
    keys = sorted({key for key, _case in latest})
    for start in range(0, len(keys), 5000):
        for item in PassportTracking.objects.select_for_update().filter(post=post, key__in=keys[start:start + 5000]):
            existing[(item.key, item.case)] = item
    created, changed, events = [], [], []
    unchanged = 0
    for (key, case), row in latest.items():
        item = existing.get((key, case))
        if item is None:
            created.append(PassportTracking(post=post, key=key, case=case, status=row["status"],
                                            letter_pack_number=row["letter_pack_number"],
                                            status_changed_at=row["when"]))
        elif (item.status, item.letter_pack_number) == (row["status"], row["letter_pack_number"]):
            unchanged += 1
        else:
            item.status, item.letter_pack_number, item.status_changed_at = (
                row["status"], row["letter_pack_number"], row["when"])
            changed.append(item)
    PassportTracking.objects.bulk_create(created, batch_size=2000)
    PassportTracking.objects.bulk_update(changed, ["status", "letter_pack_number", "status_changed_at"],
                                         batch_size=2000)
    events = [TrackingEvent(item=item, status=item.status, changed_at=item.status_changed_at, actor=actor,
                            note=note) for item in (*created, *changed)]
    TrackingEvent.objects.bulk_create(events, batch_size=2000)
    return {"created": len(created), "updated": len(changed), "unchanged": unchanged}

"""A post's CSV file of case statuses: how it is read, checked and applied (run by the tracking imports:
``consular_portal.tracking.imports.run_import``, with its preview, apply and rejected rows).

Columns (header row, any order): ``receipt_number`` (3 letters and 10 digits; spaces and dashes are
ignored), ``post`` (the post's slug, e.g. ``tokyo``), ``status`` (one of ``case_statuses.CaseStatus``),
``date`` (when the status changed: ``YYYY-MM-DD`` or ``YYYY/MM/DD``, optionally followed by ``HH:MM``, in
the post's time zone), and optionally ``service`` (the form or visa category). UTF-8, with or without BOM.
A row is applied only if everything in it is valid and its status may follow the case's current one
(``case_statuses.TRANSITIONS``; a new case may start in any status); the last row of a receipt number
wins; applying a file twice changes nothing the second time. Each case created or changed gets an event,
and the confirmed subscribers of each case whose status changed get one alert.
"""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from consular_portal.tracking.alerts import alerts_for_changes
from passports.imports import _when

from .case_statuses import CaseStatus
from .models.cases import Case, CaseEvent
from .receipts import normalise_receipt_number, receipt_number_error

COLUMNS = ["receipt_number", "post", "status", "date", "service"]
REQUIRED = COLUMNS[:4]
EXAMPLE_ROW = ["EAC2112345678", "tokyo", CaseStatus.IN_REVIEW.value, "2026-11-30 10:00", "I-130"]
SERVICE_LENGTH = Case._meta.get_field("service").max_length


def read(data):
    """[(line number, {column: value})] of the CSV bytes ``data``; ValueError if it is not UTF-8 or its
    header lacks a column."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(_("The file is not UTF-8.")) from error
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in next(reader, [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ValueError(_("The header row lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)})
    wanted = [(index, name) for index, name in enumerate(header) if name in COLUMNS]
    rows = []
    for values in reader:
        if values:  # not a blank line
            rows.append((reader.line_num, {name: values[index].strip() if index < len(values) else ""
                                           for index, name in wanted}))
    return rows


def check(rows, post):
    """(valid rows ready to apply, rejected [{"line", "row", "reasons"}]) for ``post``'s file; no query."""
    valid, rejected = [], []
    statuses = frozenset(CaseStatus.values)
    for line, row in rows:
        reasons = []
        key = normalise_receipt_number(row.get("receipt_number", ""))
        error = receipt_number_error(key)
        if error is not None:
            reasons.append(str(error))
        if row.get("post", "").lower() != post.slug:
            reasons.append(_("The post must be %(post)s.") % {"post": post.slug})
        status = row.get("status")
        if status not in statuses:
            reasons.append(pgettext("case status", "The status must be one of: %(statuses)s.")
                           % {"statuses": ", ".join(CaseStatus.values)})
        when = _when(row.get("date", ""), post.tz)
        if when is None:
            reasons.append(_("The date must be YYYY-MM-DD or YYYY/MM/DD, with HH:MM if known."))
        service = row.get("service", "")
        if len(service) > SERVICE_LENGTH:
            reasons.append(_("A service has at most %(count)s characters.") % {"count": SERVICE_LENGTH})
        if reasons:
            rejected.append({"line": line, "row": row, "reasons": reasons})
        else:
            valid.append({"key": key, "status": status, "when": when, "service": service, "line": line, "row": row})
    return valid, rejected


def _latest(rows):
    return list({row["key"]: row for row in rows}.values())


def _existing(post, keys, *, lock=False):
    found = {}
    for start in range(0, len(keys), 5000):
        cases = Case.objects.filter(post=post, key__in=keys[start:start + 5000])
        found.update((case.key, case) for case in (cases.select_for_update() if lock else cases))
    return found


def _refused(row, current):
    """The rejected row of a status that may not follow the case's ``current`` one."""
    return {"line": row["line"], "row": row["row"], "reasons": [
        _("The status %(status)s cannot follow the case's current status %(current)s.")
        % {"status": row["status"], "current": current}]}


def _by_line(refused):
    return sorted(refused, key=lambda rejected: rejected["line"])


def _differs(case, row):
    return case.status != row["status"] or (row["service"] and case.service != row["service"])


def preview(rows, post):
    """What ``apply`` would do with the checked rows, writing nothing: {"created", "updated", "unchanged",
    "rejected"} ("rejected": the rows whose status may not follow the case's, ``Case.TRANSITIONS``)."""
    latest = _latest(rows)
    existing = _existing(post, sorted(row["key"] for row in latest))
    counts, refused = {"created": 0, "updated": 0, "unchanged": 0}, []
    for row in latest:
        case = existing.get(row["key"])
        if case is not None and not Case.may_follow(case.status, row["status"]):
            refused.append(_refused(row, case.status))
        else:
            counts["created" if case is None else "updated" if _differs(case, row) else "unchanged"] += 1
    return {**counts, "rejected": _by_line(refused)}


def apply(rows, post, *, actor=None, note=""):
    """Apply checked rows of ``post`` inside the caller's transaction (the rows it touches locked, as a
    change from the admin locks its row): new cases created, changed ones updated, each with an event;
    subscribers alerted of each status that changed. A row whose status may not follow the case's current
    one changes nothing and is returned in "rejected" with its line and the reason."""
    latest = _latest(rows)
    existing = _existing(post, sorted(row["key"] for row in latest), lock=True)
    created, changed, status_changes, refused = [], [], [], []
    now = timezone.now()
    for row in latest:
        case = existing.get(row["key"])
        if case is not None and not Case.may_follow(case.status, row["status"]):
            refused.append(_refused(row, case.status))
        elif case is None:
            created.append(Case(post=post, key=row["key"], status=row["status"], service=row["service"],
                                status_changed_at=row["when"]))
        elif _differs(case, row):
            if case.status != row["status"]:
                status_changes.append((case.pk, case.status))
                case.status, case.status_changed_at = row["status"], row["when"]
            case.service, case.updated_at = row["service"] or case.service, now
            changed.append(case)
    Case.objects.bulk_create(created, batch_size=2000)
    Case.objects.bulk_update(changed, ["status", "status_changed_at", "service", "updated_at"], batch_size=2000)
    CaseEvent.objects.bulk_create(
        [CaseEvent(item=case, status=case.status, changed_at=case.status_changed_at, actor=actor, note=str(note))
         for case in (*created, *changed)], batch_size=2000)
    alerts_for_changes(Case, status_changes)
    unchanged = len(latest) - len(created) - len(changed) - len(refused)
    return {"created": len(created), "updated": len(changed), "unchanged": unchanged, "rejected": _by_line(refused)}

"""The delivery service's CSV file of passport statuses: how it is read, checked and applied.

Columns (header row, any order): ``passport_number``, ``post`` (the post's slug, e.g. ``tokyo``),
``status`` (one of ``statuses.Status``), ``letter_pack_number`` (12 digits, may be empty), ``date`` (when the
status changed: ``YYYY-MM-DD``, ``YYYY/MM/DD``, optionally followed by ``HH:MM``, in the post's time zone),
and optionally ``case``. Encodings: UTF-8 (with or without BOM) or Shift_JIS. A row is applied only if
everything in it is valid and its status may follow the passport's current one (``statuses.TRANSITIONS``;
a new passport may start in any status), else it is rejected with its line and the reason; applying a file
twice changes nothing the second time. Staff download a
template (``COLUMNS`` and ``EXAMPLE_ROW``) from the upload page in the admin.
"""

import csv
import datetime as dt
import io
import re

from django.db import IntegrityError, connection
from django.utils.translation import gettext as _

from consular_portal.references import references_generate

from .alerts import alerts_for_changes
from .delivery import REFERENCE_PREFIX, reference_new
from .models import PassportSubscription, PassportTracking, TrackingEvent
from .numbers import (
    LETTER_PACK_NUMBER,
    PASSPORT_NUMBER,
    normalise_passport_number,
)
from .statuses import Status

COLUMNS = ["passport_number", "post", "status", "letter_pack_number", "date", "case"]
REQUIRED = COLUMNS[:5]
EXAMPLE_ROW = ["TK1234567", "tokyo", Status.OUT_FOR_DELIVERY.value, "123456789012", "2026-11-30 10:00", ""]
CASE_LENGTH = PassportTracking._meta.get_field("case").max_length
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
    reader = csv.reader(io.StringIO(decode(data), newline=""))
    header = [name.strip().lower() for name in next(reader, [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ValueError(_("The header row lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)})
    wanted = [(index, name) for index, name in enumerate(header) if name in COLUMNS]
    plain = len(wanted) == len(header)  # only our columns: a row of the header's width is zipped
    rows = []
    for values in reader:
        if plain and len(values) == len(header):
            rows.append((reader.line_num, dict(zip(header, map(str.strip, values), strict=True))))
        elif values:  # not a blank line
            width = len(values)
            rows.append((reader.line_num, {name: values[index].strip() if index < width else ""
                                           for index, name in wanted}))
    return rows


def _normalise(value):
    """``normalise_passport_number``, without its per-character work for the usual plain ASCII number."""
    if not value or (value.isascii() and value.isalnum()):
        return value.upper()
    return normalise_passport_number(value)


DATE = re.compile(r"(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?: +(\d{1,2}):(\d{1,2}))?")


def _when(value, tz):
    """The instant of ``value`` (one of ``DATE_FORMATS``) in the time zone ``tz``, or None."""
    match = DATE.fullmatch(value)
    if match is None:
        return None
    year, _separator, month, day, hour, minute = match.groups()
    try:
        return dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), tzinfo=tz)
    except ValueError:
        return None


def check(rows, post):
    """(valid rows as dicts ready to apply, rejected [{"line", "row", "reasons"}]) for ``post``'s file. Pure
    Python, no query: a chunk of 5,000 rows takes a few milliseconds."""
    valid, rejected = [], []
    tz, slug, statuses = post.tz, post.slug, frozenset(Status.values)
    for line, row in rows:
        reasons = []
        key = _normalise(row.get("passport_number", ""))
        if not PASSPORT_NUMBER.fullmatch(key):
            reasons.append(_("The passport number must have 5 to 20 letters and digits."))
        if row.get("post", "").lower() != slug:
            reasons.append(_("The post must be %(post)s.") % {"post": slug})
        status = row.get("status")
        if status not in statuses:
            reasons.append(_("The status must be one of: %(statuses)s.") % {"statuses": ", ".join(Status.values)})
        letter_pack = _normalise(row.get("letter_pack_number", ""))
        if letter_pack and not LETTER_PACK_NUMBER.fullmatch(letter_pack):
            reasons.append(_("A Letter Pack number has 12 digits."))
        case = _normalise(row.get("case", ""))
        if len(case) > CASE_LENGTH:
            reasons.append(_("A case number has at most %(count)s characters.") % {"count": CASE_LENGTH})
        when = _when(row.get("date", ""), tz)
        if when is None:
            reasons.append(_("The date must be YYYY-MM-DD or YYYY/MM/DD, with HH:MM if known."))
        if reasons:
            rejected.append({"line": line, "row": row, "reasons": reasons})
        else:
            valid.append({"key": key, "case": case, "status": status, "letter_pack_number": letter_pack,
                          "when": when, "line": line, "row": row})
    return valid, rejected


def _refused(row, current):
    """The rejected row of a status that may not follow the passport's ``current`` one."""
    return {"line": row["line"], "row": row["row"], "reasons": [
        _("The status %(status)s cannot follow the passport's current status %(current)s.")
        % {"status": row["status"], "current": current}]}


def preview(rows, post):
    """What ``apply`` would do with the checked rows of ``post``, writing nothing: {"created", "updated",
    "unchanged", "rejected"}, compared as ``apply`` compares (the last row of a passport wins; a row is
    unchanged if its status and Letter Pack number are the passport's; "rejected" lists the rows whose
    status may not follow the passport's). The post's passports named in the file are read in one query
    per 5,000 numbers."""
    latest = {(row["key"], row["case"]): row for row in rows}
    keys = sorted({key for key, _case in latest})
    existing = {}
    for start in range(0, len(keys), 5000):
        existing.update(((key, case), (status, letter_pack)) for key, case, status, letter_pack in
                        PassportTracking.objects.filter(post=post, key__in=keys[start:start + 5000])
                        .values_list("key", "case", "status", "letter_pack_number"))
    counts, refused = {"created": 0, "updated": 0, "unchanged": 0}, []
    for identity, row in latest.items():
        current = existing.get(identity)
        if current is None:
            counts["created"] += 1
        elif not PassportTracking.may_follow(current[0], row["status"]):
            refused.append(_refused(row, current[0]))
        elif current == (row["status"], row["letter_pack_number"]):
            counts["unchanged"] += 1
        else:
            counts["updated"] += 1
    return {**counts, "rejected": sorted(refused, key=lambda rejected: rejected["line"])}


def apply(rows, post, *, actor=None, note=""):
    """Apply checked rows of ``post`` (inside the caller's transaction): new passports are created, changed
    ones updated, each of these with an event, the others counted unchanged; a row whose status may not
    follow the passport's current one is rejected (returned in "rejected", with its line and the reason) and
    changes nothing. The last row of a passport wins.
    The confirmed subscribers of each passport whose status changed get one alert, in the same transaction.
    On PostgreSQL the rows go through a staging table in a few set-based statements (100,000 rows in a
    second or two); elsewhere (the embedded SQLite default) through the ORM."""
    latest = list({(row["key"], row["case"]): row for row in rows}.values())
    if not latest:
        return {"created": 0, "updated": 0, "unchanged": 0, "rejected": []}
    if set_based():
        counts, changed, refused = _apply_set_based(latest, post)
        status_changes = _status_changes_subscribed(changed)
    else:
        counts, changed, status_changes, refused = _apply_orm(latest, post)
    record_events(changed, actor=actor, note=note)
    alerts_for_changes(status_changes)
    return {**counts, "rejected": sorted(refused, key=lambda rejected: rejected["line"])}


def set_based():
    """Whether rows are applied by the set-based statements (PostgreSQL) rather than the ORM."""
    return connection.vendor == "postgresql"


def _apply_orm(rows, post):
    existing = {}
    keys = sorted({row["key"] for row in rows})
    for start in range(0, len(keys), 5000):
        for item in PassportTracking.objects.select_for_update().filter(post=post, key__in=keys[start:start + 5000]):
            existing[(item.key, item.case)] = item
    created, changed, status_changes, refused = [], [], [], []
    unchanged = 0
    for row in rows:
        item = existing.get((row["key"], row["case"]))
        if item is not None and not PassportTracking.may_follow(item.status, row["status"]):
            refused.append(_refused(row, item.status))
        elif item is None:
            created.append(PassportTracking(post=post, key=row["key"], case=row["case"], status=row["status"],
                                            letter_pack_number=row["letter_pack_number"],
                                            status_changed_at=row["when"]))
        elif (item.status, item.letter_pack_number) == (row["status"], row["letter_pack_number"]):
            unchanged += 1
        else:
            if item.status != row["status"]:
                status_changes.append((item.pk, item.status))
            item.status, item.letter_pack_number, item.status_changed_at = (
                row["status"], row["letter_pack_number"], row["when"])
            changed.append(item)
    _fresh_references(created)
    PassportTracking.objects.bulk_create(created, batch_size=2000)
    PassportTracking.objects.bulk_update(changed, ["status", "letter_pack_number", "status_changed_at"],
                                         batch_size=2000)
    counts = {"created": len(created), "updated": len(changed), "unchanged": unchanged}
    return counts, [*created, *changed], status_changes, refused


def _fresh_references(items):
    """Draw again the references (the field's default) of new ``items`` that another passport has, or that
    two of them drew: rare, and checked in one query per 5,000."""
    while True:
        references = [item.reference for item in items]
        taken = set()
        for start in range(0, len(references), 5000):
            taken.update(PassportTracking.objects.filter(reference__in=references[start:start + 5000])
                         .values_list("reference", flat=True))
        seen, again = set(), []
        for item in items:
            if item.reference in taken or item.reference in seen:
                again.append(item)
            seen.add(item.reference)
        if not again:
            return
        for item in again:
            item.reference = reference_new()


STAGING, CHANGED = "passport_import_rows", "passport_import_changed"


def _apply_set_based(rows, post):
    """COPY the rows into a temporary staging table; one DELETE takes out (and returns) the rows whose status
    may not follow the passport's current one; then one UPDATE ... FROM of the rows that differ and one
    INSERT ... ON CONFLICT of the new ones; the ids changed, with the previous status of those updated,
    are kept in a second temporary table for ``record_events`` and the alerts. Both tables are dropped at
    the end of the transaction. Only table names from the models are put into the SQL; values go as
    parameters or through COPY."""
    table = PassportTracking._meta.db_table
    delivery = PassportTracking._meta.get_field("delivery").get_default()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    references = references_generate(REFERENCE_PREFIX, len(rows))  # a new passport's, drawn as the ORM does
    writer.writerows((row["line"], row["key"], row["case"], row["status"], row["letter_pack_number"],
                      row["when"].isoformat(), reference) for row, reference in zip(rows, references, strict=True))
    allowed = [(previous, status) for previous, following in PassportTracking.TRANSITIONS.items()
               for status in following]
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.execute(f"""
            DROP TABLE IF EXISTS {STAGING}, {CHANGED};  -- left by an earlier import in this transaction
            CREATE TEMPORARY TABLE {STAGING} (line integer NOT NULL, key varchar(20) NOT NULL,
                "case" varchar(40) NOT NULL, status varchar(30) NOT NULL, letter_pack_number varchar(12) NOT NULL,
                changed_at timestamptz NOT NULL, reference varchar(20) NOT NULL) ON COMMIT DROP;
            CREATE TEMPORARY TABLE {CHANGED} (item_id bigint NOT NULL, status varchar(30) NOT NULL,
                changed_at timestamptz NOT NULL, previous_status varchar(30)) ON COMMIT DROP""")
        cursor.cursor.copy_expert(
            f'COPY {STAGING} FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL ("case", letter_pack_number))', buffer)
        cursor.execute(f"ANALYZE {STAGING}")
        # Lock the rows this file touches, as a status change from the admin does.
        cursor.execute(f"""
            SELECT count(*) FROM (
                SELECT t.id FROM {table} t JOIN {STAGING} s ON t.key = s.key AND t."case" = s."case"
                WHERE t.post_id = %s ORDER BY t.id FOR UPDATE OF t) locked""", [post.pk])  # noqa: S608 - table names only
        # The rows whose status may not follow the passport's (on the locked rows): out of the staging table.
        cursor.execute(f"""
            DELETE FROM {STAGING} s USING {table} t
            WHERE t.key = s.key AND t."case" = s."case" AND t.post_id = %s AND t.status <> s.status
              AND NOT EXISTS (SELECT 1 FROM unnest(%s::text[], %s::text[]) AS a(previous, status)
                              WHERE a.previous = t.status AND a.status = s.status)
            RETURNING s.line, t.status""",  # noqa: S608 - table names only
                       [post.pk, [pair[0] for pair in allowed], [pair[1] for pair in allowed]])
        illegal = cursor.fetchall()
        # ``differing`` reads the rows as they were before the UPDATE (one snapshot for the whole statement),
        # so RETURNING gives each row's previous status too.
        cursor.execute(f"""
            WITH differing AS (
                SELECT t.id, t.status AS previous_status, s.status, s.letter_pack_number, s.changed_at
                FROM {table} t JOIN {STAGING} s ON t.key = s.key AND t."case" = s."case"
                WHERE t.post_id = %s
                  AND (t.status, t.letter_pack_number) IS DISTINCT FROM (s.status, s.letter_pack_number)),
            updated AS (
                UPDATE {table} t SET status = d.status, letter_pack_number = d.letter_pack_number,
                    status_changed_at = d.changed_at, updated_at = now()
                FROM differing d WHERE t.id = d.id
                RETURNING t.id, t.status, t.status_changed_at, d.previous_status)
            INSERT INTO {CHANGED} SELECT * FROM updated""", [post.pk])  # noqa: S608 - table names only
        updated = cursor.rowcount
        created = _insert_new(cursor, table, post, delivery)
    by_line = {row["line"]: row for row in rows} if illegal else {}
    refused = [_refused(by_line[line], current) for line, current in illegal]
    counts = {"created": created, "updated": updated, "unchanged": len(rows) - created - updated - len(refused)}
    return counts, CHANGED, refused


def _insert_new(cursor, table, post, delivery):
    """Insert the staging rows of passports the post does not have yet, each with the reference drawn for it
    (their ids into the changed table); returns how many. A reference that repeats one already taken (rare: 32^7
    references) skips its row: those rows get new references and are inserted again."""
    new = f"""{STAGING} s WHERE NOT EXISTS (SELECT 1 FROM {table} t
                                            WHERE t.post_id = %s AND t.key = s.key AND t."case" = s."case")"""  # noqa: S608 - table names only
    created = 0
    for _attempt in range(5):
        cursor.execute(f"""
            WITH new AS (SELECT s.* FROM {new}),
            created AS (
                INSERT INTO {table} (post_id, key, "case", status, letter_pack_number, status_changed_at,
                                     delivery, reference, created_at, updated_at)
                SELECT %s, key, "case", status, letter_pack_number, changed_at, %s, reference, now(), now()
                FROM new ON CONFLICT DO NOTHING
                RETURNING id, status, status_changed_at),
            kept AS (INSERT INTO {CHANGED} (item_id, status, changed_at) SELECT * FROM created RETURNING 1)
            SELECT (SELECT count(*) FROM new), (SELECT count(*) FROM kept)""",  # noqa: S608 - table names only
                       [post.pk, post.pk, delivery])
        wanted, inserted = cursor.fetchone()
        created += inserted
        if inserted == wanted:
            return created
        cursor.execute(f"SELECT s.line FROM {new}", [post.pk])  # noqa: S608 - table names only
        lines = [line for (line,) in cursor.fetchall()]
        cursor.execute(f"""
            UPDATE {STAGING} s SET reference = r.reference FROM unnest(%s::integer[], %s::text[]) AS r(line, reference)
            WHERE s.line = r.line""", [lines, references_generate(REFERENCE_PREFIX, len(lines))])  # noqa: S608 - table names only
    raise IntegrityError("passports of the import could not be inserted")


def _status_changes_subscribed(changed):
    """[(id, previous status)] of the passports in the temporary table ``changed`` whose status changed and
    that have a confirmed subscriber, by one query: a file of 100,000 changes without subscribers brings
    none of them into Python."""
    with connection.cursor() as cursor:
        cursor.execute(f"""
            SELECT c.item_id, c.previous_status FROM {changed} c
            WHERE c.previous_status IS DISTINCT FROM c.status AND c.previous_status IS NOT NULL
              AND EXISTS (SELECT 1 FROM {PassportSubscription._meta.db_table} a WHERE a.item_id = c.item_id
                          AND a.confirmed_at IS NOT NULL AND a.unsubscribed_at IS NULL)
            ORDER BY c.item_id""")  # noqa: S608 - table names only
        return cursor.fetchall()


def record_events(changed, *, actor, note):
    """One event for each passport created or changed: ``changed`` is the list of them (ORM path), or the
    name of the temporary table of their ids (set-based path), turned into events by one INSERT ... SELECT."""
    if isinstance(changed, str):
        with connection.cursor() as cursor:
            cursor.execute(f"""
                INSERT INTO {TrackingEvent._meta.db_table} (item_id, status, changed_at, actor_id, note,
                                                            created_at, updated_at)
                SELECT item_id, status, changed_at, %s, %s, now(), now() FROM {changed}""",  # noqa: S608 - table names only
                           [actor.pk if actor else None, str(note)])
        return
    TrackingEvent.objects.bulk_create(
        [TrackingEvent(item=item, status=item.status, changed_at=item.status_changed_at, actor=actor, note=note)
         for item in changed], batch_size=2000)

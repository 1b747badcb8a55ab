"""The email outbox: the one way the portal sends email.

``queue_email`` renders a message in the recipient's language and writes it as an ``OutboundEmail`` row in
the caller's transaction; after commit the row's id is handed to Celery. A worker claims rows with a
conditional update (so a message is never sent twice), sends them through Django's email backend and
records the outcome. Each worker process keeps one SMTP connection for all the emails it sends
(``process_mailer``, ``consular_portal.mail_backends``). A worker's task does not stop at its own row:
``deliver_due`` claims its row and the other due rows in batches (one statement each), sends them over the
kept connection and marks the sent ones in one update, until nothing is due or its time is up; the tasks of
the rows it took find them sent and do nothing. A failed send waits (exponential backoff) in
``retry``; ``requeue_due``, a periodic task, hands Celery the rows whose retry is due, those that never
reached it and those a dead worker left claimed, so a broker outage
delays mail but never loses it. (No countdown tasks: with Redis and late acks a long countdown outlives
the visibility timeout and comes back twice.)
"""

import datetime as dt
import logging
import os
import smtplib
import time
from functools import partial

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import connection, transaction
from django.db.models import Q
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone, translation

from .celery import app as celery_app
from .models import OutboundEmail

log = logging.getLogger(__name__)
Status = OutboundEmail.Status
# The task is named, not imported: tasks import the outbox, never the reverse. The routes in settings
# (CELERY_TASK_ROUTES) put it on the ``mail`` queue.
SEND_TASK = "consular_portal.tasks.send_outbound_email"


def render_template(name, context):
    """One email template. A ``.txt`` template (text part or subject) is plain text: it is rendered with
    autoescaping off, so ``O'Brien & Sons`` stays as typed; the ``.html`` part is escaped as usual."""
    template = get_template(name)
    if name.endswith(".txt"):
        return template.template.render(Context(context, autoescape=False))
    return template.render(context)


def render_email(template, context, language):
    """Subject, text and HTML of ``templates/emails/<template>.*`` rendered in ``language``."""
    with translation.override(language):
        context = {"language": language, **context}
        subject = render_template(f"emails/{template}.subject.txt", context)
        text = render_template(f"emails/{template}.txt", context)
        html = render_template(f"emails/{template}.html", context)
    return " ".join(subject.split()), text.strip() + "\n", html


def recipient_allowed(address):
    """Outside production only the allow-listed domains receive mail."""
    allowed = settings.OUTBOX_ALLOWED_DOMAINS
    if settings.PRODUCTION or "*" in allowed:
        return True
    domain = address.rpartition("@")[2].lower()
    return any(domain == d or domain.endswith(f".{d}") for d in allowed)


def queue_email(*, to, template, context, language, post=None, reply_to="", headers=None, attachments=()):
    """Write one email to the outbox in the current transaction and send it once that commits.
    ``attachments``: small text files, ``(filename, content, content_type)`` each, kept on the row."""
    subject, text, html = render_email(template, context, language)
    allowed = recipient_allowed(to)
    email = OutboundEmail.objects.create(
        post=post,
        template=template,
        to=to,
        reply_to=reply_to or "",
        language=language,
        subject=(settings.OUTBOX_SUBJECT_PREFIX + subject)[:300],
        body_text=text,
        body_html=html,
        headers=headers or {},
        attachments=[{"filename": name, "content": content, "content_type": kind}
                     for name, content, kind in attachments],
        status=Status.QUEUED if allowed else Status.SUPPRESSED,
    )
    if allowed:
        transaction.on_commit(partial(enqueue, email.pk), robust=True)
    else:
        log.info("outbox: email %s to a domain outside the allow-list suppressed", email.pk)
    return email


def enqueue(email_id):
    """Hand one row to Celery. A broker that is down is not an error: the sweep will try again."""
    try:
        if celery_app.conf.task_always_eager:
            # The embedded default has no worker (and send_task never runs eagerly): send it here.
            deliver(email_id)
        else:
            celery_app.send_task(SEND_TASK, (email_id,), retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure leaves the row for the sweep
        log.warning("outbox: could not queue email %s (%s); the sweep will send it", email_id, exc)
        return False
    return True


def backoff(attempts):
    """Seconds to wait before attempt ``attempts + 1``: base · 2^(attempts-1), at most six hours."""
    return min(settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), 6 * 3600)


def claim_timeout():
    """How long a claim holds: past it, a row left in ``sending`` belongs to a worker that died. Longer than
    the task's hard time limit, so a worker still sending has always been stopped before its claim lapses."""
    return dt.timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT_SECONDS)


# A row is due: queued, a retry whose time has come, or claimed by a worker that died (its claim lapsed).
_DUE = "((status IN (%s, %s) AND next_attempt_at <= %s) OR (status = %s AND claimed_at < %s))"
# How many rows one statement claims, and so how many sent emails one update marks. A worker that dies in
# the middle of a batch (SIGKILL, out of memory) leaves the ones it sent unmarked: they go out again once
# their claim lapses. A small batch keeps that few while the claim and the mark cost little per email.
BATCH_SIZE = 25


def _due_params(now):
    return [Status.QUEUED, Status.RETRY, now, Status.SENDING, now - claim_timeout()]


def claim(email_id):
    """Take one due row for sending: queued, a retry that is due, or one whose claim lapsed (its worker
    died mid-send). None if another worker has it, it was sent, or it is not due yet.

    One statement, ``UPDATE ... RETURNING``: the conditional update claims the row and reads it back in the
    same round trip."""
    now = timezone.now()
    rows = OutboundEmail.objects.raw(
        f"UPDATE {_table()} SET status = %s, claimed_at = %s, attempts = attempts + 1, updated_at = %s "  # noqa: S608 - table name
        f"WHERE id = %s AND {_DUE} RETURNING *",
        [Status.SENDING, now, now, email_id, *_due_params(now)],
    )
    return next(iter(rows), None)


def claim_batch(limit=BATCH_SIZE, first=None):
    """Take up to ``limit`` due rows for sending in one statement: the row ``first`` if it is due, then the
    longest waiting. Rows another worker is claiming at the same moment are skipped, not waited for (``FOR
    UPDATE SKIP LOCKED`` on PostgreSQL; SQLite, the embedded default, has one writer at a time), and the
    update checks again that each row is due, so a row is claimed by one worker only. Each kind of due row
    is read in the order of its index (status, next attempt), so a claim reads ``limit`` rows of each, never
    the whole backlog."""
    now = timezone.now()
    table, lock = _table(), " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    kinds = [
        ("status = %s AND next_attempt_at <= %s", [Status.QUEUED, now]),
        ("status = %s AND next_attempt_at <= %s", [Status.RETRY, now]),
        ("status = %s AND claimed_at < %s", [Status.SENDING, now - claim_timeout()]),
    ]
    branches, params = [], []
    if first is not None:
        branches.append(f"SELECT id, next_attempt_at, 0 AS own FROM (SELECT id, next_attempt_at FROM {table} "  # noqa: S608 - table name
                        f"WHERE id = %s AND {_DUE}{lock}) own_row")
        params += [first, *_due_params(now)]
    others, others_params = (" AND id <> %s", [first]) if first is not None else ("", [])
    for n, (where, where_params) in enumerate(kinds):
        branches.append(f"SELECT id, next_attempt_at, 1 AS own FROM (SELECT id, next_attempt_at FROM {table} "  # noqa: S608 - table name
                        f"WHERE {where}{others} ORDER BY next_attempt_at LIMIT %s{lock}) due_{n}")
        params += [*where_params, *others_params, limit]
    rows = OutboundEmail.objects.raw(
        f"UPDATE {table} SET status = %s, claimed_at = %s, attempts = attempts + 1, updated_at = %s "  # noqa: S608 - table name
        f"WHERE id IN (SELECT id FROM ({' UNION ALL '.join(branches)}) due ORDER BY own, next_attempt_at, id "
        f"LIMIT %s) AND {_DUE} RETURNING *",
        [Status.SENDING, now, now, *params, limit, *_due_params(now)],
    )
    return sorted(rows, key=lambda email: (email.pk != first, email.next_attempt_at, email.pk))


def _table():
    """The outbox's table, for the statements of the hot path (the name is the model's; values are always
    parameters)."""
    return connection.ops.quote_name(OutboundEmail._meta.db_table)


def _ids(count):
    return ", ".join(["%s"] * count)


def mark_sent(email_ids):
    """Mark the rows sent, in one statement."""
    if not email_ids:
        return
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_table()} SET status = %s, sent_at = %s, last_error = '', updated_at = %s "  # noqa: S608 - table name
            f"WHERE id IN ({_ids(len(email_ids))})",
            [Status.SENT, now, now, *email_ids],
        )


def release(email_ids):
    """Give back claimed rows that were never tried (the server went away, or the task's time ran out): due
    again at once, their attempt not counted."""
    if not email_ids:
        return
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_table()} SET status = CASE WHEN attempts <= 1 THEN %s ELSE %s END, "  # noqa: S608 - table name
            f"attempts = attempts - 1, updated_at = %s WHERE status = %s AND id IN ({_ids(len(email_ids))})",
            [Status.QUEUED, Status.RETRY, now, Status.SENDING, *email_ids],
        )


_kept_mailer = None  # (pid, configuration, backend): the one this process sends with


def process_mailer():
    """The email backend this process sends with. A backend that keeps its connection open
    (``reuses_connection``: the SMTP one) is made once per process and configuration and kept, so one worker
    sends every email over one connection; any other (the embedded default's files) is made for each email."""
    global _kept_mailer
    config = settings.MAILERS["default"]
    if _kept_mailer is not None:
        pid, kept_config, backend = _kept_mailer
        if pid == os.getpid() and kept_config == config:
            return backend
        if pid == os.getpid():
            backend.close_quietly()
        _kept_mailer = None  # a forked child never writes on its parent's socket
    backend = mailers.default
    if getattr(backend, "reuses_connection", False):
        _kept_mailer = (os.getpid(), config, backend)
    return backend


def close_process_mailer():
    """QUIT the kept SMTP connection (a worker process shutting down)."""
    global _kept_mailer
    if _kept_mailer is not None and _kept_mailer[0] == os.getpid():
        _kept_mailer[2].close_quietly()
    _kept_mailer = None


def build_message(email):
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        reply_to=[email.reply_to] if email.reply_to else None,
        headers={"X-Outbox-Id": str(email.pk), **email.headers},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["content_type"])
    return message


def deliver(email_id):
    """Send one row if it can be claimed. Returns the row's new status, or None when not claimed. (The
    embedded default sends this way, in the request that queued the email.)"""
    email = claim(email_id)
    if email is None:
        return None
    return send_claimed([email])[email.pk]


def deliver_due(email_id=None, *, batch=BATCH_SIZE, seconds=None):
    """What a worker's task does: claim ``email_id`` with the other due rows, ``batch`` at a time, and send
    them over the process's connection, until nothing is due or ``seconds`` have passed (by default a quarter
    of the task's soft time limit, so the task ends well within it). Returns ``email_id``'s new status if this
    call sent or tried it; None when its row was already sent, claimed by another worker or not due (a task
    that came twice, or whose row an earlier task took with its batch)."""
    seconds = settings.CELERY_TASK_SOFT_TIME_LIMIT / 4 if seconds is None else seconds
    deadline = time.monotonic() + seconds
    status, first = None, email_id
    while emails := claim_batch(batch, first=first):
        outcome = send_claimed(emails, deadline=deadline)
        if first is not None and emails[0].pk == first:
            status = outcome[first]
        first = None
        if len(emails) < batch or time.monotonic() > deadline or None in outcome.values():
            break  # nothing more is due, the time is up, or the server went away (the rest was given back)
    return status


def send_claimed(emails, *, deadline=None):
    """Send claimed rows in order over one connection and mark the sent ones in one update. A failure is
    recorded on its row (backoff). Once the server cannot be reached, or ``deadline`` (``time.monotonic()``)
    has passed, the rows not tried yet are given back. Returns each row's status (None: given back)."""
    mailer = process_mailer()
    outcome = dict.fromkeys((email.pk for email in emails), None)
    sent, pending = [], list(emails)
    try:
        while pending:
            if deadline is not None and time.monotonic() > deadline and len(pending) < len(emails):
                break
            email = pending.pop(0)  # in flight: neither marked nor given back if the process dies now
            try:
                mailer.send_messages([build_message(email)])
            except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row and retried
                outcome[email.pk] = _record_failure(email, exc)
                if _server_unavailable(exc):
                    break
                continue
            sent.append(email.pk)
            outcome[email.pk] = Status.SENT
    finally:
        mark_sent(sent)
        release([email.pk for email in pending])
    return outcome


def _server_unavailable(exc):
    """The failure is the server's or the network's, not this message's: the next message would fail too.
    (The kept connection has already been replaced once if it had died before the message's data.)"""
    if isinstance(exc, SoftTimeLimitExceeded):
        return True  # the task must end now
    if isinstance(exc, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)):
        return True
    if isinstance(exc, smtplib.SMTPException):  # a refused sender, recipient or message: this one only
        return getattr(exc, "smtp_code", None) == 421
    return isinstance(exc, OSError)  # refused, reset, timed out, unknown host


def _record_failure(email, exc):
    now = timezone.now()
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        status, next_at = Status.FAILED, now
        log.error("outbox: email %s failed for good after %s attempts: %s", email.pk, email.attempts, error)
    else:
        status, next_at = Status.RETRY, now + dt.timedelta(seconds=backoff(email.attempts))
        log.warning("outbox: email %s attempt %s failed: %s", email.pk, email.attempts, error)
    OutboundEmail.objects.filter(pk=email.pk, status=Status.SENDING).update(
        status=status, last_error=error, next_attempt_at=next_at, updated_at=now
    )
    return status


def requeue_due(grace_seconds=None):
    """Hand Celery every row that should be on its way: queued rows older than the grace period (their
    own enqueue may have failed), retries that are due, and rows a dead worker left in ``sending``.
    Returns how many rows were handed over."""
    grace = settings.OUTBOX_SWEEP_GRACE_SECONDS if grace_seconds is None else grace_seconds
    now = timezone.now()
    # A worker killed mid-send never finishes its row; once its claim has lapsed it is due again. (The only
    # way to send twice is a worker dying between the SMTP server's reply and the update that marks it sent:
    # for a batch, that update comes after the batch's last email, BATCH_SIZE emails at most.)
    OutboundEmail.objects.filter(status=Status.SENDING, claimed_at__lt=now - claim_timeout()).update(
        status=Status.RETRY, next_attempt_at=now, updated_at=now
    )
    due = OutboundEmail.objects.filter(
        Q(status=Status.QUEUED, created_at__lte=now - dt.timedelta(seconds=grace))
        | Q(status=Status.RETRY, next_attempt_at__lte=now)
    ).values_list("pk", flat=True)
    count = 0
    for pk in due[:1000]:
        count += enqueue(pk)
    return count


def purge_sent(days=None):
    """Delete sent and suppressed rows older than the retention period (they hold personal data)."""
    days = settings.OUTBOX_RETENTION_DAYS if days is None else days
    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted, _ = OutboundEmail.objects.filter(
        status__in=[Status.SENT, Status.SUPPRESSED, Status.FAILED], created_at__lt=cutoff
    ).delete()
    return deleted

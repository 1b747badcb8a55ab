"""The email outbox: the one way the portal sends email.

``queue_email`` renders a message in the recipient's language and writes it as an ``OutboundEmail`` row in
the caller's transaction; after commit the row's id is handed to Celery. A worker claims the row with a
conditional update (so a message is never sent twice), sends it through Django's email backend and
records the outcome. Each worker process keeps one SMTP connection for all the emails it sends
(``process_mailer``, ``consular_portal.mail_backends``). A failed send waits (exponential backoff) in
``retry``; ``requeue_due``, a periodic task, hands Celery the rows whose retry is due, those that never
reached it and those a dead worker left claimed, so a broker outage
delays mail but never loses it. (No countdown tasks: with Redis and late acks a long countdown outlives
the visibility timeout and comes back twice.)
"""

import datetime as dt
import logging
import os
from functools import partial

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


def claim(email_id):
    """Take one due row for sending: queued, a retry that is due, or one whose claim lapsed (its worker
    died mid-send). None if another worker has it, it was sent, or it is not due yet.

    One statement, ``UPDATE ... RETURNING``: the conditional update claims the row and reads it back in the
    same round trip (this runs once per email on the worker's hot path)."""
    now = timezone.now()
    rows = OutboundEmail.objects.raw(
        f"UPDATE {_table()} SET status = %s, claimed_at = %s, attempts = attempts + 1, updated_at = %s "  # noqa: S608 - table name
        "WHERE id = %s AND ((status IN (%s, %s) AND next_attempt_at <= %s) OR (status = %s AND claimed_at < %s)) "
        "RETURNING *",
        [Status.SENDING, now, now, email_id, Status.QUEUED, Status.RETRY, now, Status.SENDING, now - claim_timeout()],
    )
    return next(iter(rows), None)


def _table():
    """The outbox's table, for the two statements of the hot path (the name is the model's; values are
    always parameters)."""
    return connection.ops.quote_name(OutboundEmail._meta.db_table)


def mark_sent(email_id):
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_table()} SET status = %s, sent_at = %s, last_error = '', updated_at = %s WHERE id = %s",  # noqa: S608 - table name
            [Status.SENT, now, now, email_id],
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
    """Send one row if it can be claimed. Returns the row's new status, or None when not claimed."""
    email = claim(email_id)
    if email is None:
        return None
    try:
        process_mailer().send_messages([build_message(email)])
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row and retried
        return _record_failure(email, exc)
    mark_sent(email.pk)
    return Status.SENT


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
    # way to send twice is a worker dying between the SMTP server's reply and the update that marks it sent.)
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

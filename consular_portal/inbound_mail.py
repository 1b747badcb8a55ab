"""Automatic replies to inbound mail, following RFC 3834, for every service that answers by email.

``answer(message, service=...)`` is the one rule set: it takes a parsed message and returns the ``AutoReply``
to queue, or None. It never answers mail that is itself automatic (``Auto-Submitted`` other than ``no``),
list or bulk mail (``Precedence``, any ``List-*`` header), bounces (empty Return-Path, MAILER-DAEMON or
postmaster) or our own mail, and answers one sender at most ``AUTOREPLY_PER_SENDER_PER_HOUR`` times an
hour. What the reply says is the service's: a callable given the message and the reply's languages that
returns the template and its context. A reply never quotes the incoming message: its subject and text are
the service's templates, and only what the service chooses to show (a masked number) comes from the mail.

The SMTP receiver (``manage.py receive_mail``) and the IMAP poller (``manage.py poll_mailbox``) are thin
front ends: both hand the raw bytes to the ``answer_inbound_mail`` task, which parses them, calls
``answer`` and queues the reply through the outbox.

The per-sender limit is counted in the database, from the outbox rows of the service's replies in the
last hour, under a per-sender lock, in the transaction that queues the reply. The outbox is the record of
what was answered, so the count cannot drift from it, survives a cache flush or a Redis restart, and does
not fail open as the portal's cache-based limits do by design: this limit is what stops two auto-responders
answering each other for ever.
"""

import base64
import datetime as dt
import email
import email.policy
import logging
import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from email.utils import getaddresses, parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation.trans_real import parse_accept_lang_header

log = logging.getLogger(__name__)

# When the request says nothing of its language, the reply is in both.
DEFAULT_REPLY_LANGUAGES = ("en", "ja")
BOUNCE_LOCAL_PARTS = {"mailer-daemon", "postmaster"}
LIST_PRECEDENCE = {"bulk", "list", "junk"}
# A msg-id as RFC 5322 writes it (dot-atom-ish left and right, no spaces, no brackets inside), not too long.
MESSAGE_ID_RE = re.compile(r"^<[!#$%&'*+\-/=?^_`{|}~.0-9A-Za-z]{1,200}@[!#$%&'*+\-/=?^_`{|}~.0-9A-Za-z\[\]:]{1,200}>$")
MESSAGE_ID_MAX = 250
# Words of a subject that choose the reply's language (whole words; the CJK ones anywhere in the subject).
LANGUAGE_WORDS = {
    "en": {"en", "english", "英語", "英文"},
    "ja": {"ja", "japanese", "日本語", "にほんご"},
    "zh-hans": {"zh", "zh-hans", "chinese", "中文", "简体中文", "汉语", "普通话"},
}


@dataclass(frozen=True)
class Service:
    """What answers mail to one address: ``compose(message, languages)`` returns ``(template, context)``,
    and ``templates`` are every template it may answer with (the per-sender limit counts them)."""

    compose: object
    templates: tuple


@dataclass
class AutoReply:
    """One reply to queue through the outbox (``consular_portal.outbox.queue_email``'s arguments)."""

    to: str
    template: str
    context: dict
    language: str
    headers: dict = field(default_factory=dict)

    def queue(self):
        from .outbox import queue_email

        return queue_email(
            to=self.to, template=self.template, context=self.context, language=self.language, headers=self.headers
        )


class NoReply(str):
    """Why a message gets no reply (a ``str``: the task logs and returns it)."""


def parse(raw):
    """A message from its raw bytes, with the modern policy (headers decoded, ``get_body``)."""
    return email.message_from_bytes(raw, policy=email.policy.default)


def header(message, name):
    """A header's value as text, or "" (a header the parser cannot read counts as absent)."""
    try:
        value = message.get(name)
    except Exception:  # noqa: BLE001 - a malformed header is never an error, it is no value
        return ""
    return str(value or "").strip()


def all_headers(message, name):
    try:
        return [str(value).strip() for value in message.get_all(name) or []]
    except Exception:  # noqa: BLE001 - as in header()
        return []


def _token(value):
    """The first word of a header such as ``auto-replied (vacation)`` or ``bulk; x``, lower case."""
    return re.split(r"[\s;(]", value.strip(), maxsplit=1)[0].casefold()


def _address(value):
    """The one address in a header value, lower-cased domain; "" when there is none or it is not valid."""
    try:
        pairs = getaddresses([value])
    except Exception:  # noqa: BLE001 - an unreadable address is no address
        return ""
    addresses = [address for _name, address in pairs if address]
    if len(addresses) != 1:
        return ""
    address = addresses[0].strip()
    local, at, domain = address.rpartition("@")
    if not at or len(address) > 254:
        return ""
    address = f"{local}@{domain.lower()}"
    try:
        validate_email(address)
    except ValidationError:
        return ""
    return address


def own_addresses():
    addresses = {parseaddr(settings.DEFAULT_FROM_EMAIL)[1], settings.STATUS_MAIL_ADDRESS}
    return {address.casefold() for address in addresses if address}


def sender(message):
    """Where a reply goes: the Return-Path (the envelope sender, written by the delivering server), else the
    From address. Returns ``(address, refusal)``: one of them is empty."""
    return_paths = all_headers(message, "Return-Path")
    if return_paths:
        if any(value.strip("<> \t") == "" for value in return_paths):
            return "", NoReply("bounce: empty Return-Path")
        address = _address(return_paths[-1])
    else:
        address = _address(header(message, "From"))
    if not address:
        return "", NoReply("no valid sender address")
    return address, ""


def refusal(message):
    """Why RFC 3834 forbids answering ``message``, or "" when a reply is allowed."""
    for value in all_headers(message, "Auto-Submitted"):
        if _token(value) != "no":
            return NoReply("automatic: Auto-Submitted")
    if _token(header(message, "Precedence")) in LIST_PRECEDENCE:
        return NoReply("list or bulk: Precedence")
    try:
        names = message.keys()
    except Exception:  # noqa: BLE001
        names = []
    if any(name.lower().startswith("list-") for name in names):
        return NoReply("list: List-* header")
    address, why = sender(message)
    if why:
        return why
    from_address = _address(header(message, "From"))
    for candidate in {address, from_address} - {""}:
        if candidate.partition("@")[0].casefold() in BOUNCE_LOCAL_PARTS:
            return NoReply("bounce: MAILER-DAEMON or postmaster")
        if candidate.casefold() in own_addresses():
            return NoReply("our own address")
    return ""


def message_id(message):
    """The incoming Message-ID when it is a sane msg-id, else ""."""
    values = [value for name, value in message.raw_items() if name.lower() == "message-id"]
    value = values[0].strip() if len(values) == 1 and isinstance(values[0], str) else ""
    if len(value) <= MESSAGE_ID_MAX and MESSAGE_ID_RE.match(value):
        return value
    return ""


def reply_headers(message):
    """RFC 3834's headers of a reply: ``Auto-Submitted: auto-replied`` and, when the incoming Message-ID can
    be trusted, ``In-Reply-To`` and ``References``."""
    headers = {"Auto-Submitted": "auto-replied"}
    msg_id = message_id(message)
    if msg_id:
        headers["In-Reply-To"] = msg_id
        headers["References"] = msg_id
    return headers


def _supported(code):
    try:
        return translation.get_supported_language_variant(code.strip())
    except (LookupError, ValueError):
        return ""


def request_languages(message, default=DEFAULT_REPLY_LANGUAGES):
    """The languages of the reply: the request's (``Content-Language``, then ``Accept-Language``, then a word
    of the subject such as 日本語 or 中文), else ``default`` (English and Japanese)."""
    for code in header(message, "Content-Language").split(","):
        if code.strip() and (language := _supported(code)):
            return (language,)
    for code, _quality in parse_accept_lang_header(header(message, "Accept-Language")[:500]):
        if code != "*" and (language := _supported(code)):
            return (language,)
    subject = unicodedata.normalize("NFKC", header(message, "Subject")).casefold()
    words = set(re.split(r"[\s,.;:/()\[\]]+", subject))
    for language, keywords in LANGUAGE_WORDS.items():
        if any(word in words or (not word.isascii() and word in subject) for word in keywords):
            return (language,)
    return tuple(default)


def body_text(message):
    """The text part of ``message`` without its signature (after a ``-- `` line), or "" when it has none."""
    try:
        part = message.get_body(preferencelist=("plain",))
        text = part.get_content() if part is not None else ""
    except Exception:  # noqa: BLE001 - an unknown charset or broken encoding is no text
        return ""
    if not isinstance(text, str):
        return ""
    text = text.replace("\r\n", "\n")
    return re.split(r"^-- ?$", text, maxsplit=1, flags=re.MULTILINE)[0].strip()


def subject_text(message):
    return header(message, "Subject")


def _lock_sender(address):
    """Serialise the count-and-queue of one sender's replies until the transaction ends (PostgreSQL)."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [3834, zlib.crc32(address.encode()) - 2**31])


def replies_in_last_hour(address, templates):
    from .models import OutboundEmail

    since = timezone.now() - dt.timedelta(hours=1)
    return OutboundEmail.objects.filter(created_at__gte=since, to__iexact=address, template__in=templates).count()


def answer(message, *, service):
    """The reply to ``message`` (an ``AutoReply``) or the reason there is none (a ``NoReply``).

    Call it inside ``transaction.atomic()`` and queue the reply in the same transaction: the per-sender
    limit is then exact even with several workers."""
    why = refusal(message)
    if why:
        return why
    address, _why = sender(message)
    _lock_sender(address.casefold())
    if replies_in_last_hour(address, service.templates) >= settings.AUTOREPLY_PER_SENDER_PER_HOUR:
        return NoReply("per-sender limit")
    languages = request_languages(message)
    template, context = service.compose(message, languages)
    return AutoReply(
        to=address,
        template=template,
        context={**context, "languages": languages},
        language=languages[0],
        headers=reply_headers(message),
    )


def service_for(recipient):
    """The service answering mail to ``recipient`` (settings ``INBOUND_MAIL_SERVICES``), or None."""
    path = {address.casefold(): path for address, path in settings.INBOUND_MAIL_SERVICES.items()}.get(
        (recipient or "").casefold()
    )
    return import_string(path) if path else None


def answer_raw(raw, recipient):
    """Parse, answer and queue: what the task runs. Returns the outcome in words (the template queued, or
    why nothing was), never the sender's text."""
    service = service_for(recipient)
    if service is None:
        return "no service for this address"
    message = parse(raw)
    with transaction.atomic():
        reply = answer(message, service=service)
        if isinstance(reply, AutoReply):
            reply.queue()
            return f"replied: {reply.template}"
    log.info("inbound mail: no reply (%s)", reply)
    return f"no reply: {reply}"


def hand_over(task, raw, recipient):
    """Queue ``task`` (``answer_inbound_mail``) for one raw message; raises when the broker cannot take it."""
    task.apply_async((base64.b64encode(raw).decode("ascii"), recipient), retry=False)


def with_return_path(raw, mail_from):
    """The message as the final delivery writes it: the envelope sender as its only Return-Path."""
    head, sep, body = raw.partition(b"\r\n\r\n")
    if not sep:
        head, sep, body = raw.partition(b"\n\n")
    newline = b"\r\n" if b"\r\n" in head or not head else b"\n"
    lines = re.split(rb"\r?\n", head) if head else []
    kept, skipping = [], False
    for line in lines:
        if line[:1] in (b" ", b"\t") and skipping:
            continue
        skipping = line.lower().startswith(b"return-path:")
        if not skipping:
            kept.append(line)
    path = f"Return-Path: <{mail_from or ''}>".encode("ascii", "replace")
    return newline.join([path, *kept]) + (sep or newline * 2) + body


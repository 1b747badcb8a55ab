"""The IMAP front end of inbound mail, for deployments whose mail is received elsewhere (``IMAP_URL``).

Each unseen message of the mailbox is handed to the same task as the SMTP receiver's, then marked seen (and
moved, with ``?move=Folder``). A message is marked only once the task is queued: a broker that is down
leaves it unseen for the next poll. The URL chooses the transport: ``imaps://`` (TLS), ``imap+starttls://``
(STARTTLS, refused if the server does not offer it) or ``imap://`` (plain, for a server on a trusted network).
"""

import imaplib
import logging
import re
import ssl
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from . import inbound_mail

log = logging.getLogger(__name__)
BATCH = 200  # messages a poll handles at most; the rest wait for the next one
LOCK = "inbound-mail:imap-poll"
LOCK_SECONDS = 300
PORTS = {"imaps": 993, "imap+starttls": 143, "imap": 143}


@dataclass(frozen=True)
class MailboxURL:
    scheme: str
    host: str
    port: int
    username: str
    password: str
    folder: str
    move_to: str

    @classmethod
    def parse(cls, url):
        parts = urlsplit(url)
        if parts.scheme not in PORTS or not parts.hostname:
            raise ImproperlyConfigured("IMAP_URL must be imaps://, imap+starttls:// or imap://user:password@host/")
        query = parse_qs(parts.query)
        return cls(
            scheme=parts.scheme,
            host=parts.hostname,
            port=parts.port or PORTS[parts.scheme],
            username=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            folder=unquote(parts.path.strip("/")) or "INBOX",
            move_to=query.get("move", [""])[0],
        )

    def connect(self, timeout=30):
        if self.scheme == "imaps":
            client = imaplib.IMAP4_SSL(self.host, self.port, ssl_context=ssl.create_default_context(), timeout=timeout)
        else:
            client = imaplib.IMAP4(self.host, self.port, timeout=timeout)
            if self.scheme == "imap+starttls":
                client.starttls(ssl_context=ssl.create_default_context())
        client.login(self.username, self.password)
        return client


def _quoted(folder):
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _size(item):
    match = re.search(rb"RFC822\.SIZE (\d+)", item)
    return int(match.group(1)) if match else 0


def poll(url=None, recipient=None):
    """Hand every unseen message of the mailbox to ``answer_inbound_mail``; returns how many were handed.

    One poll at a time (a lock in the cache): the beat task and ``poll_mailbox --every`` may both run, and
    two polls at once would both hand over a message before either marks it seen."""
    url = MailboxURL.parse(url or settings.IMAP_URL)
    if not cache.add(LOCK, 1, timeout=LOCK_SECONDS):
        log.info("inbound mail: another poll of the mailbox is running")
        return 0
    try:
        return _poll(url, recipient or settings.STATUS_MAIL_ADDRESS)
    finally:
        cache.delete(LOCK)


def _poll(url, recipient):
    from .tasks import answer_inbound_mail

    client = url.connect()
    handed = 0
    try:
        typ, _data = client.select(_quoted(url.folder))
        if typ != "OK":
            raise imaplib.IMAP4.error(f"cannot select {url.folder}")
        _typ, data = client.uid("SEARCH", None, "UNSEEN")
        for uid in (data[0] or b"").split()[:BATCH]:
            _typ, sized = client.uid("FETCH", uid, "(RFC822.SIZE)")
            if _size(sized[0] if sized and isinstance(sized[0], bytes) else b"") > settings.MAIL_RECEIVER_MAX_BYTES:
                log.info("inbound mail: message %s is over the size limit; marked seen, not answered", uid)
            else:
                _typ, fetched = client.uid("FETCH", uid, "(BODY.PEEK[])")
                raw = next((part[1] for part in fetched if isinstance(part, tuple)), None)
                if raw is None:
                    continue
                inbound_mail.hand_over(answer_inbound_mail, raw, recipient)
                handed += 1
            client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
            if url.move_to:
                _move(client, uid, url.move_to)
        if url.move_to:
            client.expunge()
    finally:
        try:
            client.logout()
        except (imaplib.IMAP4.error, OSError):
            pass
    return handed


def _move(client, uid, folder):
    if "MOVE" in client.capabilities:
        client.uid("MOVE", uid, _quoted(folder))
    else:
        client.uid("COPY", uid, _quoted(folder))
        client.uid("STORE", uid, "+FLAGS", "(\\Deleted)")

"""The IMAP poller's URL chooses the transport, and the beat task polls only where IMAP_URL is set (the
poller against a real Dovecot is in tests/integration/test_status_mail.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from consular_portal.imap_poller import MailboxURL

from .test_settings import settings_value

pytestmark = pytest.mark.pure


@pytest.mark.parametrize(
    ("url", "scheme", "port", "folder", "move_to"),
    [
        ("imaps://status:p%40ss@mail.example.gov/INBOX", "imaps", 993, "INBOX", ""),
        ("imap+starttls://status:pw@mail.example.gov/Status%20mail?move=Answered", "imap+starttls", 143,
         "Status mail", "Answered"),
        ("imap://status:pw@127.0.0.1:1143", "imap", 1143, "INBOX", ""),
    ],
)
def test_the_mailbox_url_chooses_tls_starttls_or_plain(url, scheme, port, folder, move_to):
    mailbox = MailboxURL.parse(url)
    assert (mailbox.scheme, mailbox.port, mailbox.folder, mailbox.move_to) == (scheme, port, folder, move_to)
    assert mailbox.username == "status" and mailbox.password in {"p@ss", "pw"}


@pytest.mark.parametrize("url", ["pop3://status:pw@mail.example.gov/", "imaps:///INBOX", "mail.example.gov"])
def test_a_mailbox_url_of_another_kind_is_refused(url):
    with pytest.raises(ImproperlyConfigured):
        MailboxURL.parse(url)


def test_beat_polls_the_mailbox_only_where_imap_url_is_set():
    assert "poll-status-mailbox" not in settings_value("CELERY_BEAT_SCHEDULE", env={})
    schedule = settings_value("CELERY_BEAT_SCHEDULE", env={"IMAP_URL": "imaps://s:p@mail.example.gov/INBOX"})
    assert "'poll-status-mailbox'" in schedule and "consular_portal.tasks.poll_status_mailbox" in schedule

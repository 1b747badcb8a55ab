"""The SMTP email backend the outbox sends with: Django's, but one connection serves many messages.

The outbox keeps one instance per worker process (``consular_portal.outbox.process_mailer``), so a worker
opens one SMTP connection and reuses it for every email it sends, instead of a connect, EHLO and QUIT per
email. A connection idle longer than ``max_idle`` seconds is closed and opened again before the next message
(servers and NAT tables drop idle connections, sometimes silently).

A connection found dead when a message starts (the server dropped it or timed out: the MAIL or RCPT command
fails, or the server says 421) is replaced and the message sent once more on the new connection. That retry
is only made while the message's DATA has not begun, so the server cannot have accepted it: a message is
never sent twice by this retry. A failure once DATA has begun, or on a connection just opened, is raised:
the outbox records it and tries again later with backoff.
"""

import smtplib
import time

from django.core.mail.backends import smtp


class _DataTracking:
    """Remembers whether the current message's DATA command was sent on this connection."""

    data_started = False

    def data(self, msg):
        self.data_started = True
        return super().data(msg)


class _SMTP(_DataTracking, smtplib.SMTP):
    pass


class _SMTPSSL(_DataTracking, smtplib.SMTP_SSL):
    pass


class EmailBackend(smtp.EmailBackend):
    reuses_connection = True  # the outbox keeps one instance for the life of the process

    def __init__(
        self, host=None, port=None, username=None, password=None, use_tls=None, fail_silently=False,
        use_ssl=None, timeout=None, ssl_keyfile=None, ssl_certfile=None, max_idle=30, **kwargs,
    ):
        # Django's options spelled out: settings.mailer_from_url passes a URL's options this signature names.
        super().__init__(
            host=host, port=port, username=username, password=password, use_tls=use_tls,
            fail_silently=fail_silently, use_ssl=use_ssl, timeout=timeout, ssl_keyfile=ssl_keyfile,
            ssl_certfile=ssl_certfile, **kwargs,
        )
        self.max_idle = max_idle
        self.last_used = 0.0
        self.connections_opened = 0

    @property
    def connection_class(self):
        return _SMTPSSL if self.use_ssl else _SMTP

    def open(self):
        if self.connection is not None and time.monotonic() - self.last_used > self.max_idle:
            self.close_quietly()
        opened = super().open()
        if opened:
            self.connections_opened += 1
        return opened

    def close_quietly(self):
        """Drop the connection without raising (it may already be dead)."""
        connection, self.connection = self.connection, None
        if connection is not None:
            try:
                connection.quit()
            except (OSError, smtplib.SMTPException):
                connection.close()

    def send_messages(self, email_messages):
        """Send each message on the kept connection (opened when needed) and leave it open."""
        sent = 0
        with self._lock:
            for message in email_messages:
                sent += bool(self._send_reconnecting(message))
        return sent

    def _send_reconnecting(self, message):
        fresh = self.open()
        if fresh is None:  # fail_silently and the server cannot be reached
            return False
        try:
            return self._send_once(message)
        except (OSError, smtplib.SMTPException) as exc:
            if fresh or not self._dropped_before_data(exc):
                raise
        # The kept connection had died before this message's data went out: one more try on a new one.
        self.close_quietly()
        self.open()
        return self._send_once(message)

    def _send_once(self, message):
        connection = self.connection
        connection.data_started = False
        try:
            sent = self._send(message)
        except BaseException:
            self._last_failure_before_data = not connection.data_started
            self._last_failure_closed = connection.sock is None
            self.close_quietly()  # whatever state the conversation is in, the next message starts afresh
            raise
        self.last_used = time.monotonic()
        return sent

    def _dropped_before_data(self, exc):
        if not self._last_failure_before_data:
            return False
        if isinstance(exc, (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError)):
            return True
        # smtplib closes the connection itself when the server answers 421 (service closing).
        return getattr(exc, "smtp_code", None) == 421 or self._last_failure_closed

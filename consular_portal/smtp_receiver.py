"""The SMTP front end of inbound mail (``manage.py receive_mail``): an aiosmtpd server that accepts mail
for the addresses that answer by email (``INBOUND_MAIL_SERVICES``: the status address), refuses every
other recipient with 550 and a message over ``MAIL_RECEIVER_MAX_BYTES`` with 552, and queues each message on
Celery. A broker that cannot take it gets the sender a 451: the sending server tries again later."""

import asyncio
import logging

from aiosmtpd.controller import Controller
from django.conf import settings

from . import inbound_mail

log = logging.getLogger(__name__)


class InboundHandler:
    def __init__(self, addresses, task):
        self.addresses = {address.casefold() for address in addresses}
        self.task = task

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's hook
        if address.casefold() not in self.addresses:
            return "550 5.1.1 No such mailbox here"
        if address.casefold() not in {rcpt.casefold() for rcpt in envelope.rcpt_tos}:
            envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
        raw = inbound_mail.with_return_path(envelope.original_content or envelope.content, envelope.mail_from)
        loop = asyncio.get_running_loop()
        try:
            for recipient in envelope.rcpt_tos:
                await loop.run_in_executor(None, inbound_mail.hand_over, self.task, raw, recipient)
        except Exception as exc:  # noqa: BLE001 - any broker failure: the sender's server retries
            log.warning("inbound mail: could not queue a message (%s); answered 451", exc)
            return "451 4.3.0 Cannot take the message now, try again later"
        return "250 OK: queued"


def controller(host=None, port=None):
    from .tasks import answer_inbound_mail

    handler = InboundHandler(settings.INBOUND_MAIL_SERVICES, answer_inbound_mail)
    return Controller(
        handler,
        hostname=host or settings.MAIL_RECEIVER_HOST,
        port=port or settings.MAIL_RECEIVER_PORT,
        data_size_limit=settings.MAIL_RECEIVER_MAX_BYTES,
        ident="Consular Portal",
    )

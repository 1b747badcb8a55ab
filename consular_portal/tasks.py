from celery import shared_task
from celery.signals import worker_process_shutdown

from . import outbox


@worker_process_shutdown.connect
def _close_smtp_connection(**kwargs):
    outbox.close_process_mailer()


@shared_task
def send_outbound_email(email_id):
    return outbox.deliver(email_id)


@shared_task
def sweep_outbox():
    return outbox.requeue_due()


@shared_task
def purge_outbox():
    return outbox.purge_sent()


@shared_task
def answer_inbound_mail(raw_base64, recipient):
    """Answer one message received for ``recipient`` (its raw bytes, base64: tasks carry JSON only)."""
    import base64

    from . import inbound_mail

    return inbound_mail.answer_raw(base64.b64decode(raw_base64), recipient)


@shared_task
def poll_status_mailbox():
    from . import imap_poller

    return imap_poller.poll()

from celery import shared_task
from celery.signals import task_postrun, task_prerun, worker_process_shutdown
from django.db import close_old_connections

from . import outbox


@task_prerun.connect
@task_postrun.connect
def _database_connection_as_a_request(task=None, **kwargs):
    """A task on a worker handles its database connection as a request does: kept for CONN_MAX_AGE, checked
    before reuse, closed after an error (Celery's own handling, turned off by CELERY_DB_REUSE_MAX, opens one
    for every task). Never for an eager task: it runs inside its caller's transaction."""
    if task is not None and not getattr(task.request, "is_eager", False):
        close_old_connections()


@worker_process_shutdown.connect
def _close_smtp_connection(**kwargs):
    outbox.close_process_mailer()


@shared_task
def send_outbound_email(email_id):
    return outbox.deliver_due(email_id)


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


# Well within the broker's visibility timeout (600 s), or a second worker would start the same purge: a purge
# that has more to do (the first night) stops starting batches after 300 s and goes on the next night.
@shared_task(soft_time_limit=450, time_limit=500)
def purge_expired_records():
    """The daily purge of records past their retention period (consular_portal/retention.py)."""
    from . import retention

    return retention.purge_all(seconds=300)

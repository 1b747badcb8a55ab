from celery import shared_task

from . import outbox


@shared_task
def send_outbound_email(email_id):
    return outbox.deliver(email_id)


@shared_task
def sweep_outbox():
    return outbox.requeue_due()


@shared_task
def purge_outbox():
    return outbox.purge_sent()

from celery import shared_task

from .reminders import overdue_reminders_send


@shared_task(acks_late=True)
def send_overdue_reminders():
    """Daily: each post's officers get the list of requests past their promised answer date."""
    return overdue_reminders_send()

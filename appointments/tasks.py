from celery import shared_task
from django.utils import timezone

from .reminders import overdue_reminders_send, posts_at_reminder_hour


@shared_task(acks_late=True)
def send_overdue_reminders():
    """Hourly: the officers of each post where it is now REMINDER_LOCAL_HOUR get the list of requests past
    their promised answer date (so once a day, in their morning)."""
    return overdue_reminders_send(posts=posts_at_reminder_hour(timezone.now()))

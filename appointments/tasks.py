from celery import shared_task
from django.utils import timezone

from .in_person_reminders import in_person_overdue_reminders_send
from .reminders import overdue_reminders_send, posts_at_reminder_hour


@shared_task(acks_late=True)
def send_overdue_reminders():
    """Hourly: the officers of each post where it is now REMINDER_LOCAL_HOUR get the list of requests past
    their promised answer date (so once a day, in their morning)."""
    return overdue_reminders_send(posts=posts_at_reminder_hour(timezone.now()))


@shared_task(acks_late=True)
def send_in_person_overdue_reminders():
    """Hourly, like the expedite reminder: in-person appointment requests past their promised answer date."""
    return in_person_overdue_reminders_send(posts=posts_at_reminder_hour(timezone.now()))

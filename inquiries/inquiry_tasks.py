"""The status inquiries' periodic task (registered by the app's ``ready``)."""

from celery import shared_task
from django.utils import timezone

from consular_portal.review.reminders import posts_at_reminder_hour

from .inquiry_reminders import inquiry_overdue_reminders_send


@shared_task(acks_late=True, name="inquiries.send_inquiry_overdue_reminders")
def send_inquiry_overdue_reminders():
    """Hourly: the officers of each post where it is now REMINDER_LOCAL_HOUR get the list of status inquiries past
    their promised answer date (so once a day, in their morning)."""
    return inquiry_overdue_reminders_send(posts=posts_at_reminder_hour(timezone.now()))

"""Passport tracking's worker tasks: the import task is the tracking shape's, registered here."""

from celery import shared_task

from consular_portal.tracking.tasks import process_import

__all__ = ["process_import", "send_pickup_reminders"]


@shared_task(name="passports.tasks.send_pickup_reminders", acks_late=True, soft_time_limit=300, time_limit=360)
def send_pickup_reminders():
    """Daily (beat): remind subscribers of passports about to be sent back from the post office."""
    from .alerts import pickup_reminders_send

    return pickup_reminders_send()

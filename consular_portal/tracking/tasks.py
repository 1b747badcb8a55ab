"""The worker's side of tracking imports (registered by each tracking app's ``tasks`` module)."""

from celery import shared_task

from .imports import run_import


@shared_task(name="consular_portal.tracking.process_import", acks_late=True, soft_time_limit=600,
             time_limit=660)
def process_import(model_label, job_id):
    return run_import(model_label, job_id)

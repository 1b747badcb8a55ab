"""A CSV import of status updates, run by a worker: check every row in chunks (the progress staff watch),
then apply the valid rows in one transaction, so a failure leaves nothing half applied."""

import logging

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone

log = logging.getLogger(__name__)


def run_import(model_label, job_id, *, chunk_size=None):
    """Process the import job ``job_id`` of the model ``model_label`` ("passports.PassportImport"). A job
    is claimed from ``queued`` with a conditional update, so a task delivered twice runs it once. Returns
    the job's final status."""
    model = apps.get_model(model_label)
    chunk_size = chunk_size or settings.TRACKING_IMPORT_CHUNK_SIZE
    claimed = model.objects.filter(pk=job_id, status=model.Status.QUEUED).update(
        status=model.Status.RUNNING, started_at=timezone.now())
    if not claimed:
        return None
    job = model.objects.select_related("post").get(pk=job_id)
    try:
        rows = job.read_rows()
        model.objects.filter(pk=job_id).update(rows_total=len(rows))
        valid, rejected = [], []
        for start in range(0, len(rows), chunk_size):
            chunk_valid, chunk_rejected = job.check_rows(rows[start:start + chunk_size])
            valid += chunk_valid
            rejected += chunk_rejected
            model.objects.filter(pk=job_id).update(rows_done=min(len(rows), start + chunk_size))
        with transaction.atomic():
            counts = job.apply_rows(valid)
            model.objects.filter(pk=job_id).update(
                status=model.Status.DONE, rows_done=len(rows), rejected=len(rejected), rejected_rows=rejected,
                finished_at=timezone.now(), **counts)
    except Exception as exc:  # noqa: BLE001 - any failure: the job says so, nothing of it is applied
        log.exception("import %s %s failed", model_label, job_id)
        model.objects.filter(pk=job_id).update(status=model.Status.FAILED, error=str(exc)[:2000],
                                               finished_at=timezone.now())
        return model.Status.FAILED
    return model.Status.DONE

"""A CSV import of status updates, run by a worker in two steps. First it checks the file: every row in
chunks (the progress staff watch) and what applying would do, writing nothing but the job, which is then
ready to apply. Once staff apply it, the worker checks the file again and applies the valid rows in one
transaction, so a failure leaves nothing half applied and a database changed since the preview is
applied as it now is."""

import logging

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone

log = logging.getLogger(__name__)


def run_import(model_label, job_id, *, chunk_size=None):
    """Process the import job ``job_id`` of the model ``model_label`` ("passports.PassportImport"): check
    a ``queued`` job, or apply an ``approved`` one. Each step claims the job with a conditional update, so
    a task delivered twice runs it once. Returns the job's status after the step (None if nothing to do)."""
    model = apps.get_model(model_label)
    chunk_size = chunk_size or settings.TRACKING_IMPORT_CHUNK_SIZE
    jobs = model.objects.filter(pk=job_id)
    try:
        if jobs.filter(status=model.Status.QUEUED).update(status=model.Status.CHECKING, started_at=timezone.now()):
            return _check(model, jobs, chunk_size)
        if jobs.filter(status=model.Status.APPROVED).update(status=model.Status.RUNNING):
            return _apply(model, jobs)
    except Exception as exc:  # noqa: BLE001 - any failure: the job says so, nothing of it is applied
        log.exception("import %s %s failed", model_label, job_id)
        jobs.update(status=model.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
        return model.Status.FAILED
    return None


def _check_all(job, rows, chunk_size, progress=None):
    valid, rejected = [], []
    for start in range(0, len(rows), chunk_size):
        chunk_valid, chunk_rejected = job.check_rows(rows[start:start + chunk_size])
        valid += chunk_valid
        rejected += chunk_rejected
        if progress is not None:
            progress.update(rows_done=min(len(rows), start + chunk_size))
    return valid, rejected


def _with_refused(rejected, counts):
    """The rejected rows of the check and those the database refused (``counts["rejected"]``, e.g. a status
    that may not follow the item's), in the order of their lines; ``counts`` without them."""
    refused = counts.pop("rejected", [])
    return sorted([*rejected, *refused], key=lambda row: row["line"]) if refused else rejected


def _check(model, jobs, chunk_size):
    """Every row checked, and the counts of what applying would do; the job becomes ready to apply (unless
    it was cancelled meanwhile)."""
    job = jobs.select_related("post").get()
    rows = job.read_rows()
    jobs.update(rows_total=len(rows))
    valid, rejected = _check_all(job, rows, chunk_size, progress=jobs)
    counts = job.preview_rows(valid)
    rejected = _with_refused(rejected, counts)
    jobs.filter(status=model.Status.CHECKING).update(
        status=model.Status.READY, rows_done=len(rows), rejected=len(rejected), rejected_rows=rejected, **counts)
    return model.Status.READY


def _apply(model, jobs):
    """The file checked again (the rows are as they were previewed) and its valid rows applied to the
    database as it is now, in one transaction with the job's counts."""
    job = jobs.select_related("post", "uploaded_by").get()
    rows = job.read_rows()
    valid, rejected = _check_all(job, rows, len(rows) or 1)
    with transaction.atomic():
        counts = job.apply_rows(valid)
        rejected = _with_refused(rejected, counts)
        jobs.update(status=model.Status.DONE, rows_total=len(rows), rows_done=len(rows), rejected=len(rejected),
                    rejected_rows=rejected, finished_at=timezone.now(), **counts)
    return model.Status.DONE


def import_queue(*, job):
    """Hand ``job``'s next step (check a queued job, apply an approved one) to a worker once the caller's
    transaction commits: the one way an import reaches the worker."""
    from .tasks import process_import

    label, pk = job._meta.label, job.pk
    transaction.on_commit(lambda: process_import.delay(label, pk))


def import_apply(*, job, user):
    """Queue the apply step of ``job``, if it is ready to apply: a conditional update claims it, so a double
    click, or two staff at once, apply it once. Returns whether this call claimed it."""
    model = type(job)
    claimed = model.objects.filter(pk=job.pk, status=model.Status.READY).update(
        status=model.Status.APPROVED, applied_by=user)
    if claimed:
        import_queue(job=job)
    return bool(claimed)


def import_cancel(*, job):
    """Cancel ``job`` if it is ready to apply (nothing of it is applied). Returns whether it was cancelled."""
    model = type(job)
    return bool(model.objects.filter(pk=job.pk, status=model.Status.READY).update(
        status=model.Status.CANCELLED, finished_at=timezone.now()))

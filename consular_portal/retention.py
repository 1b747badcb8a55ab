"""How long each kind of record is kept once nothing more will happen to it, and the purge that deletes it then.

Each app says in its own ``retention.py`` which of its records are past their period (``register``); this
module finds those modules (as the admin finds ``admin.py``), and ``purge_all`` (the daily beat task) deletes
each kind in batches. Deleting a batch deletes what cascades with it (events, group members, proof,
subscriptions), the simple-history rows of every deleted row, and, once the transaction has committed, the
stored files of every deleted row: a file is never removed for a row that a failed transaction kept.

A kind's period (``RETENTION_DAYS[name]``, in days) runs from the moment it was closed: a record still open is
never purged, whatever its age. ``docs/operations.md`` lists the kinds and their defaults.
"""

import datetime as dt
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Q
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .models import FraudReport, SurveyResponse

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


@dataclass(frozen=True)
class Kind:
    """One kind of record: ``expired(cutoff)`` is the queryset of its rows closed at or before ``cutoff``;
    ``before_delete(rows)``, if given, runs inside a batch's transaction on the rows about to go (to keep what
    a rule still needs of them)."""

    name: str
    expired: object
    before_delete: object = None

    @property
    def days(self):
        return settings.RETENTION_DAYS[self.name]


KINDS = {}


def register(name, *, expired, before_delete=None):
    """Called by an app's ``retention.py`` at import; ``name`` must have a period in ``RETENTION_DAYS``."""
    if name not in settings.RETENTION_DAYS:
        raise LookupError(f"no retention period for {name!r}: add it to RETENTION_DAYS")
    KINDS[name] = Kind(name=name, expired=expired, before_delete=before_delete)


def kinds():
    autodiscover_modules("retention")
    return KINDS


# What "closed" means for the shared models -----------------------------------------------------------------


def reviewed_closed(model, cutoff):
    """Reviewed submissions (``consular_portal.review``) closed at or before ``cutoff``: in a final status (no
    way out: decided, withdrawn, answered) since their last change, or holding an appointment (a settled
    decision, which may still be withdrawn or cancelled) whose time has passed by then."""
    final = [status for status, moves in model.TRANSITIONS.items() if not moves]
    closed = Q(status__in=final, updated_at__lte=cutoff)
    if model.SETTLED and any(field.name == "slot" for field in model._meta.fields):
        closed |= Q(status__in=model.SETTLED, slot__starts_at__lte=cutoff, updated_at__lte=cutoff)
    return model.objects.filter(closed)


def tracked_closed(model, statuses, cutoff):
    """Tracked items (``consular_portal.tracking``) in one of ``statuses`` since at or before ``cutoff`` (an
    item created by hand without a status change counts from its last change)."""
    since = Q(status_changed_at__lte=cutoff) | Q(status_changed_at__isnull=True, updated_at__lte=cutoff)
    return model.objects.filter(since, status__in=statuses)


def created_before(model, cutoff):
    """Records that are closed when made (an anonymous survey answer, a fraud report): counted from then."""
    return model.objects.filter(created_at__lte=cutoff)


# The purge ---------------------------------------------------------------------------------------------------


def purge_all(*, now=None, seconds=None):
    """Purge every kind past its period; ``{kind: rows deleted}`` (cascades not counted). With ``seconds``, no
    batch starts after that many seconds: what is left waits for the next run."""
    until = None if seconds is None else time.monotonic() + seconds
    return {name: purge(kind, now=now, until=until) for name, kind in kinds().items()}


def purge(kind, *, now=None, batch_size=BATCH_SIZE, until=None):
    """Delete the rows of ``kind`` closed ``kind.days`` ago or earlier, ``batch_size`` at a time, each batch in
    its own transaction (a long purge holds no lock for long and keeps what it has done if stopped), until
    none is left or the ``time.monotonic()`` deadline ``until`` has passed."""
    if isinstance(kind, str):
        kind = kinds()[kind]
    cutoff = (now or timezone.now()) - dt.timedelta(days=kind.days)
    total = 0
    while until is None or time.monotonic() < until:
        pks = list(kind.expired(cutoff).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not pks:
            break
        deleted = _purge_batch(kind, cutoff, pks)
        if not deleted:
            break  # every row left is locked by someone else (or was reopened): the next run takes them
        total += deleted
    if total:
        logger.info("retention: %s rows of %s purged", total, kind.name)
    return total


def _purge_batch(kind, cutoff, pks):
    """Delete those of ``pks`` still past their period; how many were deleted."""
    with transaction.atomic():
        # Read again under a lock: a row reopened (or being changed) since the batch was chosen stays.
        locked = kind.expired(cutoff).filter(pk__in=pks).select_for_update(skip_locked=True, of=("self",))
        locked = list(locked.values_list("pk", flat=True))
        if not locked:
            return 0
        delete_rows(kind.expired(cutoff).model.objects.filter(pk__in=locked), before_delete=kind.before_delete)
    return len(locked)


def delete_rows(rows, *, before_delete=None):
    """Delete ``rows`` with everything that goes with them (cascades, their history rows) inside the caller's
    transaction, after ``before_delete(rows)`` if given; their stored files leave the storage once that
    transaction has committed. The purge and an applicant's erasure (``applicant_data``) both delete so."""
    if before_delete is not None:
        before_delete(rows)
    deleted = list(deleted_with(rows))
    files = [name for model, row_pks in deleted for name in stored_files(model, row_pks)]
    rows.delete()
    for model, row_pks in deleted:  # after the delete, which writes a last history row of its own
        _delete_history(model, row_pks)
    transaction.on_commit(lambda: delete_files(files))


def deleted_with(rows):
    """(model, pks) of every row that deleting ``rows`` deletes, ``rows`` included: what Django's delete
    collects, cascades and fast deletes alike."""
    collector = Collector(using=rows.db)
    collector.collect(rows)
    for model, instances in collector.data.items():
        yield model, [instance.pk for instance in instances]
    for queryset in collector.fast_deletes:
        yield queryset.model, list(queryset.values_list("pk", flat=True))


def stored_files(model, pks):
    """The names of the stored files of the rows ``pks`` of ``model``."""
    fields = [field.attname for field in model._meta.concrete_fields if isinstance(field, models.FileField)]
    if not fields or not pks:
        return []
    names = model._base_manager.filter(pk__in=pks).values_list(*fields)
    return [name for row in names for name in row if name]


def _delete_history(model, pks):
    """The simple-history rows of the deleted rows (their history is personal data as much as they are)."""
    history = getattr(model, "history", None)
    history_model = getattr(history, "model", None)
    if history_model is not None and history_model is not model and pks:
        history_model._base_manager.filter(**{f"{model._meta.pk.attname}__in": pks}).delete()


def delete_files(names, storage=None):
    """Remove stored files; one that is already gone is not an error (a purge run twice, a file removed by
    hand), and one that cannot be removed is logged and left for an operator."""
    storage = storage or default_storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("retention: stored file %s could not be deleted", name)


# The portal's own records ------------------------------------------------------------------------------------
register("survey_responses", expired=lambda cutoff: created_before(SurveyResponse, cutoff))
register("fraud_reports", expired=lambda cutoff: created_before(FraudReport, cutoff))

"""The one way a tracked item's status changes: one function, called by the admin, imports and tests."""

from django.db import transaction
from django.utils import timezone


class InvalidStatus(ValueError):
    """The status is not one of the item's statuses."""


class InvalidTransition(ValueError):
    """The status may not follow the item's current one (``TrackedItem.TRANSITIONS``)."""


def tracking_change(*, item, status, actor, note=""):
    """Set ``item``'s status to ``status`` for ``actor`` (a staff user, or None for an import or the
    system) with an optional ``note``. In one transaction: the row is locked (two changes at once are
    applied one after the other, never lost), saved, the event recorded, and ``status_changed`` (the
    subscribers' alerts) called. Keeping the same status with a note records the note, and leaves
    ``status_changed_at`` as it was. A status that may not follow the current one (``TRANSITIONS``, checked
    on the locked row) raises ``InvalidTransition`` and changes nothing. Returns the event."""
    model = type(item)
    if status not in dict(model._meta.get_field("status").choices or ()):
        raise InvalidStatus(status)
    with transaction.atomic():
        locked = model.objects.select_for_update().select_related("post").get(pk=item.pk)
        previous, now = locked.status, timezone.now()
        if not model.may_follow(previous, status):
            raise InvalidTransition(f"{previous} → {status}")
        if status != previous:
            locked.status, locked.status_changed_at = status, now
            locked.save(update_fields=["status", "status_changed_at", "updated_at"])
        event = locked.events.create(status=status, changed_at=now, actor=actor, note=note)
        locked.status_changed(event, previous)
    item.status, item.status_changed_at = locked.status, locked.status_changed_at
    return event

"""The one way a reviewed submission changes status.

``transition`` locks the row (``select_for_update``) so two officers cannot decide it twice, checks the move
is allowed from the status it has *now*, runs the caller's ``apply`` (what that decision does besides the
status: book a slot, keep a reason), moves, saves, records the event and queues the emails the model asks
for, all in one transaction: if any step fails, nothing of it is kept.
"""

from django.db import transaction

from .models import InvalidTransition


def lock(obj):
    """``obj`` read again under a row lock; call inside ``transaction.atomic``."""
    return type(obj).objects.select_for_update().select_related("post").get(pk=obj.pk)


def record_event(obj, previous, actor, note=""):
    return obj.events.create(from_status=previous, to_status=obj.status, actor=actor, note=note)


def transition(*, obj, to, actor, note="", apply=None):
    """Move ``obj`` to the status ``to`` for ``actor`` (None: the applicant). Raises InvalidTransition if
    ``to`` is not allowed from its current status, or whatever ``apply(locked)`` raises. Returns the saved
    object."""
    with transaction.atomic():
        locked = lock(obj)
        if to not in locked.allowed_transitions():
            raise InvalidTransition(f"{locked.reference}: {locked.status} → {to} is not allowed")
        if apply is not None:
            apply(locked)
        previous = locked.move(to, actor=actor)
        locked.save()
        record_event(locked, previous, actor, note)
        locked.emails_for(previous, to)
    return locked

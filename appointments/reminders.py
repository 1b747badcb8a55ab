"""The daily reminder of overdue expedite requests (the generic part is consular_portal.review.reminders)."""

from consular_portal.models import Post
from consular_portal.review import reminders
from consular_portal.review.reminders import posts_at_reminder_hour

from . import emails
from .models import ExpediteRequest

__all__ = ["overdue_reminders_send", "posts_at_reminder_hour"]


def _send(*, post, submissions, to):
    emails.send_overdue_reminder(post=post, requests=submissions, to=to)


def overdue_reminders_send(*, today=None, posts=None):
    """Queue the reminders of ``posts`` (all by default) that have an expedite policy; returns how many emails
    were queued."""
    return reminders.overdue_reminders_send(
        model=ExpediteRequest, service=Post.Service.EXPEDITE, send=_send,
        candidates=Post.objects.filter(expedite_policy__isnull=False), today=today, posts=posts,
    )

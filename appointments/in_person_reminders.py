"""The daily reminder of overdue in-person appointment requests (the generic part is consular_portal.review)."""

from consular_portal.models import Post
from consular_portal.review import reminders

from . import in_person_emails
from .models import InPersonRequest


def _send(*, post, submissions, to):
    in_person_emails.send_overdue_reminder(post=post, requests=submissions, to=to)


def in_person_overdue_reminders_send(*, today=None, posts=None):
    """Queue the reminders of ``posts`` (all by default) that book appointments; returns how many were queued."""
    return reminders.overdue_reminders_send(model=InPersonRequest, service=Post.Service.EXPEDITE, send=_send,
                                            today=today, posts=posts)

"""The daily reminder of overdue status inquiries (the generic part is consular_portal.review)."""

from consular_portal.models import Post
from consular_portal.review import reminders

from . import inquiry_emails
from .models import Inquiry


def _send(*, post, submissions, to):
    inquiry_emails.send_overdue_reminder(post=post, inquiries=submissions, to=to)


def inquiry_overdue_reminders_send(*, today=None, posts=None):
    """Queue the reminders of ``posts`` (all by default) that answer status inquiries; returns how many."""
    return reminders.overdue_reminders_send(model=Inquiry, service=Post.Service.STATUS_INQUIRY, send=_send,
                                            today=today, posts=posts)

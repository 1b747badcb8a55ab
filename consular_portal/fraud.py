"""Fraud reports: stored, and the post's officers told through the outbox in the same transaction."""

from django.conf import settings
from django.db import transaction

from .models import FraudReport
from .outbox import queue_email
from .references import save_with_new_reference
from .text import normalise_newlines

REFERENCE_PREFIX = "FR"


def fraud_report_submit(
    *, post, kind, description, language, incident_date=None, fraudster_contact="", reporter_name="",
    reporter_email="",
):
    """Store a report and queue the notification to the post's officer mailbox; both or neither."""
    with transaction.atomic():
        report = FraudReport(
            post=post,
            kind=kind,
            description=normalise_newlines(description).strip(),
            incident_date=incident_date,
            fraudster_contact=fraudster_contact.strip(),
            reporter_name=reporter_name.strip(),
            reporter_email=reporter_email.strip(),
            language=language,
        )
        save_with_new_reference(report, REFERENCE_PREFIX)
        if post.officer_mailbox:
            queue_email(
                to=post.officer_mailbox,
                template="fraud_report",
                context={"report": report, "post": post},
                language=settings.LANGUAGE_CODE,
                post=post,
                reply_to=report.reporter_email,
            )
    return report

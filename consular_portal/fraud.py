"""Fraud reports: stored, and the post's officers told through the outbox in the same transaction."""

import secrets

from django.conf import settings
from django.db import IntegrityError, transaction

from .models import FraudReport
from .outbox import queue_email
from .text import normalise_newlines

# Crockford's base 32: no I, L, O or U, so a reference read over the phone is not misheard.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def check_character(body):
    return ALPHABET[sum((i + 1) * ALPHABET.index(ch) for i, ch in enumerate(body)) % len(ALPHABET)]


def new_reference():
    """A random reference like ``FR-7K2Q-9PMX``; the last character checks the others."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(7))
    body += check_character(body)
    return f"FR-{body[:4]}-{body[4:]}"


def reference_is_well_formed(reference):
    body = reference.removeprefix("FR-").replace("-", "")
    return len(body) == 8 and all(ch in ALPHABET for ch in body) and check_character(body[:7]) == body[7]


def fraud_report_submit(
    *, post, kind, description, language, incident_date=None, fraudster_contact="", reporter_name="",
    reporter_email="",
):
    """Store a report and queue the notification to the post's officer mailbox; both or neither."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                report = FraudReport.objects.create(
                    reference=new_reference(),
                    post=post,
                    kind=kind,
                    description=normalise_newlines(description).strip(),
                    incident_date=incident_date,
                    fraudster_contact=fraudster_contact.strip(),
                    reporter_name=reporter_name.strip(),
                    reporter_email=reporter_email.strip(),
                    language=language,
                )
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
        except IntegrityError:  # the random reference was taken: draw again
            continue
    raise RuntimeError("could not draw a free fraud report reference")

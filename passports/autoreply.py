"""Passport status by email: what the status address answers (the rules of any reply are in
``consular_portal.inbound_mail``).

A message whose subject, or else whose text (without its signature), is one passport number and nothing
else gets that passport's status, in the words of the status page; anything else gets the instructions.
Neither reply quotes the message: the only thing of the sender's in it is the masked number.
"""

import re
import unicodedata

from django.conf import settings
from django.utils import translation

from consular_portal.inbound_mail import Service, body_text, subject_text

STATUS_TEMPLATE = "passport_status_reply"
INSTRUCTIONS_TEMPLATE = "passport_status_instructions"
# One number, as people type it: one group of letters and digits, or a short prefix and groups of digits
# separated by single spaces or hyphens (``TK1234567``, ``TK 123 4567``). Words around it make it not a
# number: "my passport TK1234567" gets the instructions.
NUMBER_TEXT = re.compile(r"[A-Z0-9]+|[A-Z0-9]{1,3}(?:[ \-][0-9]+)+", re.IGNORECASE)
MAX_TYPED = 40


def lookup_status(number):
    """The status page's answer for ``number`` in the active language."""
    from .lookup import passport_status

    return passport_status(number)


def passport_number(text):
    """The normalised passport number when ``text`` is one and nothing else, else ""."""
    from .numbers import is_passport_number, normalise_passport_number

    text = "".join(
        "-" if unicodedata.category(ch) == "Pd" else ch
        for ch in unicodedata.normalize("NFKC", text or "") if unicodedata.category(ch) != "Cf"
    )
    text = " ".join(text.split())
    if len(text) > MAX_TYPED or not NUMBER_TEXT.fullmatch(text):
        return ""
    number = normalise_passport_number(text)
    if not is_passport_number(number) or not any(ch.isdigit() for ch in number):
        return ""
    return number


def number_in(message):
    return passport_number(subject_text(message)) or passport_number(body_text(message))


def status_section(number, language, lookup):
    """What the reply says of ``number`` in ``language``: the status page's words (and nothing of the person)."""
    with translation.override(language):
        answer = lookup(number)
        return {
            "language": language,
            "masked_number": answer.masked_number,
            "status": answer.status,
            "label": str(answer.label),
            "meaning": str(answer.meaning),
            "advice": str(answer.advice),
            "changed_at": answer.changed_at,
            "letter_pack_number": answer.letter_pack_number,
            "letter_pack_url": answer.letter_pack_url,
            "phone_numbers": [(str(label), phone) for label, phone in answer.phone_numbers],
        }


def status_service(lookup=lookup_status):
    """The status address's service, answering with ``lookup(number)`` (the status page's lookup)."""

    def compose(message, languages):
        context = {"status_address": settings.STATUS_MAIL_ADDRESS}
        number = number_in(message)
        if not number:
            return INSTRUCTIONS_TEMPLATE, context
        sections = [status_section(number, language, lookup) for language in languages]
        return STATUS_TEMPLATE, {**context, "sections": sections, "masked_number": sections[0]["masked_number"]}

    return Service(compose=compose, templates=(STATUS_TEMPLATE, INSTRUCTIONS_TEMPLATE))


SERVICE = status_service()

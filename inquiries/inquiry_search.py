"""How officers find a status inquiry: by its reference, the applicant's case number, or their email address.

Each is an exact match on an indexed value (the reference as stored, the case number normalised as the form
stores it, the email address whatever its case), so a search never scans the table.
"""

from consular_portal.references import reference_typed
from consular_portal.text import normalise_identifier

from .inquiry_rules import REFERENCE_PREFIX


def inquiries_search(queryset, term):
    term = term.strip()
    if not term:
        return queryset
    reference = reference_typed(term, REFERENCE_PREFIX)
    if reference:
        return queryset.filter(reference=reference)
    if "@" in term:
        return queryset.filter(email__iexact=term)
    return queryset.filter(case_number=normalise_identifier(term))

"""How officers find a request in the queue.

A reference (typed in any case, with or without hyphens) is looked up exactly. Anything else matches a
passport number exactly, or applicants' names and organisations containing every word typed. Each part
has its index (trigram indexes for names and organisations on PostgreSQL, migration 0004), so a search
never scans the whole table.
"""

from functools import reduce
from operator import and_

from django.db.models import Q

from consular_portal.references import reference_typed
from consular_portal.text import normalise_identifier

from .submission import REFERENCE_PREFIX


def requests_search(queryset, term):
    words = term.split()
    if not words:
        return queryset
    reference = reference_typed(term, REFERENCE_PREFIX)
    if reference:
        return queryset.filter(reference=reference)
    by_words = reduce(and_, (Q(full_name__icontains=word) | Q(organisation__icontains=word) for word in words))
    return queryset.filter(Q(passport_number=normalise_identifier(term)) | by_words)

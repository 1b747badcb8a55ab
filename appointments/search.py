"""How officers find a request in the queue.

A reference (typed in any case, with or without hyphens) is looked up exactly. Anything else matches a
passport number exactly, or applicants' names and organisations containing every word typed. Each part
has its index (trigram indexes for names and organisations on PostgreSQL, migration 0004), so a search
never scans the whole table.
"""

from functools import reduce
from operator import and_

from django.db.models import Q

from consular_portal.references import reference_is_valid, reference_normalize
from consular_portal.text import normalise_identifier

from .submission import REFERENCE_PREFIX


def requests_search(queryset, term):
    words = term.split()
    if not words:
        return queryset
    if reference_is_valid(term, REFERENCE_PREFIX):
        code = reference_normalize(term).removeprefix(REFERENCE_PREFIX)
        return queryset.filter(reference=f"{REFERENCE_PREFIX}-{code[:4]}-{code[4:]}")
    by_words = reduce(and_, (Q(full_name__icontains=word) | Q(organisation__icontains=word) for word in words))
    return queryset.filter(Q(passport_number=normalise_identifier(term)) | by_words)

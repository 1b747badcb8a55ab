"""The applicant's passport status lookup and the page that explains every status."""

import logging

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django_ratelimit.core import get_usage

from consular_portal.access import private_page

from .forms import LookupForm
from .lookup import passport_status
from .statuses import TEXT, Status

log = logging.getLogger(__name__)
LOOKUP_GROUP = "passport-lookup"


def lookup_refused(request):
    """Count one lookup by this client (``PASSPORT_LOOKUP_RATE_LIMIT``). Over the limit: the seconds to wait
    before the next one; None while it may look up (or when the cache cannot count: the limit is open)."""
    try:
        usage = get_usage(request, group=LOOKUP_GROUP, key="ip", rate=settings.PASSPORT_LOOKUP_RATE_LIMIT,
                          increment=True)
    except Exception as exc:  # noqa: BLE001 - the cache is down: an applicant still gets an answer
        log.warning("passport lookups not counted: %s", exc)
        return None
    if usage and usage["should_limit"]:
        log.info("passport lookup limit reached by a client")
        return max(1, int(usage["time_left"]))
    return None


@private_page  # the page holds the number typed: not cached by a shared proxy
@require_safe
def status(request):
    form = LookupForm(request.GET if "number" in request.GET else None)
    context = {"form": form, "answer": None}
    if form.is_bound and form.is_valid():
        wait = lookup_refused(request)
        if wait is not None:
            response = render(request, "passports/rate_limited.html", {"minutes": -(-wait // 60)}, status=429)
            response["Retry-After"] = str(wait)
            return response
        context["answer"] = passport_status(form.cleaned_data["number"])
    return render(request, "passports/status.html", context, status=400 if form.errors else 200)


@require_safe
def statuses(request):
    return render(request, "passports/statuses.html",
                  {"statuses": [(status, TEXT[status]) for status in Status]})

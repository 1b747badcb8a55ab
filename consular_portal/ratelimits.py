"""Per-client limits on what the public submits, so a script cannot flood the officers' queues and mailboxes.

Only valid submissions count: a person correcting mistakes in a form is never limited. Over the limit the
form comes back with its values and a message (HTTP 429). Counts live in the cache (Redis); when it cannot
count, the limit is open, because a person's submission must never be lost to an outage.
"""

import logging

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage

log = logging.getLogger(__name__)

RATE_LIMITED = _(
    "Many forms have been sent from your connection in a short time, so this one was not sent. "
    "Please wait an hour and send it again: what you typed is kept below."
)


def client_ip(request):
    """The client's address. Behind ``TRUSTED_PROXY_COUNT`` proxies it is the address the outermost trusted
    proxy saw (counted from the right of X-Forwarded-For, so a client cannot choose it)."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META["REMOTE_ADDR"]


def submission_allowed(request, *, group):
    """Count one valid submission of ``group`` by this client; False once it is over the limit."""
    try:
        usage = get_usage(request, group=group, key="ip", rate=settings.SUBMISSION_RATE_LIMIT, increment=True)
    except Exception as exc:  # noqa: BLE001 - the cache is down: open, never lose a submission
        log.warning("rate limit of %s not counted: %s", group, exc)
        return True
    if usage and usage["should_limit"]:
        log.info("rate limit of %s reached by a client", group)
        return False
    return True

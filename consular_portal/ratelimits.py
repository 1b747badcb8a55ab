"""Per-client limits on what the public submits, so a script cannot flood the officers' queues and mailboxes.

Two counts per client address. Valid submissions (``SUBMISSION_RATE_LIMIT``, per form) keep the queues and
mailboxes clear. Invalid ones (``INVALID_SUBMISSION_RATE_LIMIT``, all public forms together) are allowed
generously, so a person correcting mistakes is never limited, but a script cannot make the portal validate
forms without end. Over either limit the form comes back with its values and a message (HTTP 429). Counts live
in the cache (Redis); when it cannot count, the limit is open, because a person's submission must never be lost
to an outage.
"""

import hashlib
import logging
import weakref
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import _split_rate, get_usage
from redis.exceptions import NoScriptError

log = logging.getLogger(__name__)

RATE_LIMITED = _(
    "Many forms have been sent from your connection in a short time, so this one was not sent. "
    "Please wait an hour and send it again: what you typed is kept below."
)
INVALID_GROUP = "invalid-submissions"


def client_ip(request):
    """The client's address. Behind ``TRUSTED_PROXY_COUNT`` proxies it is the address the outermost trusted
    proxy saw (counted from the right of X-Forwarded-For, so a client cannot choose it)."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    if count:
        _warn_short_forwarded_for(count, len(forwarded))
    return request.META.get("REMOTE_ADDR", "")


_warned_short_forwarded_for = False


def _warn_short_forwarded_for(count, entries):
    """Said once per process: the address used is the connection's, which a proxy would share by all."""
    global _warned_short_forwarded_for
    if not _warned_short_forwarded_for:
        _warned_short_forwarded_for = True
        log.warning(
            "X-Forwarded-For has %d entries but TRUSTED_PROXY_COUNT is %d: using the connection's address "
            "(a request that did not come through the proxy, or a proxy that does not append the header)",
            entries, count,
        )


def _usage(request, *, group, rate, increment):
    """The count of ``group`` for this client, or None when the cache cannot count (the limit is then open)."""
    try:
        return get_usage(request, group=group, key="ip", rate=rate, increment=increment)
    except Exception as exc:  # noqa: BLE001 - the cache is down: open, never lose a submission
        log.warning("rate limit of %s not counted: %s", group, exc)
        return None


def submission_allowed(request, *, group):
    """Count one valid submission of ``group`` by this client; False once it is over the limit."""
    counted = _counted(request, "submission", group, settings.SUBMISSION_RATE_LIMIT, increment=True)
    if counted and counted.over:
        log.info("rate limit of %s reached by a client", group)
        return False
    return True


def invalid_submissions_exhausted(request):
    """True when this client has sent as many invalid forms as it may: the next one is not even checked.
    Only looks at the count."""
    counted = _counted(request, "submission", INVALID_GROUP, settings.INVALID_SUBMISSION_RATE_LIMIT, increment=False)
    if counted and counted.limit and counted.count >= counted.limit:
        log.info("rate limit of invalid submissions reached by a client")
        return True
    return False


def count_invalid_submission(request):
    _counted(request, "submission", INVALID_GROUP, settings.INVALID_SUBMISSION_RATE_LIMIT, increment=True)


# A count is one round trip on Redis: INCR, and the window's expiry set by the first count. Sent by
# its SHA-1 (EVALSHA): the script is sent whole only when the server does not hold it yet.
_COUNT_SCRIPT = """local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('TTL', KEYS[1])}"""
_COUNT_SHA = hashlib.sha1(_COUNT_SCRIPT.encode(), usedforsecurity=False).hexdigest()

# The Redis client of each cache (Django's makes a new one, with all its reply parsers, on every call; the
# connection pool under it is the same).
_clients = weakref.WeakKeyDictionary()


def _redis_client(cache_client):
    client = _clients.get(cache_client)
    if client is None:
        client = _clients[cache_client] = cache_client.get_client(write=True)
    return client


def _count_in_redis(name, period, *, increment):
    """(count, seconds left in the window) of ``name``, after counting one with ``increment``, in one Redis
    round trip; None when the cache is not Redis (the embedded default)."""
    cache = caches["default"]
    cache_client = getattr(cache, "_cache", None)
    if not hasattr(cache_client, "get_client"):
        return None
    key = cache.make_key(name)
    client = _redis_client(cache_client)
    if not increment:
        return int(client.get(key) or 0), period
    try:
        count, ttl = client.evalsha(_COUNT_SHA, 1, key, period)
    except NoScriptError:  # a new or restarted server: EVAL sends the script, and the server keeps it
        count, ttl = client.eval(_COUNT_SCRIPT, 1, key, period)
    return int(count), int(ttl)


@dataclass(frozen=True)
class Counted:
    count: int
    limit: int
    seconds_left: int

    @property
    def over(self):
        return bool(self.limit) and self.count > self.limit


def _counted(request, kind, group, rate, *, increment):
    """This client's count of ``group`` at ``rate`` (after counting one with ``increment``), or None when the
    cache cannot count (the limit is then open: never lose a submission or lock the public out). On Redis one
    round trip, in a window that starts at the client's first count; elsewhere django-ratelimit's count."""
    limit, period = _split_rate(rate)
    address = hashlib.sha256(client_ip(request).encode()).hexdigest()[:32]
    try:
        counted = _count_in_redis(f"{kind}:{group}:{address}", period, increment=increment)
    except Exception as exc:  # noqa: BLE001 - the cache is down: open
        log.warning("rate limit of %s not counted: %s", group, exc)
        return None
    if counted is None:
        usage = _usage(request, group=group, rate=rate, increment=increment)
        return None if usage is None else Counted(usage["count"], limit, usage["time_left"])
    return Counted(counted[0], limit, counted[1])


def lookup_wait(request, *, group, rate):
    """Count one lookup of ``group`` (a status page) by this client at ``rate``. Over the limit: the seconds
    to wait before the next one; None while it may look up, or when the cache cannot count (open)."""
    counted = _counted(request, "lookup", group, rate, increment=True)
    if counted and counted.over:
        log.info("lookup limit of %s reached by a client", group)
        return max(1, counted.seconds_left)
    return None

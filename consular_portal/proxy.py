"""Whether requests really come through the trusted proxy.

Behind ``TRUSTED_PROXY_COUNT`` proxies every request carries X-Forwarded-For. One without it reached gunicorn
directly, so gunicorn's port is open to clients, who could then choose their own address. The first
middleware notes such a request in the cache; ``/readyz`` and ``manage.py check --deploy`` report it.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

log = logging.getLogger(__name__)

CACHE_KEY = "proxy:direct-request"
REMEMBERED_SECONDS = 24 * 60 * 60
NOTE_EVERY_SECONDS = 60  # one cache write a minute per process at most
_last_noted = 0.0


def note_request(request):
    """Remember (for a day) that ``request`` arrived without X-Forwarded-For while proxies are trusted."""
    global _last_noted
    if not settings.TRUSTED_PROXY_COUNT or request.META.get("HTTP_X_FORWARDED_FOR"):
        return
    if time.monotonic() - _last_noted < NOTE_EVERY_SECONDS:
        return
    _last_noted = time.monotonic()
    remote_addr = request.META.get("REMOTE_ADDR", "")
    log.warning("a request from %s arrived without X-Forwarded-For although TRUSTED_PROXY_COUNT is %s",
                remote_addr, settings.TRUSTED_PROXY_COUNT)
    try:
        cache.set(CACHE_KEY, {"at": timezone.now().isoformat(timespec="seconds"), "remote_addr": remote_addr},
                  REMEMBERED_SECONDS)
    except Exception as exc:  # noqa: BLE001 - never fail a request over this note
        log.warning("could not note a request without X-Forwarded-For: %s", exc)


def direct_request_seen():
    """What ``note_request`` remembered, or None (also when the cache cannot answer)."""
    if not settings.TRUSTED_PROXY_COUNT:
        return None
    try:
        return cache.get(CACHE_KEY)
    except Exception:  # noqa: BLE001 - the readiness check names the cache itself
        return None


def reset():
    global _last_noted
    _last_noted = 0.0
    cache.delete(CACHE_KEY)

"""Liveness and readiness endpoints for load balancers and orchestrators."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponseNotAllowed, JsonResponse
from django.utils.cache import add_never_cache_headers

from . import proxy
from .celery import app as celery_app

log = logging.getLogger(__name__)


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_cache():
    cache.set("readyz", "ok", 10)
    if cache.get("readyz") != "ok":
        raise RuntimeError("cache did not return what was written")


def check_broker():
    if celery_app.conf.task_always_eager:
        return
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker}


def healthz():
    return JsonResponse({"status": "ok"})


def readyz():
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure means not ready
            log.warning("readyz: %s unavailable: %s", name, exc)
            results[name] = "unavailable"
        else:
            results[name] = "ok"
    ready = all(value == "ok" for value in results.values())
    body = {"status": "ok" if ready else "unavailable", **results}
    seen = proxy.direct_request_seen()
    if seen:  # still ready, but the operator must close gunicorn's port
        body["warnings"] = [
            f"requests reach gunicorn without X-Forwarded-For (last at {seen['at']} from {seen['remote_addr']}) "
            "although TRUSTED_PROXY_COUNT is set: clients can choose their own address; publish only the proxy's port"
        ]
    return JsonResponse(body, status=200 if ready else 503)


ENDPOINTS = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    """Answers /healthz and /readyz first in the stack: probes reach a container by its address, which is
    not in ALLOWED_HOSTS, and they must not be redirected to HTTPS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        endpoint = ENDPOINTS.get(request.path_info)
        if endpoint is None:
            proxy.note_request(request)  # probes reach the container directly; everything else must not
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = HttpResponseNotAllowed(["GET", "HEAD"])
        else:
            response = endpoint()
        add_never_cache_headers(response)
        add_security_headers(request, response)
        return response


# A probe's answer skips the rest of the stack, SecurityMiddleware and the CSP among it: it gets their headers
# here (it loads nothing, so its policy allows nothing).
PROBE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; object-src 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def add_security_headers(request, response):
    for name, value in PROBE_HEADERS.items():
        response[name] = value
    if settings.SECURE_HSTS_SECONDS and request.is_secure():
        parts = [f"max-age={settings.SECURE_HSTS_SECONDS}"]
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            parts.append("includeSubDomains")
        if settings.SECURE_HSTS_PRELOAD:
            parts.append("preload")
        response["Strict-Transport-Security"] = "; ".join(parts)

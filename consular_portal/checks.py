"""The portal's own system checks (``manage.py check --deploy``)."""

import os
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.http.request import validate_host

from . import proxy


@register(Tags.security, deploy=True)
def check_trusted_proxy_count(app_configs, **kwargs):
    """Behind a proxy the client address (rate limits, lock-outs) is read from X-Forwarded-For: the operator
    says how many proxies append to it, and that one of them is the only way in."""
    if settings.TRUSTED_PROXY_COUNT > 0 and "TRUSTED_PROXY_COUNT" not in os.environ:
        return [
            Warning(
                f"TRUSTED_PROXY_COUNT is {settings.TRUSTED_PROXY_COUNT} only because BEHIND_TLS_PROXY is on.",
                hint="Set TRUSTED_PROXY_COUNT to the number of proxies that append to X-Forwarded-For, and let "
                "clients reach gunicorn only through them (docs/operations.md, 'Running behind a proxy').",
                id="consular_portal.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_requests_came_through_the_proxy(app_configs, **kwargs):
    """A request seen lately without X-Forwarded-For although proxies are trusted: gunicorn is reachable
    directly, and such a client could choose its address."""
    seen = proxy.direct_request_seen()
    if seen:
        return [
            Warning(
                f"A request reached the portal without X-Forwarded-For at {seen['at']} "
                f"(from {seen['remote_addr']}) although TRUSTED_PROXY_COUNT is {settings.TRUSTED_PROXY_COUNT}.",
                hint="Publish only the proxy's port; gunicorn's must not be reachable from outside.",
                id="consular_portal.W002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):
    """The links in emails are made on ``SITE_URL``: it must be HTTPS and one of the hosts the portal serves."""
    parts = urlsplit(settings.SITE_URL)
    problems = []
    if parts.scheme != "https":
        problems.append(Warning(
            f"SITE_URL is {settings.SITE_URL!r}: the links in emails would not use HTTPS.",
            hint="Set SITE_URL to the portal's public https:// address.", id="consular_portal.W003"))
    if not parts.hostname or not validate_host(parts.hostname, settings.ALLOWED_HOSTS):
        problems.append(Warning(
            f"The host of SITE_URL ({parts.hostname!r}) is not in ALLOWED_HOSTS: the links in emails would "
            "not open the portal.",
            hint="Set SITE_URL to the address applicants reach the portal at.", id="consular_portal.W004"))
    if parts.path.strip("/") or parts.query or parts.fragment:
        problems.append(Warning(
            f"SITE_URL ({settings.SITE_URL!r}) has a path: links are made as SITE_URL followed by the page's path.",
            hint="Give the scheme and host only, e.g. https://visa.example.gov.", id="consular_portal.W005"))
    return problems

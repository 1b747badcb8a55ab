"""Absolute links to the portal, for emails and for links staff send on: made from ``SITE_URL``, the address
the operator configured, and never from the Host header of the request being answered (which the client
chooses, and which a link in an email outlives)."""

from django.conf import settings


def absolute_url(path):
    """``path`` (from ``reverse``, starting with ``/``) on the portal's public address."""
    return f"{settings.SITE_URL}{path}"

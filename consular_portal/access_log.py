"""Paths in logs without what would identify a person: no query strings (officers search by passport number
and email address) and no signed tokens (an applicant's link to their request is a password).

``mask_path`` is used by gunicorn's access log (``AccessLogger``, set in ``consular_portal/gunicorn.conf.py``)
and by ``PrivatePathFilter``, the logging filter of Django's request and development-server loggers.
"""

import logging
import re
from urllib.parse import unquote, urlsplit

from gunicorn.glogging import Logger

MASK = "…"
# A segment that is a signature (``signing.dumps`` joins its parts with ':') or a long base64 value.
LONG_BASE64 = re.compile(r"[A-Za-z0-9_\-+=.]{41,}")
# A path where a log message has one: at its start, or after a space or a quote.
PATH_IN_TEXT = re.compile(r"""(?<![^\s"'])/[^\s"']*""")


def is_token(segment):
    segment = unquote(segment)
    return ":" in segment or bool(LONG_BASE64.fullmatch(segment))


def mask_path(path):
    """The path of ``path`` (which may carry a query string, or be a whole URL) with its query dropped and
    every segment that looks like a signed token replaced by ``…``."""
    if not path or path == "-":
        return path
    parts = urlsplit(path)
    masked = "/".join(MASK if is_token(segment) else segment for segment in parts.path.split("/"))
    if parts.scheme and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}{masked}"
    return masked


def mask_text(text):
    return PATH_IN_TEXT.sub(lambda match: mask_path(match.group(0)), text)


class PrivatePathFilter(logging.Filter):
    """Masks the paths in the records of the loggers that log requests (never drops a record)."""

    LOGGERS = ("django.server", "django.request", "gunicorn.access")

    def filter(self, record):
        if not record.name.startswith(self.LOGGERS):
            return True
        if isinstance(record.msg, str) and not record.args:
            record.msg = mask_text(record.msg)
        elif isinstance(record.args, tuple):
            record.args = tuple(mask_text(arg) if isinstance(arg, str) else arg for arg in record.args)
        return True


class AccessLogger(Logger):
    """gunicorn's logger, whose access lines show the masked path without the query string, and the masked
    referring page."""

    def atoms(self, resp, req, environ, request_time):
        private = dict(environ)
        private["RAW_URI"] = mask_path(environ.get("RAW_URI") or environ.get("PATH_INFO", ""))
        private["PATH_INFO"] = mask_path(environ.get("PATH_INFO", ""))
        private["QUERY_STRING"] = ""
        if "HTTP_REFERER" in environ:
            private["HTTP_REFERER"] = mask_path(environ["HTTP_REFERER"])
        atoms = super().atoms(resp, req, private, request_time)
        if "{referer}i" in atoms:
            atoms["{referer}i"] = private.get("HTTP_REFERER", "-")
        return atoms

"""A cap on the size of every request body, applied before Django reads a byte of it.

Only the pages that take files (``REQUEST_UPLOAD_URL_NAMES``, and the admin) may receive
``REQUEST_MAX_BYTES``; every other page gets ``REQUEST_MAX_BYTES_NO_UPLOAD``, so a file part added to a form
that has no file field is never read, let alone written to disk. A body over the cap is answered with a
413 page in the language of the address (this middleware runs after ``LocaleMiddleware``).

The declared Content-Length decides: Django never reads past it. A body without one (chunked) is not read by
Django at all; anything else that reads ``wsgi.input`` then goes through ``CappedInput``, which refuses to read
past the cap.
"""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation

log = logging.getLogger(__name__)


class BodyTooLarge(RequestDataTooBig):
    pass


class CappedInput:
    """``wsgi.input`` for a body of unknown length: reading past ``cap`` bytes raises ``BodyTooLarge``."""

    def __init__(self, stream, cap):
        self._stream, self._cap, self._read = stream, cap, 0

    def _count(self, data):
        self._read += len(data)
        if self._read > self._cap:
            raise BodyTooLarge(f"request body over {self._cap} bytes")
        return data

    def read(self, size=-1, /):
        return self._count(self._stream.read(self._cap + 1 - self._read if size is None or size < 0 else size))

    def readline(self, size=-1, /):
        return self._count(self._stream.readline(self._cap + 1 - self._read if size is None or size < 0 else size))


def body_cap(request):
    """How many bytes of body this address accepts."""
    if request.path_info.startswith("/" + settings.ADMIN_URL):
        return settings.REQUEST_MAX_BYTES
    try:
        with translation.override(translation.get_language_from_path(request.path_info)):
            view_name = resolve(request.path_info).view_name
    except Resolver404:
        return settings.REQUEST_MAX_BYTES_NO_UPLOAD
    if view_name in settings.REQUEST_UPLOAD_URL_NAMES:
        return settings.REQUEST_MAX_BYTES
    return settings.REQUEST_MAX_BYTES_NO_UPLOAD


def too_large(request):
    """The 413 page, with a link back to the page the form was on (or home, for an address we do not serve)."""
    try:
        resolve(request.path_info)
        back_url = request.path
    except Resolver404:
        back_url = reverse("home")
    context = {"back_url": back_url, "upload_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
    return render(request, "413.html", context, status=413)


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cap = body_cap(request)
        declared = request.META.get("CONTENT_LENGTH")
        if declared:
            if declared.isdigit() and int(declared) > cap:
                log.info("request body of %s bytes refused at %s (cap %s)", declared, request.path_info, cap)
                return too_large(request)
        elif "wsgi.input" in request.META:
            request.META["wsgi.input"] = CappedInput(request.META["wsgi.input"], cap)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, BodyTooLarge):
            return too_large(request)
        return None

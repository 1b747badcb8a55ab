"""Refuses, with a 400, request bodies the portal's forms cannot read, before any view or middleware reads them.

Browsers send forms in UTF-8 (our pages are UTF-8) and name no other charset. A form body that says it is in
another charset (UTF-16, Shift_JIS, one Python does not know) would be decoded into text nobody typed, or
not at all: it is answered "400 Bad Request" instead of being half-read.

A Content-Type header Django cannot parse (over 10,000 characters, an RFC 2231 parameter in an unknown
charset) makes Django fail while it builds the request, before any middleware runs, and the server would
answer 500: the portal's WSGI and ASGI handlers build a request without a content type instead, and the
middleware answers 400 when such a request has a body.
"""

from django.core.exceptions import BadRequest
from django.core.handlers.asgi import ASGIHandler, ASGIRequest
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.utils.http import parse_header_parameters
from django.views.defaults import bad_request

FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
FORM_CHARSETS = {"utf-8", "utf8", "us-ascii", "ascii"}
BODY_METHODS = {"POST", "PUT", "PATCH"}


def unreadable_form_body(meta):
    """Why a form body cannot be read as UTF-8 ("" when it can, or when it is not a form)."""
    try:
        content_type, params = parse_header_parameters(meta.get("CONTENT_TYPE", ""))
    except ValueError:
        return "unreadable Content-Type"
    if content_type not in FORM_TYPES:
        return ""
    charset = params.get("charset")
    if charset is not None and charset.strip().lower() not in FORM_CHARSETS:
        return "form body not in UTF-8"
    return ""


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in BODY_METHODS and (reason := unreadable_form_body(request.META)):
            return bad_request(request, BadRequest(reason))
        return self.get_response(request)


class UnparsedContentType:
    """A request whose Content-Type header cannot be parsed has none (the middleware refuses its body)."""

    def _set_content_type_params(self, meta):
        try:
            super()._set_content_type_params(meta)
        except BadRequest:
            self.content_type, self.content_params = "", {}


class PortalWSGIRequest(UnparsedContentType, WSGIRequest):
    pass


class PortalASGIRequest(UnparsedContentType, ASGIRequest):
    pass


class PortalWSGIHandler(WSGIHandler):
    request_class = PortalWSGIRequest


class PortalASGIHandler(ASGIHandler):
    request_class = PortalASGIRequest

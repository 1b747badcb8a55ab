"""A staff session ends after ``STAFF_IDLE_TIMEOUT_MINUTES`` without a request (30 by default), whatever is
left of its eight hours (``SESSION_COOKIE_AGE``): a back office left open on an unattended screen closes itself.

Only a request that carries a session cookie is looked at, so a visitor's page (who has none) reads no session
and keeps its caching headers."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

LAST_SEEN = "staff_last_seen"
WRITE_EVERY = 60  # seconds: the session row is written at most once a minute for this


class StaffIdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN, now)
            if now - last_seen > settings.STAFF_IDLE_TIMEOUT_MINUTES * 60:
                logout(request)
                messages.info(request, _("You were signed out after %(minutes)d minutes without activity. "
                                         "Sign in again to go on.") % {"minutes": settings.STAFF_IDLE_TIMEOUT_MINUTES})
            elif now - last_seen >= WRITE_EVERY or LAST_SEEN not in request.session:
                request.session[LAST_SEEN] = now
        return self.get_response(request)

"""Applicant pages: the one way they load their object (a signed link) and the one way they are served.

An applicant has no account: an emailed or redirected link signed with django.core.signing is the key to
one object. The signed payload is ``[model label, reference, link version]`` with a timestamp, so a link
opens only an object of the model it was made for, stops working after ``max_age``, and stops working
when the object's ``link_version`` moves on (issuing a new link revokes the older ones). Objects without
a ``link_version`` field count as version 0. The token is URL-safe (base64url and ``:``).
"""

from functools import wraps

from django.core import signing
from django.http import Http404
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache

KEY_FIELD = "reference"


def _version(obj):
    return getattr(obj, "link_version", 0) or 0


def link_payload(obj):
    """What a link signs: the model, the object's reference and its current link version."""
    return [obj._meta.label_lower, getattr(obj, KEY_FIELD), _version(obj)]


def make_token(obj, *, salt):
    """A signed, timestamped token naming ``obj`` (by its reference) and its current link version."""
    return signing.dumps(link_payload(obj), salt=salt, compress=True)


def object_from_token(queryset, token, *, salt, max_age):
    """The object of ``queryset`` the token was signed for, or Http404: bad signature, expired (``max_age``
    in seconds or a timedelta), made for another model, unknown object, or revoked by a newer link."""
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError) as exc:
        raise Http404("no such link") from exc
    if isinstance(payload, str):  # links made before versions: the reference alone, version 0
        payload = [queryset.model._meta.label_lower, payload, 0]
    if not (isinstance(payload, list) and len(payload) == 3):
        raise Http404("no such link")
    label, key, version = payload
    if label != queryset.model._meta.label_lower or not isinstance(key, str) or type(version) is not int:
        raise Http404("no such link")
    obj = queryset.filter(**{KEY_FIELD: key}).first()
    if obj is None or _version(obj) != version:
        raise Http404("no such link")
    return obj


def private_page(view):
    """Never stored by the browser or any shared cache: ``Cache-Control: private, no-store`` (and no-cache,
    max-age=0). For every page that shows an applicant's personal data or what they just sent."""

    uncached = never_cache(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = uncached(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapper

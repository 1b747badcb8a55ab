"""The applicant's signed link to one request: the only way an applicant page loads a request."""

from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

SALT = "appointments.request"


def request_token(request):
    return signing.dumps(request.reference, salt=SALT, compress=True)


def request_path(request):
    return reverse("appointments:request_detail", kwargs={"token": request_token(request)})


def request_url(request):
    return f"{request.site_url.rstrip('/')}{request_path(request)}"


def request_from_token(token):
    """The request the token was signed for, or 404 for any token we did not sign."""
    from .models import ExpediteRequest

    try:
        reference = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise Http404("no such request") from exc
    if not isinstance(reference, str):
        raise Http404("no such request")
    return get_object_or_404(
        ExpediteRequest.objects.select_related("post", "category", "slot__post"), reference=reference
    )

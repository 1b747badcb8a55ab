"""The applicant's own choice of delivery: a signed link (``consular_portal.access``) opens a page where they
change the delivery method and address until the end of the interview day at the post (its time zone).
Every change is kept as a note in the passport's history, by nobody (the applicant)."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from consular_portal.access import make_token, object_from_token
from consular_portal.references import reference_generate
from consular_portal.tracking.changes import tracking_change

SALT = "passports.delivery"
REFERENCE_PREFIX = "PD"
ADDRESS_FIELDS = ("delivery", "postal_code", "prefecture", "address_line1", "address_line2", "pickup_office")


class DeliveryClosed(Exception):
    """The interview day at the post is over: the delivery can no longer be changed by the applicant."""


def address_change_open(tracking, now):
    """Whether the applicant may still change the delivery at the instant ``now``: until 23:59 (inclusive) of
    the interview date in the post's time zone. Without an interview date, not at all."""
    if tracking.interview_date is None:
        return False
    return tracking.post.local_today(now) <= tracking.interview_date


def _ensure_reference(tracking):
    """Give ``tracking`` the reference its links name, once (a conditional update: two staff at once agree)."""
    model = type(tracking)
    while tracking.reference is None:
        candidate = reference_generate(REFERENCE_PREFIX)
        if model.objects.filter(reference=candidate).exists():
            continue
        model.objects.filter(pk=tracking.pk, reference__isnull=True).update(reference=candidate)
        tracking.reference = model.objects.values_list("reference", flat=True).get(pk=tracking.pk)
    return tracking.reference


def delivery_token(tracking):
    _ensure_reference(tracking)
    return make_token(tracking, salt=SALT)


def delivery_path(tracking):
    return reverse("passports:delivery", kwargs={"token": delivery_token(tracking)})


def tracking_from_token(token):
    """The passport the link was signed for, or 404: forged, older than its lifetime, or revoked."""
    from .models import PassportTracking

    return object_from_token(
        PassportTracking.objects.select_related("post"), token, salt=SALT,
        max_age=dt.timedelta(days=settings.PASSPORT_DELIVERY_LINK_MAX_AGE_DAYS),
    )


def delivery_change(*, tracking, values, now=None):
    """Save the applicant's delivery ``values`` (the keys of ``ADDRESS_FIELDS``) on ``tracking`` and keep the
    change as a note (the status stays), in one transaction; DeliveryClosed once the interview day is over."""
    model = type(tracking)
    with transaction.atomic():
        locked = model.objects.select_for_update().select_related("post").get(pk=tracking.pk)
        if not address_change_open(locked, now or timezone.now()):
            raise DeliveryClosed
        for name in ADDRESS_FIELDS:
            setattr(locked, name, values.get(name, "") or "")
        if locked.delivery not in (model.Delivery.LETTER_PACK, model.Delivery.STANDARD):
            locked.postal_code = locked.prefecture = locked.address_line1 = locked.address_line2 = ""
        if locked.delivery != model.Delivery.POST_OFFICE:
            locked.pickup_office = ""
        locked.save(update_fields=[*ADDRESS_FIELDS, "updated_at"])
        tracking_change(item=locked, status=locked.status, actor=None, note=_note(locked))
    for name in ADDRESS_FIELDS:
        setattr(tracking, name, getattr(locked, name))
    return tracking


def _note(tracking):
    """The history's note, in the portal's default language (staff read it, not the applicant)."""
    with translation.override(settings.LANGUAGE_CODE):
        where = ", ".join(part for part in (tracking.postal_code, tracking.prefecture, tracking.address_line1,
                                            tracking.address_line2, tracking.pickup_office) if part)
        text = gettext("Delivery changed by the applicant: %(method)s") % {
            "method": tracking.get_delivery_display()}
        return f"{text} ({where})" if where else text

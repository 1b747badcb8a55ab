"""The applicant's own choice of delivery: a signed link (``consular_portal.access``) opens a page where they
change the delivery method and address until the end of the interview day at the post (its time zone).
Every change is kept as a note in the passport's history, by nobody (the applicant).

The link names the passport by its ``reference``, drawn when the passport is created (``reference_new``
is the field's default; an import's set-based path draws them with ``references_generate``)."""

import datetime as dt

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from consular_portal.access import make_token, object_from_token
from consular_portal.references import reference_generate
from consular_portal.site_url import absolute_url
from consular_portal.tracking.changes import tracking_change

SALT = "passports.delivery"
REFERENCE_PREFIX = "PD"
ADDRESS_FIELDS = ("delivery", "postal_code", "prefecture", "address_line1", "address_line2", "pickup_office")


class Delivery(models.TextChoices):
    LETTER_PACK = "letter_pack", _("Japan Post Letter Pack delivery to the registered address")
    POST_OFFICE = "post_office", _("Pickup at a chosen post office")
    AT_POST = "at_post", _("Pickup at the Embassy or Consulate")
    STANDARD = "standard", _("Free standard delivery")


# The delivery rule: which fields each method needs (the applicant's form asks for them) and keeps (the
# others are emptied when it is chosen). The building and room of an address may be left empty.
ADDRESS = ("postal_code", "prefecture", "address_line1", "address_line2")
KEPT = {Delivery.LETTER_PACK: ADDRESS, Delivery.STANDARD: ADDRESS, Delivery.POST_OFFICE: ("pickup_office",),
        Delivery.AT_POST: ()}
OPTIONAL = {"address_line2"}


def fields_kept(method):
    """The address fields ``method`` keeps, in form order."""
    return KEPT.get(method, ())


def fields_required(method):
    """The address fields the applicant must fill in for ``method``."""
    return tuple(name for name in fields_kept(method) if name not in OPTIONAL)


def reference_new():
    """A new passport's reference (the field's default)."""
    return reference_generate(REFERENCE_PREFIX)


class DeliveryClosed(Exception):
    """The interview day at the post is over: the delivery can no longer be changed by the applicant."""


def address_change_open(tracking, now):
    """Whether the applicant may still change the delivery at the instant ``now``: until 23:59 (inclusive) of
    the interview date in the post's time zone. Without an interview date, not at all."""
    if tracking.interview_date is None:
        return False
    return tracking.post.local_today(now) <= tracking.interview_date


def delivery_token(tracking):
    return make_token(tracking, salt=SALT)


def delivery_path(tracking):
    return reverse("passports:delivery", kwargs={"token": delivery_token(tracking)})


def delivery_link(tracking):
    """The absolute signed link (on ``SITE_URL``) that staff send the applicant."""
    return absolute_url(delivery_path(tracking))


def tracking_from_token(token):
    """The passport the link was signed for, or 404: forged, older than its lifetime, or revoked."""
    from .models import PassportTracking

    return object_from_token(
        PassportTracking.objects.select_related("post"), token, salt=SALT,
        max_age=dt.timedelta(days=settings.PASSPORT_DELIVERY_LINK_MAX_AGE_DAYS),
    )


def delivery_change(*, tracking, values, now=None):
    """Save the applicant's delivery ``values`` (the keys of ``ADDRESS_FIELDS``) on ``tracking`` and keep the
    change as a note (the status stays), in one transaction; DeliveryClosed once the interview day is over.
    The fields the method does not keep (``KEPT``) are emptied."""
    model = type(tracking)
    with transaction.atomic():
        locked = model.objects.select_for_update().select_related("post").get(pk=tracking.pk)
        if not address_change_open(locked, now or timezone.now()):
            raise DeliveryClosed
        locked.delivery = values.get("delivery", "") or ""
        kept = fields_kept(locked.delivery)
        for name in ADDRESS_FIELDS[1:]:
            setattr(locked, name, (values.get(name, "") or "") if name in kept else "")
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

"""A staff member's second factor: enrolling an authenticator app, backup codes, and an administrator's reset.

A staff member without a confirmed device sets one up themselves after the password: a TOTP device is made
unconfirmed, shown as a QR code (and its secret as text), and confirmed by a code the app shows. Confirming
it replaces the backup codes with new ones, shown once. An administrator's reset removes every device, so
the staff member sets up the app again at the next login.
"""

from base64 import b32encode
from xml.etree import ElementTree

import qrcode
import qrcode.image.svg
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_noop
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODES = 10
APP_DEVICE_NAME = "authenticator app"
BACKUP_DEVICE_NAME = "backup codes"
# What the admin's history of the account says (translated when it is shown, as Django's own entries are).
RESET_MESSAGE = [{"changed": {"fields": [gettext_noop("second factor (reset: set up again at next login)")]}}]


def has_confirmed_device(user):
    return next(iter(devices_for_user(user, confirmed=True)), None) is not None


def enrolment_device(user):
    """The unconfirmed app device being set up: made on first need, the same one on every reload of the page
    (so the QR code scanned a minute ago still counts)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def secret_text(device):
    """The device's key as an authenticator app takes it typed in: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def qr_svg(device):
    """The device's ``otpauth://`` address as an SVG QR code, drawn on the server (no script, no image file),
    black on white whatever the page's colours, sized for a phone's screen."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10, border=4)
    svg = image.get_image()
    svg.set("width", "220")
    svg.set("height", "220")
    svg.set("aria-hidden", "true")  # the page offers the same key as text
    # Safe as markup: the address is encoded in the squares' coordinates, no text of it is in the SVG.
    return mark_safe(ElementTree.tostring(svg, encoding="unicode"))  # noqa: S308 - see above: only coordinates


def new_backup_code():
    # The login tells the kinds apart by shape (digits are an app code), so a backup code is never all digits.
    while (token := StaticToken.random_token()).isdigit():
        pass
    return token


def enrolment_confirm(*, device, token):
    """Confirms the app device if ``token`` is a code it shows now; then the staff member's other unconfirmed
    devices go and their backup codes are replaced by new ones. Returns the new codes, or None."""
    token = "".join(token.split())
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(pk=device.pk, confirmed=False).first()
        if device is None or not token.isdigit() or not device.verify_token(token):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        user = device.user
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        StaticDevice.objects.filter(user=user).delete()
        backup = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
        codes = [new_backup_code() for _ in range(BACKUP_CODES)]
        StaticToken.objects.bulk_create([StaticToken(device=backup, token=code) for code in codes])
    return codes


def devices_reset(*, user, by):
    """Removes every device of ``user`` (app and backup codes), recorded in the admin's history as done by
    ``by``. Their sessions are no longer verified; at the next login they set up the app again."""
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=None):
            device.delete()
        LogEntry.objects.log_actions(by.pk, [user], CHANGE, RESET_MESSAGE, single_object=True)

"""The back office's login in one step: username, password and the authentication code on one form.

django-otp's admin form asks for the device on a second page (echoing the password into it); this one finds
the device itself from the code's shape: digits are a TOTP code from the staff member's authenticator app,
anything else a one-time backup code (``manage.py addstatictoken``). Only devices of that kind are tried, so a
mistyped code never throttles the other kind. A wrong code counts as a failed login for django-axes.
"""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.admin import OTPAdminSite
from django_otp.plugins.otp_totp.models import TOTPDevice

INVALID_LOGIN = _(
    "Please enter the correct username, password and authentication code of a staff account. "
    "Username and password may be case-sensitive."
)


def verified_device(user, token):
    """The user's confirmed device that accepts ``token`` now, or None."""
    token = "".join(token.split())
    if not token:
        return None
    totp = token.isdigit()
    with transaction.atomic():  # the devices are locked while a code is checked (and its use recorded)
        for device in devices_for_user(user, for_verify=True):
            if isinstance(device, TOTPDevice) == totp and device.verify_token(token):
                return device
    return None


class StaffLoginForm(AdminAuthenticationForm):
    error_messages = {**AdminAuthenticationForm.error_messages, "invalid_login": INVALID_LOGIN}

    otp_token = forms.CharField(
        label=_("Authentication code"),
        help_text=_("The six digits your authenticator app shows now, or one of your backup codes."),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none",
                                      "spellcheck": "false"}),
    )

    def clean(self):
        cleaned_data = super().clean()  # username and password; django-axes counts a wrong password
        user = self.get_user()
        if user is None:
            return cleaned_data
        device = verified_device(user, cleaned_data.get("otp_token", ""))
        if device is None:
            user_login_failed.send(
                sender=__name__, credentials={"username": user.get_username()}, request=self.request
            )
            self.user_cache = None
            raise self.get_invalid_login_error()
        user.otp_device = device  # django-otp marks the session verified on login
        return cleaned_data


class StaffAdminSite(OTPAdminSite):
    """The admin site of production: only staff verified by a second factor, logging in in one step."""

    login_form = StaffLoginForm
    login_template = "admin/staff_login.html"

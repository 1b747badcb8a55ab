"""The back office's login in one step: username, password and the authentication code on one form.

django-otp's admin form asks for the device on a second page (echoing the password into it); this one finds
the device itself from the code's shape: digits are a TOTP code from the staff member's authenticator app,
anything else a one-time backup code. Only devices of that kind are tried, so a mistyped code never throttles
the other kind. A wrong code counts as a failed login for django-axes.

A staff member with no confirmed device (new, or reset by an administrator) logs in with the password alone
and is taken to set up an authenticator app (``staff_enrolment``): the session is logged in but not verified,
so no admin page opens until the app is confirmed.

Whether the second factor is asked for is read from ``OTP_ADMIN`` at each request (production turns it on),
so tests can switch it on for one test.
"""

from django import forms
from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.admin import OTPAdminSite
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import staff_enrolment
from .staff_devices import has_confirmed_device

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
        required=False,  # a staff member who has no device yet leaves it empty and sets one up next
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none",
                                      "spellcheck": "false"}),
    )

    def clean(self):
        cleaned_data = super().clean()  # username and password; django-axes counts a wrong password
        user = self.get_user()
        if user is None:
            return cleaned_data
        if not has_confirmed_device(user):
            user.otp_device = None  # logged in, not verified: the admin sends them to set up an app
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
    """The admin site of production: only staff verified by a second factor, logging in in one step; staff
    without a device set one up after the password. With ``OTP_ADMIN`` off it is Django's admin site."""

    @property
    def login_form(self):
        return StaffLoginForm if settings.OTP_ADMIN else None

    @property
    def login_template(self):
        return "admin/staff_login.html" if settings.OTP_ADMIN else None

    def has_permission(self, request):
        if not settings.OTP_ADMIN:
            return AdminSite.has_permission(self, request)
        return super().has_permission(request)

    def login(self, request, extra_context=None):
        if settings.OTP_ADMIN and request.method == "GET" and staff_enrolment.enrolling_user(request):
            return redirect("admin:staff_enrol")
        response = super().login(request, extra_context)
        if settings.OTP_ADMIN and request.method == "POST" and response.status_code == 302:
            user = request.user  # the user just logged in, with the device the form verified
            if getattr(user, "otp_device", None) is None:
                staff_enrolment.enrolment_start(request)
                return redirect("admin:staff_enrol")
        return response

    def get_urls(self):
        return [
            path("second-factor/", self.admin_enrol_view, name="staff_enrol"),
            *super().get_urls(),
        ]

    def admin_enrol_view(self, request):
        return staff_enrolment.enrol(request, site=self)

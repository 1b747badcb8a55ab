"""The page where a staff member sets up their authenticator app, right after logging in with the password.

Only a session that has just logged in through the staff login with no confirmed device reaches it (the login
marks the session): a session that was logged in before an administrator's reset logs in again first. The
page works without JavaScript: the QR code is inline SVG, the key is also written out, and one form takes the
code. Confirming shows the new backup codes once, in the answer to that form; they are not kept for another
look.
"""

from django import forms
from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from .staff_devices import enrolment_confirm, enrolment_device, has_confirmed_device, qr_svg, secret_text

SESSION_KEY = "staff_enrolment_user"


def enrolment_start(request):
    """Marks the session as logged in with the password by a staff member who has no device yet."""
    request.session[SESSION_KEY] = request.user.pk


def enrolling_user(request):
    """The staff member setting up an app in this session, or None."""
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return None
    if request.session.get(SESSION_KEY) != user.pk or has_confirmed_device(user):
        return None
    return user


class ConfirmForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code from your app"),
        help_text=_("The six digits your authenticator app shows now for Consular Portal."),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autocapitalize": "none", "spellcheck": "false"}),
    )


@never_cache
def enrol(request, *, site):
    if not settings.OTP_ADMIN:
        raise Http404("no second factor outside production")
    user = enrolling_user(request)
    if user is None:
        return redirect("admin:login")
    device = enrolment_device(user)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        codes = enrolment_confirm(device=device, token=form.cleaned_data["otp_token"])
        if codes is not None:
            device.refresh_from_db()
            otp_login(request, device)  # this session is now verified by the new app
            del request.session[SESSION_KEY]
            context = {**site.each_context(request), "title": _("Your backup codes"), "codes": codes}
            return TemplateResponse(request, "admin/staff_backup_codes.html", context)
        form.add_error("otp_token", _(
            "That is not the code your app shows now. Check that you added the key shown on this page, "
            "then enter the six digits it shows (they change every 30 seconds)."))
    context = {
        **site.each_context(request), "title": _("Set up your authenticator app"), "form": form,
        "qr_svg": qr_svg(device), "secret": secret_text(device), "username": user.get_username(),
    }
    return TemplateResponse(request, "admin/staff_enrol.html", context)

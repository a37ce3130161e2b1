"""The staff sign-in: user name and password, then the second factor (TOTP) when required or set up.

Every back-office view is guarded by ``amtsweg.accounts.decorators.staff_required``,
which sends staff here first.
"""

from __future__ import annotations

from base64 import b32encode
from binascii import unhexlify
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import LoginView, LogoutView, redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import user_has_device

from amtsweg.core.forms import ErrorLink, form_error_list
from amtsweg.core.http import see_other

from . import services
from .decorators import is_verified, with_next
from .forms import StaffAuthenticationForm, TokenForm

TOTP_SESSION_KEY = "cases_totp_setup_key"


def _safe_next(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


# --- sign-in ----------------------------------------------------------------------------


class StaffLoginView(LoginView):
    """The staff sign-in. django-axes counts failures (5 lock the name and address);
    afterwards the second factor is asked for when required, or offered when the user has one.
    """

    template_name = "accounts/login.html"
    authentication_form = StaffAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context["form"]
        errors = [ErrorLink(str(message), "id_username") for message in form.non_field_errors()]
        context["errors"] = errors + form_error_list({"login": form})
        return context

    def get_default_redirect_url(self) -> str:
        return reverse("cases:inbox")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        next_url = self.get_success_url()
        if not is_verified(self.request.user):
            if user_has_device(self.request.user):
                return HttpResponseRedirect(with_next("accounts:otp_verify", next_url))
            if settings.STAFF_2FA_REQUIRED:
                return HttpResponseRedirect(with_next("accounts:otp_setup", next_url))
        return response


class StaffLogoutView(LogoutView):
    next_page = reverse_lazy("accounts:login")  # type: ignore[assignment]  # a lazy URL is a str when used


def _signed_in_or_login(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
    return None


@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of the sign-in: a code from the staff member's authenticator app."""
    if (redirect := _signed_in_or_login(request)) is not None:
        return redirect
    next_url = _safe_next(request, reverse("cases:inbox"))
    if is_verified(request.user):
        return HttpResponseRedirect(next_url)
    devices = list(_confirmed_totp_devices(request.user))
    if not devices:
        return HttpResponseRedirect(with_next("accounts:otp_setup", next_url))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = _verify_with(devices, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return see_other(next_url)
        form.add_error("token", _("The code is not correct or has expired. Enter the current code from your app."))
    response = render(
        request,
        "accounts/otp_verify.html",
        {
            "form": form,
            "errors": form_error_list({"token": form}),
            "next": next_url,
            "optional": not settings.STAFF_2FA_REQUIRED,
        },
        status=400 if form.errors else 200,
    )
    add_never_cache_headers(response)
    return response


def _confirmed_totp_devices(user: Any) -> Any:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.devices_for_user(user, confirmed=True)


def _verify_with(devices: list[Any], token: str) -> Any:
    from django_otp import verify_token

    for device in devices:
        verified = verify_token(device.user, device.persistent_id, token)
        if verified is not None:
            return verified
    return None


@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: the otpauth URI and the key as text (no QR code, no script), confirmed by a code.

    Only for staff without a confirmed device: a stolen password must not be
    enough to register an attacker's app.
    """
    if (redirect := _signed_in_or_login(request)) is not None:
        return redirect
    next_url = _safe_next(request, reverse("cases:inbox"))
    if user_has_device(request.user):
        if is_verified(request.user):
            messages.info(request, _("Two-factor authentication is already set up for your account."))
            return HttpResponseRedirect(next_url)
        return HttpResponseRedirect(with_next("accounts:otp_verify", next_url))
    from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

    key = request.session.get(TOTP_SESSION_KEY)
    if not key:
        key = default_key()
        request.session[TOTP_SESSION_KEY] = key
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.totp_device_confirm(user=request.user, key=key, token=form.cleaned_data["token"])
        if device is not None:
            del request.session[TOTP_SESSION_KEY]
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is set up."))
            return see_other(next_url)
        form.add_error("token", _("The code is not correct or has expired. Enter the current code from your app."))
    preview = TOTPDevice(user=request.user, key=key)
    secret = b32encode(unhexlify(key.encode())).decode()
    response = render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "errors": form_error_list({"token": form}),
            "next": next_url,
            "optional": not settings.STAFF_2FA_REQUIRED,
            "otpauth_uri": preview.config_url,
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        },
        status=400 if form.errors else 200,
    )
    add_never_cache_headers(response)
    return response

import hashlib
import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from amtsweg.core.addresses import mailbox_key
from amtsweg.core.clientip import client_ip
from amtsweg.core.ratelimit import too_many
from amtsweg.core.trustgate import public

from ...base import Identity, IdentityRejected
from ...services import PENDING_KEY, citizen_login_finish, login_pending_start
from .emails import login_link_send

SALT = "amtsweg.identity.email-link"


def _config() -> dict:
    return settings.IDENTITY["providers"]["email"]


def _too_many(key: str, limit: int) -> bool:
    return too_many(key, limit=limit, window=_config()["limit_window_seconds"])


def _subject(email: str) -> str:
    return hashlib.sha256(f"email:{email.strip().lower()}".encode()).hexdigest()


def _mailbox(email: str) -> str:
    """The rate limit's key for the mailbox: every spelling of it (erika+1@…) counts as one (core/addresses.py).
    Not the login's subject, which stays the address as typed."""
    return hashlib.sha256(f"email:{mailbox_key(email)}".encode()).hexdigest()


@public
@never_cache
@require_http_methods(["GET", "POST"])
def request_link(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING_KEY) or {}
    error, email = "", ""
    if request.method == "POST":
        email = request.POST.get("email", "").strip()[:254]
        try:
            validate_email(email)
        except ValidationError:
            error = _("Enter an email address in the correct format, like name@example.com")
        else:
            ip = client_ip(request)
            by_address = _too_many(f"email-login:addr:{_mailbox(email)}", _config()["limit_per_address"])
            by_ip = _too_many(f"email-login:ip:{ip}", _config()["limit_per_ip"])
            if by_address or by_ip:
                error = _("Too many links were requested. Please wait a while and try again.")
            else:
                _send_link(request, email, level=pending.get("level", "basic"), next_url=pending.get("next", "/"))
                return render(request, "identity/email_sent.html", {"email": email})
    return render(
        request, "identity/email_request.html", {"error": error, "email": email}, status=400 if error else 200
    )


def _send_link(request: HttpRequest, email: str, *, level: str, next_url: str) -> None:
    token = signing.dumps(
        {"email": email, "level": level, "next": next_url, "jti": secrets.token_urlsafe(16)}, salt=SALT
    )
    url = request.build_absolute_uri(reverse("identity_email:use", args=[token]))
    login_link_send(email=email, url=url, language=translation.get_language())


@public
@never_cache
@require_http_methods(["GET", "POST"])
def use_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        data = signing.loads(token, salt=SALT, max_age=_config()["max_age_minutes"] * 60)
    except signing.SignatureExpired:
        raise IdentityRejected("the email link has expired") from None
    except signing.BadSignature:
        raise IdentityRejected("the email link is not valid") from None
    if request.method == "GET":
        return render(request, "identity/email_confirm.html", {"email": data["email"]})
    if not cache.add(f"email-login:used:{data['jti']}", 1, timeout=_config()["max_age_minutes"] * 60 + 60):
        raise IdentityRejected("the email link was used already")
    pending = request.session.get(PENDING_KEY)
    if not pending or pending.get("provider") != "email":
        # The link may open in another browser than the one that asked for it: the signed token carries the login.
        login_pending_start(request=request, provider="email", level=data["level"], next_url=data["next"])
    identity = Identity(provider="email", subject=_subject(data["email"]), trust_level="basic", email=data["email"])
    return citizen_login_finish(request=request, identity=identity)

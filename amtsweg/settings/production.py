"""Production settings: no development defaults for secrets, hosts or demo features.

Starting without SECRET_KEY or ALLOWED_HOSTS fails with ImproperlyConfigured.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    CSP_EXTRA_SOURCES,
    CSP_FORM_ACTION,
    CSP_REPORT_ONLY,
    CSP_REPORT_URI,
    DOCUMENTS_SEAL,
    IDENTITY,
    PAYMENTS,
    PORTAL,
    STORAGES,
    env,
)
from .csp import csp_settings

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")  # no default: refuses to start without it
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")  # no default either
if not SECRET_KEY.strip() or SECRET_KEY.startswith("amtsweg-development"):
    raise ImproperlyConfigured("SECRET_KEY must be set to a secret value in production.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the portal's host names in production.")

# Links in emails: the portal's public address, by default its first host name over HTTPS.
PORTAL = {**PORTAL, "base_url": env.str("AMTSWEG_BASE_URL", default=f"https://{ALLOWED_HOSTS[0].lstrip('.')}")}

DEMO_MODE = env.bool("AMTSWEG_DEMO_MODE", default=False)
STAFF_2FA_REQUIRED = env.bool("STAFF_2FA_REQUIRED", default=True)
PAYMENT_PROVIDER = env.str("PAYMENT_PROVIDER", default="")
PAYMENTS = {**PAYMENTS, "provider": PAYMENT_PROVIDER}
if PAYMENT_PROVIDER == "demo" and not DEMO_MODE:
    raise ImproperlyConfigured("The demo payment provider is for development and demo mode only.")
if PAYMENT_PROVIDER == "demo":
    PAYMENTS["providers"]["demo"]["secret"] = env.str("PAYMENT_DEMO_SECRET")  # no default in production
IDENTITY = {
    **IDENTITY,
    "enabled": env.list("IDENTITY_PROVIDERS", default=["email"]),
    "demo_idp": env.bool("IDENTITY_DEMO_IDP", default=False),
}
if IDENTITY["demo_idp"] and not DEMO_MODE:
    raise ImproperlyConfigured("The demo identity provider is for development and demo mode only.")
if "demo" in IDENTITY["enabled"] and not DEMO_MODE:
    raise ImproperlyConfigured("The demo login is for development and demo mode only.")
if not IDENTITY["demo_idp"]:
    # Without the demo identity provider, bundid has no metadata URL but the one set here.
    _bundid = {**IDENTITY["providers"]["bundid"], "idp_metadata_url": env.str("BUNDID_IDP_METADATA_URL", default="")}
    IDENTITY = {**IDENTITY, "providers": {**IDENTITY["providers"], "bundid": _bundid}}
_IDENTITY_REQUIRED = {
    "bundid": ("BUNDID_SP_KEY_FILE", "BUNDID_SP_CERT_FILE", "BUNDID_ONLINE_SERVICE_ID", "BUNDID_SP_ENTITY_ID"),
    "oidc": ("OIDC_DISCOVERY_URL", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_ACR_MAP"),
}
for _provider, _names in _IDENTITY_REQUIRED.items():
    if _provider in IDENTITY["enabled"] and not IDENTITY["demo_idp"]:
        for _name in _names:
            if not env.str(_name, default="").strip():
                raise ImproperlyConfigured(f"{_name} must be set when IDENTITY_PROVIDERS includes {_provider}.")
_bundid_metadata = env.str("BUNDID_IDP_METADATA_URL", default="") or env.str("BUNDID_IDP_METADATA_FILE", default="")
if "bundid" in IDENTITY["enabled"] and not IDENTITY["demo_idp"] and not _bundid_metadata:
    raise ImproperlyConfigured("BUNDID_IDP_METADATA_URL or BUNDID_IDP_METADATA_FILE must be set for bundid.")
if PAYMENT_PROVIDER == "girocheckout":
    for _name in ("GIROCHECKOUT_MERCHANT_ID", "GIROCHECKOUT_PROJECT_ID", "GIROCHECKOUT_SECRET"):
        if not env.str(_name, default="").strip():
            raise ImproperlyConfigured(f"{_name} must be set when PAYMENT_PROVIDER is girocheckout.")
RESIDENTS_REGISTER = {**RESIDENTS_REGISTER, "provider": env.str("RESIDENTS_REGISTER_PROVIDER", default="")}
if RESIDENTS_REGISTER["provider"] == "demo" and not DEMO_MODE:
    raise ImproperlyConfigured("The demo residents' register is for development and demo mode only.")
if RESIDENTS_REGISTER["provider"] == "demo":
    _demo_register = {**RESIDENTS_REGISTER["providers"]["demo"], "token": env.str("RESIDENTS_REGISTER_DEMO_TOKEN")}
    RESIDENTS_REGISTER["providers"] = {**RESIDENTS_REGISTER["providers"], "demo": _demo_register}
VEHICLE_REGISTRY = {**VEHICLE_REGISTRY, "provider": env.str("VEHICLE_REGISTRY_PROVIDER", default="")}
if VEHICLE_REGISTRY["provider"] == "demo" and not DEMO_MODE:
    raise ImproperlyConfigured("The demo vehicle registry is for development and demo mode only.")
if VEHICLE_REGISTRY["provider"] == "demo":
    _demo_registry = {**VEHICLE_REGISTRY["providers"]["demo"], "token": env.str("VEHICLE_REGISTRY_DEMO_TOKEN")}
    VEHICLE_REGISTRY["providers"] = {**VEHICLE_REGISTRY["providers"], "demo": _demo_registry}
# The seal's demo key is for demo mode only; a real seal is configured by its files (or none: then the
# electronic Meldebescheinigung says it is not available, and the paper one still is).
DOCUMENTS_SEAL = {**DOCUMENTS_SEAL, "demo": DEMO_MODE}
if bool(DOCUMENTS_SEAL["key_file"]) != bool(DOCUMENTS_SEAL["cert_file"]):
    raise ImproperlyConfigured("DOCUMENTS_SEAL_KEY_FILE and DOCUMENTS_SEAL_CERT_FILE must be set together.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The policy of base.py, built again for the providers production has settled on.
SECURE_CSP, SECURE_CSP_REPORT_ONLY = csp_settings(
    payments=PAYMENTS,
    identity=IDENTITY,
    form_action=CSP_FORM_ACTION,
    extra=CSP_EXTRA_SOURCES,
    report_uri=CSP_REPORT_URI,
    report_only=CSP_REPORT_ONLY,
)

WHITENOISE_USE_FINDERS = False
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Behind a TLS-terminating reverse proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
# HSTS covers the portal host's subdomains too (docs/deployment.md says when to switch it off). No preload:
# that binds the whole domain for browsers everywhere, which is the city's decision, not the portal's.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# `check --deploy` asks for preload (security.W021); leaving it out is the decision above.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

DEV_MAILBOX_DIR = None
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env.str("EMAIL_HOST", default="localhost"),
            "port": env.int("EMAIL_PORT", default=25),
            "username": env.str("EMAIL_HOST_USER", default=""),
            "password": env.str("EMAIL_HOST_PASSWORD", default=""),
            "use_tls": env.bool("EMAIL_USE_TLS", default=False),
            # Seconds per SMTP step. Without it a mail server that stops answering holds the task (and the
            # email's row lock) for ever; with it the attempt fails and is retried later, and an email's
            # task stays far below TASKS_RECOVER_AFTER_SECONDS.
            "timeout": env.int("EMAIL_TIMEOUT_SECONDS", default=30),
        },
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"noreply@{ALLOWED_HOSTS[0].lstrip('.')}")

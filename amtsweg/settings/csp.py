"""The Content-Security-Policy that every page is sent with (Django's ContentSecurityPolicyMiddleware).

One policy for development, tests and production: scripts, styles, fonts and workers come from the
portal's own origin only, never inline, and no page may be framed. ``base.py`` builds it from the
environment and ``production.py`` builds it again once it has settled the payment and identity
providers. docs/deployment.md says how an operator adds to it or tries a change as report-only.
"""

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

# What the policy exists to keep out; CSP_EXTRA_SOURCES cannot bring it back.
REFUSED = {CSP.UNSAFE_INLINE, CSP.UNSAFE_EVAL, CSP.UNSAFE_HASHES}


def origin(url: str) -> str:
    """``https://host[:port]`` of an absolute http(s) URL; "" for a path or anything else."""
    parts = urlsplit(url.strip())
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return ""


def provider_origins(*, payments: Mapping[str, Any], identity: Mapping[str, Any]) -> list[str]:
    """The origins of the configured outside providers that a form of ours leads to.

    Paying (POST, then a redirect to the provider's payment page), logging in and logging out
    (POST, then a redirect or an auto-posted form to the identity provider) are form submissions,
    and browsers hold the whole redirect chain of a form submission to ``form-action``. The origin
    is taken from the provider's configured URL (GiroCheckout's API, the OIDC discovery document,
    BundID's metadata); providers whose pages live on another host are added with CSP_FORM_ACTION.
    Demo providers are pages of this site and need nothing.
    """
    urls: list[str] = []
    providers = payments.get("providers", {})
    if payments.get("provider") == "girocheckout":
        urls.append(str(providers.get("girocheckout", {}).get("base_url") or ""))
    enabled = identity.get("enabled", [])
    config = identity.get("providers", {})
    if "oidc" in enabled:
        urls.append(str(config.get("oidc", {}).get("discovery_url") or ""))
    if "bundid" in enabled:
        # A path (the demo identity provider's, "/demo-idp/metadata/") has no origin: it is this site.
        urls.append(str(config.get("bundid", {}).get("idp_metadata_url") or ""))
    return list(dict.fromkeys(o for o in map(origin, urls) if o))


def content_security_policy(
    *,
    form_action: Iterable[str] = (),
    extra: Mapping[str, Any] | None = None,
    report_uri: str = "",
) -> dict[str, Any]:
    """The policy as Django's SECURE_CSP setting takes it.

    ``form_action``: origins that forms may lead to besides this site. ``extra``: sources to add,
    by directive (a directive that is not in the policy yet is added; ``True`` adds a directive
    without sources, such as ``upgrade-insecure-requests``); inline code and eval are refused.
    ``report_uri``: where browsers send violation reports.
    """
    policy: dict[str, Any] = {
        "default-src": [CSP.SELF],
        "script-src": [CSP.SELF],
        "style-src": [CSP.SELF],
        # KERN draws its icons as data: SVG masks in its stylesheet.
        "img-src": [CSP.SELF, "data:"],
        "font-src": [CSP.SELF],
        "connect-src": [CSP.SELF],
        # The appointment proof of work runs in workers loaded from our static files.
        "worker-src": [CSP.SELF],
        "object-src": [CSP.NONE],
        "base-uri": [CSP.NONE],
        "frame-ancestors": [CSP.NONE],
        "form-action": [CSP.SELF, *form_action],
    }
    for directive, sources in (extra or {}).items():
        if sources is True or sources is False:
            policy[directive] = sources
        else:
            added = [sources] if isinstance(sources, str) else list(sources)
            if refused := REFUSED.intersection(added):
                raise ImproperlyConfigured(
                    f"CSP_EXTRA_SOURCES cannot allow {', '.join(sorted(refused))} ({directive}): "
                    "move the script or style into a static file instead."
                )
            policy[directive] = list(dict.fromkeys([*policy.get(directive, []), *added]))
    if report_uri:
        policy["report-uri"] = [report_uri]
    return policy


def csp_settings(
    *,
    payments: Mapping[str, Any],
    identity: Mapping[str, Any],
    form_action: Iterable[str],
    extra: Mapping[str, Any],
    report_uri: str,
    report_only: bool,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Django's ``SECURE_CSP`` and ``SECURE_CSP_REPORT_ONLY`` for these providers: one of them holds the policy
    (forms may also lead to the providers' origins), the other is empty."""
    policy = content_security_policy(
        form_action=[*provider_origins(payments=payments, identity=identity), *form_action],
        extra=extra,
        report_uri=report_uri,
    )
    return ({}, policy) if report_only else (policy, {})

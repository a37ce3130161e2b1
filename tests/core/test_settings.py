import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

ROOT = Path(__file__).resolve().parents[2]


def _load_settings(module: str, *, show: str = "", **env: str) -> subprocess.CompletedProcess:
    """Load the settings in a fresh process; prints DEBUG and CONN_MAX_AGE, or the expression ``show``."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"} and not k.startswith("AMTSWEG_")
    }
    script = "import django, json; django.setup(); from django.conf import settings;" + (
        f"print({show})" if show else "print(settings.DEBUG, settings.DATABASES['default'].get('CONN_MAX_AGE'))"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_secret_key():
    out = _load_settings("amtsweg.settings.production", ALLOWED_HOSTS="portal.example.org")
    assert out.returncode != 0
    assert "SECRET_KEY" in out.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    out = _load_settings("amtsweg.settings.production", SECRET_KEY="x" * 50)
    assert out.returncode != 0
    assert "ALLOWED_HOSTS" in out.stderr


def test_production_refuses_the_development_key():
    out = _load_settings(
        "amtsweg.settings.production",
        SECRET_KEY="amtsweg-development-only-not-secret",
        ALLOWED_HOSTS="portal.example.org",
    )
    assert out.returncode != 0


def test_production_starts_with_secrets_and_debug_off():
    out = _load_settings("amtsweg.settings.production", SECRET_KEY="x" * 50, ALLOWED_HOSTS="portal.example.org")
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[0] == "False"


def test_links_in_emails_follow_the_port_that_make_run_serves():
    out = _load_settings("amtsweg.settings.base", show="settings.PORTAL['base_url']", AMTSWEG_PORT="8100")
    assert out.stdout.strip() == "http://127.0.0.1:8100", out.stderr
    out = _load_settings(
        "amtsweg.settings.base",
        show="settings.PORTAL['base_url']",
        AMTSWEG_HOST="0.0.0.0",  # noqa: S104
        AMTSWEG_PORT="8100",
    )
    assert out.stdout.strip() == "http://127.0.0.1:8100"


def test_production_links_go_to_the_first_host_name_unless_the_base_url_is_set():
    secrets = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "portal.example.org,other.example.org"}
    out = _load_settings("amtsweg.settings.production", show="settings.PORTAL['base_url']", **secrets)
    assert out.stdout.strip() == "https://portal.example.org", out.stderr
    out = _load_settings(
        "amtsweg.settings.production",
        show="settings.PORTAL['base_url']",
        AMTSWEG_BASE_URL="https://service.kassel.de",
        **secrets,
    )
    assert out.stdout.strip() == "https://service.kassel.de"


def test_manage_py_prints_no_library_banners():
    clean = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    out = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert "AXES" not in out.stdout + out.stderr
    assert "already loaded" not in out.stdout + out.stderr


def test_postgres_database_url_uses_persistent_connections():
    out = _load_settings("amtsweg.settings.base", DATABASE_URL="postgres://u@127.0.0.1:5432/x")
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[1] == "600"


@pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set; .ci/run sets it for the PostgreSQL pass")
def test_redis_serves_the_cache_and_sessions(client, db):
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    key = f"amtsweg-test-{uuid.uuid4()}"
    cache.set(key, "ja", 30)
    assert cache.get(key) == "ja"
    cache.delete(key)
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cache"


def test_the_wsgi_application_leaves_its_loaded_modules_out_of_full_collections():
    code = "import gc, amtsweg.wsgi; print(gc.get_freeze_count())"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "amtsweg.settings.test"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert int(out.stdout.strip().splitlines()[-1]) > 10_000


# --- HSTS and the Content-Security-Policy in production (docs/deployment.md) ---------------------------
PRODUCTION = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "portal.example.org"}
POLICY = "__import__('django.utils.csp', fromlist=['build_policy']).build_policy"


def test_production_sends_hsts_for_the_subdomains_too_unless_the_operator_switches_it_off():
    show = "settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_HSTS_PRELOAD"
    out = _load_settings("amtsweg.settings.production", show=show, **PRODUCTION)
    assert out.stdout.split() == ["31536000", "True", "False"], out.stderr
    out = _load_settings("amtsweg.settings.production", show=show, SECURE_HSTS_INCLUDE_SUBDOMAINS="0", **PRODUCTION)
    assert out.stdout.split() == ["31536000", "False", "False"], out.stderr


def test_production_sends_the_same_strict_policy_as_development():
    show = f"{POLICY}(settings.SECURE_CSP), '|', {POLICY}(settings.SECURE_CSP_REPORT_ONLY)"
    production = _load_settings("amtsweg.settings.production", show=show, **PRODUCTION)
    development = _load_settings("amtsweg.settings.base", show=show)
    assert production.returncode == 0, production.stderr
    assert production.stdout == development.stdout
    enforced, report_only = (part.strip() for part in production.stdout.split("|"))
    assert "script-src 'self';" in enforced and "style-src 'self';" in enforced
    assert "form-action 'self'" in enforced and "unsafe" not in enforced
    assert report_only == ""


def test_production_lets_forms_lead_to_the_configured_providers_and_the_ones_the_operator_adds():
    providers = {
        "PAYMENT_PROVIDER": "girocheckout",
        "GIROCHECKOUT_URL": "https://payment.example.net/girocheckout/api/v2",
        "GIROCHECKOUT_MERCHANT_ID": "1",
        "GIROCHECKOUT_PROJECT_ID": "2",
        "GIROCHECKOUT_SECRET": "3",
        "IDENTITY_PROVIDERS": "email,oidc",
        "OIDC_DISCOVERY_URL": "https://login.example.net:8443/realms/city/.well-known/openid-configuration",
        "OIDC_CLIENT_ID": "portal",
        "OIDC_CLIENT_SECRET": "secret",
        "OIDC_ACR_MAP": '{"high": "high"}',
        "CSP_FORM_ACTION": "https://sso.example.net",
    }
    out = _load_settings(
        "amtsweg.settings.production", show="' '.join(settings.SECURE_CSP['form-action'])", **providers, **PRODUCTION
    )
    assert out.stdout.split() == [
        "'self'",
        "https://payment.example.net",
        "https://login.example.net:8443",
        "https://sso.example.net",
    ], out.stderr


def test_an_operator_can_add_sources_and_try_the_policy_as_report_only():
    show = f"{POLICY}(settings.SECURE_CSP), '|', {POLICY}(settings.SECURE_CSP_REPORT_ONLY)"
    out = _load_settings(
        "amtsweg.settings.production",
        show=show,
        CSP_EXTRA_SOURCES='{"img-src": ["https://maps.example.net"], "upgrade-insecure-requests": true}',
        CSP_REPORT_URI="https://reports.example.net/csp",
        CSP_REPORT_ONLY="1",
        **PRODUCTION,
    )
    enforced, report_only = (part.strip() for part in out.stdout.split("|"))
    assert enforced == "", out.stderr
    assert "img-src 'self' data: https://maps.example.net;" in report_only
    assert "; upgrade-insecure-requests; report-uri https://reports.example.net/csp" in report_only


def test_the_policy_cannot_be_loosened_to_inline_code_from_the_environment():
    out = _load_settings(
        "amtsweg.settings.production", CSP_EXTRA_SOURCES='{"script-src": ["\'unsafe-inline\'"]}', **PRODUCTION
    )
    assert out.returncode != 0
    assert "CSP_EXTRA_SOURCES cannot allow 'unsafe-inline' (script-src)" in out.stderr


def test_a_wrong_metrics_network_refuses_to_start():
    out = _load_settings("amtsweg.settings.base", METRICS_ALLOWED_NETWORKS="10.0.5.0/24,monitoring.example.org")
    assert out.returncode != 0
    assert "METRICS_ALLOWED_NETWORKS" in out.stderr


def test_production_answers_the_health_check_and_the_metrics_over_http():
    # The load balancer and Prometheus may call the app servers directly, without TLS.
    show = "json.dumps(settings.SECURE_REDIRECT_EXEMPT)"
    out = _load_settings(
        "amtsweg.settings.production", show=show, SECRET_KEY="x" * 50, ALLOWED_HOSTS="portal.example.org"
    )
    assert out.returncode == 0, out.stderr
    exempt = json.loads(out.stdout.strip().splitlines()[-1])
    assert any(re.match(pattern, "metrics") for pattern in exempt)
    assert any(re.match(pattern, "healthz") for pattern in exempt)

"""Tests that guard the shape of the system itself."""

from pathlib import Path

from django.conf import settings
from django.contrib import admin
from django.tasks import Task
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation
from django.utils.module_loading import import_string

ROOT = Path(__file__).resolve().parents[1]


def test_every_admin_model_page_requires_login(client, db):
    for model in admin.site._registry:
        url = f"/intern/admin/{model._meta.app_label}/{model._meta.model_name}/"
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def test_citizen_urls_use_slugs_or_uuids_never_database_ids():
    for route, _pattern in _walk(get_resolver().url_patterns):
        if route.startswith(("intern/admin/", "^intern/admin/")) or "admin" in route:
            continue
        assert "<int:" not in route and "<pk>" not in route, route


def test_no_template_has_an_untranslated_english_heading():
    """A cheap guard: headings in templates go through {% translate %} (legal pages are per language)."""
    offenders = []
    for path in (ROOT / "amtsweg" / "templates").rglob("*.html"):
        if "legal" in path.parts:
            continue
        for line in path.read_text().splitlines():
            if "<h1" in line or "<h2" in line:
                inner = line.split(">", 1)[1] if ">" in line else ""
                if inner and inner[0].isalpha() and "{%" not in inner and "{{" not in inner:
                    offenders.append(f"{path.name}: {line.strip()}")
    assert offenders == []


# The periodic jobs that run_scheduled queued by name before it read them from settings.SCHEDULED_TASKS.
PERIODIC_TASKS = {
    "amtsweg.appointments.tasks.appointments_housekeeping_task",
    "amtsweg.payments.tasks.payment_reconcile_task",
    "amtsweg.cases.retention.retention_run_task",
    "amtsweg.feedback.tasks.feedback_housekeeping_task",
}


def test_every_scheduled_task_is_an_importable_task():
    for path in settings.SCHEDULED_TASKS:
        assert isinstance(import_string(path), Task), path


def test_every_periodic_job_is_scheduled():
    assert PERIODIC_TASKS - set(settings.SCHEDULED_TASKS) == set()


# Not citizen pages: the back office and its admin, the health check and the monitoring's metrics, the
# benchmarks' baselines, and the demo providers' stand-ins for an outside site (an identity provider, a payment
# provider's page).
NOT_CITIZEN_PREFIXES = ("intern/", "healthz", "metrics", "_bench/")
NOT_CITIZEN_NAMESPACES = {"admin", "demo_idp", "payments_demo"}


def _walk_with_namespace(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = ":".join(part for part in (namespace, p.namespace) if part)
            yield from _walk_with_namespace(p.url_patterns, prefix + str(p.pattern), inner)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), namespace, p


def _citizen_urls():
    with translation.override(settings.LANGUAGE_CODE):  # the routes without a language prefix
        urls = list(_walk_with_namespace(get_resolver().url_patterns))
    return [
        (route, namespace, pattern)
        for route, namespace, pattern in urls
        if not route.startswith(NOT_CITIZEN_PREFIXES) and namespace.split(":")[0] not in NOT_CITIZEN_NAMESPACES
    ]


def test_every_citizen_url_is_gated_or_declared_public():
    """A view reached by citizens declares the trust-level gate it needs, or that it is public (core.trustgate)."""
    from amtsweg.core.trustgate import trust_gate_of

    urls = _citizen_urls()
    undeclared = [
        f"{route} ({namespace}:{pattern.name}, {pattern.callback.__module__}.{pattern.callback.__qualname__})"
        for route, namespace, pattern in urls
        if trust_gate_of(pattern.callback) is None
    ]
    assert undeclared == []
    assert len(urls) > 40  # the walk sees the citizen pages, not an empty URLconf


def test_a_gated_view_has_the_url_argument_its_gate_reads():
    """A gate that found no service would let everyone in: the form gate needs the slug, the status gate the uuid,
    from the URL or fixed in the pattern's arguments (``path(..., {"slug": ...})``)."""
    import re

    from amtsweg.core.trustgate import Gate, trust_gate_of

    needs = {Gate.FORM: "slug", Gate.SUBMISSION: "uuid"}
    wrong = []
    for route, _namespace, pattern in _citizen_urls():
        gate = trust_gate_of(pattern.callback)
        if gate is None or gate.by not in needs:
            continue
        name = needs[gate.by]
        if not re.search(rf"<(\w+:)?{name}>", route) and not pattern.default_args.get(name):
            wrong.append(f"{route}: {gate.by} gate without <{name}>")
    assert wrong == []

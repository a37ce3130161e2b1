"""Production refuses the demo provider outside demo mode, and GiroCheckout without its secrets."""

from tests.core.test_settings import _load_settings

PRODUCTION = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "portal.example.org"}


def test_production_refuses_the_demo_provider():
    out = _load_settings("amtsweg.settings.production", PAYMENT_PROVIDER="demo", **PRODUCTION)
    assert out.returncode != 0 and "demo payment provider" in out.stderr


def test_production_demo_mode_needs_a_demo_secret():
    out = _load_settings("amtsweg.settings.production", PAYMENT_PROVIDER="demo", AMTSWEG_DEMO_MODE="1", **PRODUCTION)
    assert out.returncode != 0 and "PAYMENT_DEMO_SECRET" in out.stderr


def test_production_refuses_girocheckout_without_its_secret():
    out = _load_settings(
        "amtsweg.settings.production",
        PAYMENT_PROVIDER="girocheckout",
        GIROCHECKOUT_MERCHANT_ID="1",
        GIROCHECKOUT_PROJECT_ID="2",
        **PRODUCTION,
    )
    assert out.returncode != 0 and "GIROCHECKOUT_SECRET" in out.stderr


def test_production_has_no_payment_provider_unless_one_is_set():
    out = _load_settings("amtsweg.settings.production", **PRODUCTION)
    assert out.returncode == 0, out.stderr

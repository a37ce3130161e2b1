"""Trust levels per service: the gate, data from the ID locked in the form, session limits, the account."""

import dataclasses
import datetime

import pytest
from django.test import RequestFactory

from amtsweg.applications.models import Submission
from amtsweg.catalogue.models import Service
from amtsweg.identity.base import IdentityRejected
from amtsweg.identity.services import citizen_login_finish, login_pending_start
from tests.applications.conftest import date_parts
from tests.identity.helpers import ADULT, log_in

pytestmark = pytest.mark.django_db
BASE = "/antrag/meldebescheinigung/"
BASIC = dataclasses.replace(ADULT, provider="email", subject="mail-hash", trust_level="basic", email="e@example.org")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def test_a_high_service_asks_an_anonymous_citizen_to_log_in_with_the_eid(client, forms):
    assert client.get(BASE).status_code == 200  # what is needed can be read before logging in
    response = client.post(BASE)
    html = response.content.decode()
    assert response.status_code == 401
    assert "Bitte melden Sie sich an" in html and "Nötig: Hoch: Online-Ausweis" in html
    assert "E-Mail-Link" not in html  # an email link cannot reach "high"
    assert "Mit BundID anmelden" in html and 'name="level" value="high"' in html


def test_a_basic_login_is_not_enough_for_a_high_service(client, forms):
    log_in(client, BASIC)
    response = client.post(BASE)
    assert response.status_code == 403
    assert "höhere" in response.content.decode()


def test_the_form_steps_and_check_page_are_gated_too(client, forms):
    for path in (f"{BASE}schritt/person/", f"{BASE}pruefen/", f"{BASE}speichern/"):
        assert client.get(path).status_code == 401


def test_services_without_a_level_need_no_login(client, forms):
    assert client.post("/antrag/sterbefall-voranzeige/").status_code == 302


def high_birth_certificate():
    """A Geburtsurkunde at level "high": a form whose applicant's name and birth date come from the ID."""
    Service.objects.filter(slug="geburtsurkunde").update(trust_level="high")
    return "/antrag/geburtsurkunde/"


def test_data_from_the_id_fills_the_form_locked_and_cannot_be_changed(client, forms):
    from tests.civil_status.ordering import birth_certificate_steps, name

    base = high_birth_certificate()
    account = log_in(client)
    assert client.post(base).status_code == 302
    client.post(f"{base}schritt/relationship/", {"relationship": "self", "action": "continue"})
    client.post(f"{base}schritt/adoption/", {"adopted": "no", "action": "continue"})
    html = client.get(f"{base}schritt/applicant/").content.decode()
    assert 'value="Erika"' in html and 'value="Mustermann"' in html and "readonly" in html
    assert "Aus Ihrem Ausweis" in html
    # A changed page posts other values: they are ignored.
    forged = {
        **name("applicant_name", "Mallory", "Fake"),
        **date_parts("applicant_birth_date", datetime.date(2000, 1, 1)),
        "email": "erika@example.org",
        "phone": "",
        "action": "continue",
    }
    assert client.post(f"{base}schritt/applicant/", forged).status_code == 302
    for key, data in birth_certificate_steps()[3:]:
        assert client.post(f"{base}schritt/{key}/", {**data, "action": "continue"}).status_code == 302, key
    client.post(f"{base}pruefen/", {"declaration": "yes"})
    submission = Submission.objects.get()
    assert submission.answers["applicant_name"]["given_names"] == "Erika"
    assert submission.answers["applicant_birth_date"] == "1964-08-12"
    assert (submission.trust_level, submission.identity_provider, submission.account) == ("high", "bundid", account)


@pytest.mark.parametrize(("login_ago", "seen_ago"), [(31 * 60, 0), (10 * 60, 6 * 60)])
def test_a_high_session_ends_after_30_minutes_or_5_idle(client, forms, login_ago, seen_ago):
    log_in(client, login_ago=login_ago, seen_ago=seen_ago)
    response = client.post(BASE)
    assert response.status_code == 401
    assert "Sitzung" in response.content.decode()
    assert "identity" not in client.session


def test_a_basic_session_lasts_longer_than_a_high_one(client, forms):
    Service.objects.filter(slug="meldebescheinigung").update(trust_level="basic")
    log_in(client, BASIC, login_ago=2 * 3600, seen_ago=20 * 60)
    assert client.post(BASE).status_code == 302


def test_status_page_of_a_high_service_needs_the_level(client, forms):
    from tests.civil_status.ordering import birth_certificate_steps, walk

    base = high_birth_certificate()
    log_in(client)
    walk(client, base, birth_certificate_steps())
    client.post(f"{base}pruefen/", {"declaration": "yes"})
    submission = Submission.objects.get()
    assert client.get(f"/status/{submission.uuid}/").status_code == 200
    session = client.session
    session.pop("identity")
    session.save()
    assert client.get(f"/status/{submission.uuid}/").status_code == 401


def test_the_form_and_status_pages_declare_the_gate_and_the_rest_of_the_journey_is_public():
    """What each page of the applications journey declares (core.trustgate); the middleware enforces it."""
    from amtsweg.applications.urls import urlpatterns
    from amtsweg.core.trustgate import Gate, TrustGate, trust_gate_of

    form, status = TrustGate(by=Gate.FORM), TrustGate(by=Gate.SUBMISSION)
    assert {pattern.name: trust_gate_of(pattern.callback) for pattern in urlpatterns} == {
        "start": TrustGate(by=Gate.FORM, methods=frozenset({"POST"})),  # readable before logging in
        "step": form,
        "save": form,
        "check": form,
        "documents": form,
        "confirmation": status,
        "summary_pdf": status,
        "status": status,
        "status_file": status,
        "status_upload": status,
        "status_checklist_upload": status,
        "resume": TrustGate(by=Gate.PUBLIC),
        "status_lookup": TrustGate(by=Gate.PUBLIC),
        "status_link": TrustGate(by=Gate.PUBLIC),
    }


def _request_with_session(client):
    request = RequestFactory().get("/")
    request.session = client.session
    return request


def test_login_rotates_the_session_id_and_refuses_a_lower_level(client, forms):
    request = _request_with_session(client)
    login_pending_start(request=request, provider="email", level="high", next_url="/")
    with pytest.raises(IdentityRejected, match="lower"):
        citizen_login_finish(request=request, identity=BASIC)
    request = _request_with_session(client)
    request.session.save()
    before = request.session.session_key
    login_pending_start(request=request, provider="bundid", level="high", next_url="/mein-amtsweg/")
    response = citizen_login_finish(request=request, identity=ADULT)
    assert response["Location"] == "/mein-amtsweg/"
    assert request.session.session_key != before
    assert request.session["identity"]["subject"] == "bpk2-erika"


def test_an_answer_without_a_started_login_is_refused(client):
    with pytest.raises(IdentityRejected, match="no login was started"):
        citizen_login_finish(request=_request_with_session(client), identity=ADULT)


def test_account_shows_own_applications_and_deleting_it_keeps_them(client, forms):
    from tests.applications.factories import SubmissionFactory

    account = log_in(client)
    mine = SubmissionFactory(account=account, reference="KS-2026-000777-1")
    SubmissionFactory(reference="KS-2026-000778-8")  # someone else's
    html = client.get("/mein-amtsweg/").content.decode()
    assert "KS-2026-000777-1" in html and "KS-2026-000778-8" not in html
    response = client.post("/mein-amtsweg/loeschen/")
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.account is None and mine.reference == "KS-2026-000777-1"
    assert "identity" not in client.session


def test_account_page_asks_for_a_login(client):
    assert client.get("/mein-amtsweg/").status_code == 401


def test_a_definition_field_cannot_take_identity_data_of_another_kind():
    from amtsweg.applications.formengine.definition import DefinitionError, parse_definition

    definition = {
        "service": "x",
        "version": 1,
        "title": {"de": "T", "en": "T"},
        "steps": [
            {
                "key": "s",
                "title": {"de": "S", "en": "S"},
                "fields": [{"key": "d", "type": "date", "label": {"de": "D", "en": "D"}, "from_identity": "address"}],
            }
        ],
    }
    with pytest.raises(DefinitionError, match="from_identity"):
        parse_definition(definition)


def test_production_refuses_the_demo_identity_provider_and_bundid_without_keys():
    from tests.core.test_settings import _load_settings

    production = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "portal.example.org"}
    out = _load_settings("amtsweg.settings.production", IDENTITY_DEMO_IDP="1", **production)
    assert out.returncode != 0 and "demo identity provider" in out.stderr
    out = _load_settings("amtsweg.settings.production", IDENTITY_PROVIDERS="bundid,email", **production)
    assert out.returncode != 0 and "BUNDID_SP_KEY_FILE" in out.stderr
    out = _load_settings("amtsweg.settings.production", IDENTITY_PROVIDERS="email", **production)
    assert out.returncode == 0, out.stderr


def test_account_lists_documents_and_the_receipt_of_a_paid_fee(client, forms):
    from tests.payments.factories import paid_payment

    account = log_in(client)
    payment = paid_payment(submission__account=account)
    html = client.get("/mein-amtsweg/").content.decode()
    assert payment.submission.reference in html
    assert f"/zahlung/{payment.uuid}/quittung.pdf" in html

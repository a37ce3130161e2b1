import pytest

from amtsweg.catalogue.models import Department, Fee, Location, Referral, Service
from amtsweg.catalogue.services import catalogue_load_seed
from tests.conftest import kassel_seed

PRESS_RELEASE_SERVICES = {
    "geburtsurkunde",
    "eheurkunde",
    "lebenspartnerschaftsurkunde",
    "sterbeurkunde",
    "eheschliessung-anmelden",
    "einbuergerung-voranfrage",
    "sterbefall-voranzeige",
    "kirchenaustritt",
    "meldebescheinigung",
    "melderegisterauskunft",
    "auskunftssperre",
    "uebermittlungssperre",
    "untersuchungsberechtigungsschein",
    "nebenwohnung-abmelden",
    "zuwanderung-kontakt",
    "kfz-neuzulassung",
    "kfz-ausserbetriebsetzung",
    "kfz-umschreibung",
    "kfz-wiederzulassung",
}


def test_seed_has_every_service_of_the_press_release(kassel):
    assert set(Service.objects.values_list("slug", flat=True)) >= PRESS_RELEASE_SERVICES
    assert set(Department.objects.values_list("slug", flat=True)) == {
        "standesamt",
        "buergerbuero",
        "zuwanderung",
        "kfz",
    }
    assert {"kfz-kassel", "kfz-baunatal", "kfz-hofgeismar", "kfz-wolfhagen", "standesamt", "zuwanderung"} <= set(
        Location.objects.values_list("slug", flat=True)
    )


def test_loading_twice_changes_nothing(kassel):
    counts = [Model.objects.count() for Model in (Department, Location, Service, Fee, Referral)]
    report = catalogue_load_seed(data=kassel_seed())
    assert report.created == {}
    assert [Model.objects.count() for Model in (Department, Location, Service, Fee, Referral)] == counts


def test_loading_again_keeps_admin_edits_unless_asked_to_update(kassel):
    Service.objects.filter(slug="kirchenaustritt").update(name_de="Geändert")
    catalogue_load_seed(data=kassel_seed())
    assert Service.objects.get(slug="kirchenaustritt").name_de == "Geändert"
    catalogue_load_seed(data=kassel_seed(), update=True)
    assert Service.objects.get(slug="kirchenaustritt").name_de == "Kirchenaustritt"


REQUIRED_TEXTS = ["name", "summary", "description", "eligibility", "requirements", "processing_time", "result_delivery"]


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_service_text_exists_in_both_languages(kassel, language):
    for service in Service.objects.all():
        for field in REQUIRED_TEXTS:
            assert getattr(service, f"{field}_{language}").strip(), f"{service.slug}.{field}_{language} is empty"
        for fee in service.fees.all():
            assert getattr(fee, f"label_{language}").strip()
    for location in Location.objects.all():
        assert getattr(location, f"name_{language}").strip()


def test_every_service_has_department_trust_level_and_locations(kassel):
    for service in Service.objects.all():
        assert service.trust_level in {"none", "basic", "substantial", "high"}
        assert service.locations.exists(), service.slug


def test_vehicle_services_need_the_online_id_and_say_2015(kassel):
    for service in Service.objects.filter(department__slug="kfz"):
        assert service.trust_level == "high"
        assert "2015" in service.online_restriction_de and "2015" in service.online_restriction_en


def test_fees_are_whole_cents_with_a_valid_from_date(kassel):
    for fee in Fee.objects.all():
        assert isinstance(fee.amount_cents, int)
        assert fee.valid_from is not None


@pytest.mark.parametrize(
    ("key", "model"),
    [("departments", Department), ("locations", Location), ("services", Service), ("referrals", Referral)],
)
def test_every_text_of_the_seed_reaches_its_column_in_each_language(kassel, key, model):
    """The loader takes the translated fields from translation.py: a {de, en} text is never dropped."""
    for entry in kassel_seed()[key]:
        row = model.objects.get(slug=entry["slug"])
        for name, value in entry.items():
            if isinstance(value, dict) and set(value) == {"de", "en"}:
                for language, text in value.items():
                    assert getattr(row, f"{name}_{language}") == (text or "").strip(), f"{entry['slug']}.{name}"

"""The shipped form definitions: each service family's ``forms/*.yaml``, found across the installed apps."""

import datetime
from pathlib import Path

import pytest
import yaml

from amtsweg.applications.models import FormVersion
from amtsweg.applications.services import form_definitions_load
from amtsweg.cases.models import ProcessingRule

ROOT = Path(__file__).resolve().parents[2]


def _shipped() -> dict[str, dict]:
    files = sorted((ROOT / "amtsweg").glob("*/forms/*.yaml"))
    return {data["service"]: data for data in (yaml.safe_load(path.read_text(encoding="utf-8")) for path in files)}


def test_the_family_folders_hold_the_forms_of_the_standesamt_and_the_buergerbuero():
    found: dict[str, set[str]] = {}
    for path in (ROOT / "amtsweg").glob("*/forms/*.yaml"):
        found.setdefault(path.parent.parent.name, set()).add(path.stem)
    assert found == {
        "civil_status": {
            "geburtsurkunde",
            "eheurkunde",
            "lebenspartnerschaftsurkunde",
            "sterbeurkunde",
            "eheschliessung-anmelden",
            "sterbefall-voranzeige",
            "kirchenaustritt",
            "einbuergerung-voranfrage",
        },
        "residents": {
            "auskunftssperre",
            "meldebescheinigung",
            "melderegisterauskunft",
            "nebenwohnung-abmelden",
            "untersuchungsberechtigungsschein",
        },
        "immigration": {"zuwanderung-kontakt"},
        "vehicles": {"kfz-ausserbetriebsetzung", "kfz-neuzulassung", "kfz-umschreibung", "kfz-wiederzulassung"},
    }


def test_every_shipped_form_is_published_with_its_processing_rule(forms):
    shipped = _shipped()
    assert set(FormVersion.objects.filter(published=True).values_list("service__slug", flat=True)) == set(shipped)
    for slug, data in shipped.items():
        rule = ProcessingRule.objects.get(service__slug=slug)
        processing = data["processing"]
        assert rule.valid_from == datetime.date.fromisoformat(str(processing["valid_from"]))
        assert rule.deadline_days == processing.get("deadline_days", 10), slug
        assert rule.retention_days == processing.get("retention_days", 180), slug
        assert rule.extra_states == processing.get("extra_states", []), slug


def test_loading_again_changes_nothing_and_keeps_an_admins_change_to_the_rule(forms):
    ProcessingRule.objects.filter(service__slug="meldebescheinigung").update(deadline_days=42)
    versions = FormVersion.objects.count()

    assert form_definitions_load() == []

    assert FormVersion.objects.count() == versions
    assert ProcessingRule.objects.get(service__slug="meldebescheinigung").deadline_days == 42


def test_two_files_for_one_service_are_refused(kassel, tmp_path):
    source = ROOT / "amtsweg" / "residents" / "forms" / "meldebescheinigung.yaml"
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")

    with pytest.raises(ValueError, match="meldebescheinigung"):
        form_definitions_load(directories=[tmp_path / "one", tmp_path / "two"])

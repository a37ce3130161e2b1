"""The residents'-register adapter against the demo register, a separate HTTP service (BMeldDigiV § 4, audit)."""

import dataclasses
import datetime

import pytest

from amtsweg.identity.contrib.demo.views import person_identity
from amtsweg.identity.demo_idp.idp import person
from amtsweg.residents.models import RegisterRead
from amtsweg.residents.register import fields
from amtsweg.residents.register.base import Address, PersonQuery, RegisterRefused, RegisterUnavailable
from amtsweg.residents.services import (
    SelfLookup,
    register_block_file,
    register_block_withdraw,
    register_plugin,
    register_read,
    register_represented,
    register_secondary_residence_end,
    register_self_lookup,
)

from .conftest import stored

pytestmark = pytest.mark.django_db


def identity(key, **changes):
    return dataclasses.replace(person_identity(person(key)), **changes)


def test_a_resident_with_the_eid_is_found_by_an_exact_match(demo_register):
    result = register_self_lookup(identity=identity("kassel-adult"))
    assert (result.outcome, result.person_id) == (SelfLookup.FOUND, "P-0001")
    # Case and spacing as the eID writes them do not matter; a different letter does.
    shouted = identity("kassel-adult", family_name="MUSTERMANN", given_names=" Erika ")
    assert register_self_lookup(identity=shouted).outcome == SelfLookup.FOUND


@pytest.mark.parametrize(
    "change",
    [
        {"birth_date": "1984-08-13"},
        {"given_names": "Erica"},
        {"house_number": "14"},
        {"street": "Friedrich-Ebert-Str."},
    ],
)
def test_any_difference_between_the_eid_and_the_register_is_a_mismatch(demo_register, change):
    assert register_self_lookup(identity=identity("kassel-adult", **change)).outcome == SelfLookup.MISMATCH


def test_reading_about_oneself_needs_the_eid_at_level_high(demo_register):
    assert register_self_lookup(identity=None).outcome == SelfLookup.LEVEL_TOO_LOW
    assert register_self_lookup(identity=identity("kassel-adult", trust_level="substantial")).outcome == (
        SelfLookup.LEVEL_TOO_LOW
    )


def test_someone_whose_main_residence_is_elsewhere_is_not_the_citys_resident(demo_register):
    assert register_self_lookup(identity=identity("other-city")).outcome == SelfLookup.NOT_RESIDENT


def test_a_read_gives_only_the_items_asked_for_and_is_audited(demo_register, django_user_model):
    record = register_read(
        person_id="P-0001", items=[fields.FAMILY_NAME, fields.BIRTH_DATE], purpose="meldebescheinigung"
    )
    assert dict(record.items) == {fields.FAMILY_NAME: "Mustermann", fields.BIRTH_DATE: "1984-08-12"}
    clerk = django_user_model.objects.create_user(username="anna", password="x" * 12)
    register_read(person_id="P-0004", items=[fields.MAIN_ADDRESS], purpose="case KS-1", actor=clerk)
    system, staff = RegisterRead.objects.order_by("id")
    assert (system.actor_label, system.person_id, system.items, system.purpose) == (
        "system",
        "P-0001",
        "0101,0601",
        "meldebescheinigung",
    )
    assert (staff.actor, staff.actor_label, staff.items) == (clerk, "anna", "1201")
    with pytest.raises(Exception, match="append-only"):
        staff.save()


def test_a_parent_may_act_for_the_minor_children_of_the_household(demo_register):
    assert sorted(register_represented(person_id="P-0001")) == ["P-0002", "P-0003"]
    assert register_represented(person_id="P-0002") == []


def test_a_blocking_is_written_to_the_register_and_withdrawn(demo_register):
    until = datetime.date(2028, 12, 31)
    register_block_file(person_id="P-0004", kind="50-3", until=until)
    assert {"kind": "50-3", "until": "2028-12-31"} in stored(demo_register)["P-0004"][fields.BLOCKS]
    record = register_read(person_id="P-0004", items=[fields.BLOCKS], purpose="test")
    assert record.get(fields.BLOCKS) == [{"kind": "50-3", "until": "2028-12-31"}]
    register_block_withdraw(person_id="P-0004", kind="50-3")
    assert not stored(demo_register)["P-0004"].get(fields.BLOCKS)


def test_a_move_out_of_a_registered_secondary_residence_is_recorded_and_another_is_refused(demo_register):
    kassel = Address(street="Wilhelmshöher Allee", house_number="19", postcode="34117", town="Kassel")
    register_secondary_residence_end(person_id="P-0005", address=kassel, moved_out_on=datetime.date(2026, 11, 30))
    jonas = stored(demo_register)["P-0005"]
    assert not jonas.get(fields.SECONDARY_ADDRESSES)
    assert {**kassel.as_dict(), "moved_out_on": "2026-11-30"} in jonas["former_addresses"]
    with pytest.raises(RegisterRefused):
        register_secondary_residence_end(person_id="P-0005", address=kassel, moved_out_on=datetime.date(2026, 12, 1))


def test_a_search_finds_several_persons_unless_more_items_tell_them_apart(demo_register):
    house = Address(street="Frankfurter Straße", house_number="77", postcode="34121", town="Kassel")
    plugin = register_plugin()
    assert (
        len(plugin.person_search(query=PersonQuery(family_name="Schneider", given_names="Thomas", address=house))) == 2
    )
    unique = PersonQuery(
        family_name="Schneider", given_names="Thomas", address=house, birth_date=datetime.date(1988, 7, 9)
    )
    assert plugin.person_search(query=unique) == ["P-0008"]
    # One of several given names is enough to look for.
    assert plugin.person_search(query=PersonQuery(family_name="Mustermann", given_names="Sophie")) == ["P-0003"]


def test_a_register_that_is_down_or_refuses_our_token_is_unavailable(demo_register, settings):
    config = settings.RESIDENTS_REGISTER["providers"]["demo"]
    settings.RESIDENTS_REGISTER = {**settings.RESIDENTS_REGISTER, "providers": {"demo": {**config, "token": "wrong"}}}
    with pytest.raises(RegisterUnavailable):
        register_plugin().represented(person_id="P-0001")
    settings.RESIDENTS_REGISTER = {
        **settings.RESIDENTS_REGISTER,
        "providers": {"demo": {**config, "url": "http://127.0.0.1:9"}},
    }
    with pytest.raises(RegisterUnavailable):
        register_plugin().represented(person_id="P-0001")


def test_an_unknown_person_is_refused(demo_register):
    with pytest.raises(RegisterRefused):
        register_plugin().person_read(person_id="P-9999", items=[fields.FAMILY_NAME])


def test_production_has_no_register_by_default_and_refuses_the_demo_one():
    from tests.core.test_settings import _load_settings

    production = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "portal.example.org"}
    out = _load_settings(
        "amtsweg.settings.production", show="repr(settings.RESIDENTS_REGISTER['provider'])", **production
    )
    assert out.returncode == 0 and out.stdout.strip() == "''", out.stderr
    out = _load_settings("amtsweg.settings.production", RESIDENTS_REGISTER_PROVIDER="demo", **production)
    assert out.returncode != 0 and "demo residents' register" in out.stderr
    demo = {**production, "AMTSWEG_DEMO_MODE": "1", "RESIDENTS_REGISTER_PROVIDER": "demo"}
    out = _load_settings("amtsweg.settings.production", **demo)
    assert out.returncode != 0 and "RESIDENTS_REGISTER_DEMO_TOKEN" in out.stderr  # no default token in production


def test_the_register_audit_is_kept_for_its_days_then_deleted(demo_register, settings):
    from django.utils import timezone

    from amtsweg.residents.tasks import register_reads_prune

    register_read(person_id="P-0001", items=[fields.FAMILY_NAME], purpose="test")
    now = timezone.now()
    assert register_reads_prune(now=now + datetime.timedelta(days=settings.RESIDENTS_REGISTER["audit_days"] - 1)) == 0
    assert register_reads_prune(now=now + datetime.timedelta(days=settings.RESIDENTS_REGISTER["audit_days"] + 1)) == 1
    assert not RegisterRead.objects.exists()


def test_make_runs_commands_write_the_persons_and_serve_them_as_a_separate_process(tmp_path, settings):
    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    from django.core.management import call_command

    from tests.test_setup import _free_port

    data = tmp_path / "register.json"
    port = _free_port()
    config = {"url": f"http://127.0.0.1:{port}", "token": "process-token", "data": str(data)}
    settings.RESIDENTS_REGISTER = {**settings.RESIDENTS_REGISTER, "provider": "demo", "providers": {"demo": config}}
    call_command("load_register_demo")
    assert len(stored(data)) >= 8
    env = {
        **os.environ,
        "AMTSWEG_DEMO_MODE": "1",
        "RESIDENTS_REGISTER_DEMO_URL": config["url"],
        "RESIDENTS_REGISTER_DEMO_TOKEN": config["token"],
        "RESIDENTS_REGISTER_DEMO_DATA": str(data),
    }
    root = Path(__file__).resolve().parents[2]
    server = subprocess.Popen([sys.executable, "manage.py", "demo_register"], cwd=root, env=env)
    try:
        for _ in range(100):
            try:
                found = register_self_lookup(identity=identity("kassel-adult"))
                break
            except RegisterUnavailable:
                time.sleep(0.1)
        assert found.person_id == "P-0001"
    finally:
        server.terminate()
        server.wait(timeout=10)

"""The demo vehicle registry's plugin against the demo registry, a separate HTTP service (seed.py's vehicles)."""

import dataclasses
import datetime
import json
import re
import uuid

import pytest

from amtsweg.vehicles.codes import seal_code_valid, zb1_code_valid, zb2_code_valid, zb2_number_valid
from amtsweg.vehicles.constants import CODES_SINCE, Item, Outcome, ReasonCode, Transaction, TransferVariant
from amtsweg.vehicles.constants import VehicleStatus as Status
from amtsweg.vehicles.ikfz.base import Application, Keeper, RegistryRefused, RegistryUnavailable
from amtsweg.vehicles.ikfz.contrib.demo import seed
from amtsweg.vehicles.ikfz.contrib.demo.plugin import DemoVehicleRegistry
from amtsweg.vehicles.services import registry_plugin

ERIKA = Keeper(
    family_name="Mustermann",
    given_names="Erika",
    birth_date=datetime.date(1984, 8, 12),
    street="Friedrich-Ebert-Straße",
    house_number="12",
    postcode="34117",
    town="Kassel",
)
MAX = dataclasses.replace(ERIKA, given_names="Max", birth_date=datetime.date(1982, 3, 14))
AMIRA = Keeper(
    family_name="Haddad",
    given_names="Amira",
    birth_date=datetime.date(1991, 3, 5),
    street="Holländische Straße",
    house_number="44",
    postcode="34127",
    town="Kassel",
)
LENA = Keeper(
    family_name="Schäfer",
    given_names="Lena",
    birth_date=datetime.date(1990, 6, 2),
    street="Marktstraße",
    house_number="3",
    postcode="34369",
    town="Hofgeismar",
)
GOLF = {  # V-0001, Erika's: the deregistration's happy path
    Item.PLATE: "KS-EM 812",
    Item.ZB1_CODE: "K4mT7pX",
    Item.SEAL_FRONT: "a7K",
    Item.SEAL_REAR: "Rt3",
}
CORSA = {  # V-0002, Erika's, off the road with KS-EM 2020 reserved
    Item.VIN: "W0LPD6EB9K8020002",
    Item.ZB2_NUMBER: "EM2018002",
    Item.ZB2_CODE: "Xb4Rt8Mn2Kp6",
    Item.EVB: "K7M3N2P",
    Item.INSPECTION_DUE: "2027-05-31",
}
ID3 = {  # V-0005, new
    Item.VIN: "WVWZZZE1ZRP050005",
    Item.ZB2_NUMBER: "NZ2026005",
    Item.ZB2_CODE: "Fn6Tq2Xc8Hv6",
    Item.EVB: "R4S8T6U",
}
BMW = {  # V-0006, Max's, sold to Erika
    Item.PLATE: "KS-MM 314",
    Item.ZB2_NUMBER: "MM3140006",
    Item.ZB2_CODE: "Jc5Vw9Nk3Rd9",
    Item.EVB: "EVB2026",
}
RANDOM_PLATE = re.compile(r"^(KS|HOG|WOH)-[A-Z]{2} [1-9]\d{1,3}$")

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(demo_vehicle_registry_server):
    return registry_plugin()


def send(registry, *, keeper=ERIKA, transaction=Transaction.DEREGISTRATION, items=GOLF, variant="", key=None, **more):
    application = Application(
        key=key or str(uuid.uuid4()),
        reference="KS-2026-000123",
        transaction=transaction,
        variant=variant,
        office="kassel",
        keeper=keeper,
        items={**items, **more},
    )
    return registry.application_send(application=application)


def vehicle(server, vehicle_id):
    return server.read()["vehicles"][vehicle_id]


# --- the seed ------------------------------------------------------------------------------------------


def test_every_code_in_the_demo_data_is_valid_in_format():
    data = seed.registry_data()
    for vehicle_id, record in data["vehicles"].items():
        assert re.fullmatch(r"[A-HJ-NPR-Z0-9]{17}", record["vin"]), vehicle_id
        assert not record["zb1_code"] or zb1_code_valid(record["zb1_code"])
        assert not record["seal_front"] or seal_code_valid(record["seal_front"])
        assert not record["seal_rear"] or seal_code_valid(record["seal_rear"])
        assert zb2_number_valid(record["zb2_number"])
        assert not record["zb2_code"] or zb2_code_valid(record["zb2_code"])
        # The module's table shows the values the tests and docs rely on.
        for value in (record["vin"], record["zb1_code"], record["zb2_number"], record["zb2_code"]):
            assert value in seed.__doc__
    for number in data["evb"]:
        assert re.fullmatch(r"[A-HJ-NP-Z0-9]{7}", number) and number in seed.__doc__


def test_the_servers_copied_names_are_those_of_the_constants():
    from amtsweg.vehicles.constants import CODES_SINCE, Outcome, ReasonCode, Transaction, TransferVariant
    from amtsweg.vehicles.ikfz.contrib.demo import server

    assert {server.REGISTERED, server.OFF_ROAD, server.NEW, server.UNKNOWN} == set(Status.values)
    assert {server.APPROVED, server.REFUSED, server.REVIEW} == set(Outcome.values)
    assert set(server.STATE_FOR) == set(Transaction.values)
    assert {server.KEEPER_CHANGE, server.ADDRESS_CHANGE, server.MOVE_IN} == set(TransferVariant.values)
    reasons = {server.CODE_WRONG, server.NOT_KEEPER, server.BEFORE_2015, server.VEHICLE_STATE, server.EVB_INVALID}
    assert reasons | {server.PLATE_TAKEN, server.UNKNOWN_VEHICLE, server.SEPA, server.MANUAL} == set(ReasonCode.values)
    assert set(server.CODE_ITEMS) <= set(Item.values) and CODES_SINCE.isoformat() == server.CODES_SINCE


def test_the_keepers_are_the_demo_eid_persons(registry):
    from amtsweg.identity.demo_idp.idp import person

    lena = person("landkreis")
    assert (lena.name, lena.birth_date, lena.postal_address, lena.postcode, lena.town, lena.level) == (
        "Lena Schäfer",
        "1990-06-02",
        "Marktstraße 3",
        "34369",
        "Hofgeismar",
        "high",
    )
    assert registry.vehicle_check(keeper=LENA, plate="KS-LS 690").keeper_matches


# --- vehicle_check and plate_check ------------------------------------------------------------------------


def test_the_vehicle_check_tells_each_demo_vehicles_state(registry):
    golf = registry.vehicle_check(keeper=ERIKA, plate="KS-EM 812")
    assert golf.status == Status.REGISTERED and golf.keeper_matches
    assert (golf.plate, golf.make, golf.last_registered_on) == (
        "KS-EM 812",
        "Volkswagen Golf",
        datetime.date(2021, 4, 15),
    )
    assert not golf.inspection_missing and golf.reserved_plate == ""
    # Off the road: found by its VIN or its last plate, with the plate reserved for her and no HU on record.
    corsa = registry.vehicle_check(keeper=ERIKA, vin="W0LPD6EB9K8020002")
    assert (corsa.status, corsa.keeper_matches, corsa.reserved_plate) == (Status.OFF_ROAD, True, "KS-EM 2020")
    assert corsa.inspection_missing
    assert registry.vehicle_check(keeper=ERIKA, plate="ks-em 2020").status == Status.OFF_ROAD
    fiesta = registry.vehicle_check(keeper=ERIKA, plate="KS-EM 99")
    assert fiesta.last_registered_on < CODES_SINCE
    new = registry.vehicle_check(keeper=ERIKA, vin="WVWZZZE1ZRP050005")
    assert (new.status, new.keeper_matches, new.last_registered_on, new.plate) == (Status.NEW, False, None, "")
    # Max's car, which Erika bought: registered to him; a reserved plate is only told to its keeper.
    bmw = registry.vehicle_check(keeper=ERIKA, plate="KS-MM 314")
    assert (bmw.status, bmw.keeper_matches) == (Status.REGISTERED, False)
    assert registry.vehicle_check(keeper=MAX, plate="KS-MM 314").keeper_matches
    assert registry.vehicle_check(keeper=MAX, vin="W0LPD6EB9K8020002").reserved_plate == ""
    assert registry.vehicle_check(keeper=AMIRA, plate="F-AH 321").keeper_matches
    unknown = registry.vehicle_check(keeper=ERIKA, plate="KS-ZZ 9999")
    assert (unknown.status, unknown.keeper_matches, unknown.make) == (Status.UNKNOWN, False, "")


def test_the_plate_check_knows_taken_reserved_and_free_plates(registry):
    assert not registry.plate_check(plate="KS-AB 123")  # taken
    assert not registry.plate_check(plate="KS-EM 812")  # on a vehicle
    assert not registry.plate_check(plate="KS-EM 2020")  # reserved for Erika
    assert registry.plate_check(plate="KS-EM 2026")
    assert registry.plate_check(plate="HOG-LS 90")


# --- automatic decisions -------------------------------------------------------------------------------


def test_an_approved_deregistration_takes_the_vehicle_off_the_road_and_reserves_its_plate(
    registry, demo_vehicle_registry_server
):
    decision = send(registry, reserve_plate=True)
    assert decision.outcome == Outcome.APPROVED and decision.reasons == ()
    assert re.fullmatch(r"KS-IKFZ-\d{4}-\d{6}", decision.number) and decision.plate == "KS-EM 812"
    assert decision.decided_at.tzinfo is not None
    golf = vehicle(demo_vehicle_registry_server, "V-0001")
    assert (golf["status"], golf["plate"], golf["reserved_plate"]) == (Status.OFF_ROAD, "", "KS-EM 812")
    info = registry.vehicle_check(keeper=ERIKA, plate="KS-EM 812")
    assert (info.status, info.reserved_plate) == (Status.OFF_ROAD, "KS-EM 812")
    assert not registry.plate_check(plate="KS-EM 812")
    # Deregistered once, it cannot be deregistered again.
    again = send(registry)
    assert again.outcome == Outcome.REFUSED and again.reasons[0].code == ReasonCode.VEHICLE_STATE


def test_a_deregistration_without_reservation_frees_the_plate(registry):
    assert send(registry).outcome == Outcome.APPROVED
    assert registry.plate_check(plate="KS-EM 812")


def test_a_wrong_seal_code_is_refused_and_the_codes_are_case_sensitive(registry, demo_vehicle_registry_server):
    decision = send(registry, seal_front="A7k")  # the right code, in the other case
    assert decision.outcome == Outcome.REFUSED and decision.plate == ""
    assert [(reason.code, reason.item) for reason in decision.reasons] == [(ReasonCode.CODE_WRONG, Item.SEAL_FRONT)]
    assert decision.reasons[0].text and decision.decided_at is not None
    both = send(registry, zb1_code="K4mT7px", seal_rear="rt3")
    assert {reason.item for reason in both.reasons} == {Item.ZB1_CODE, Item.SEAL_REAR}
    assert vehicle(demo_vehicle_registry_server, "V-0001")["status"] == Status.REGISTERED


def test_a_vehicle_registered_before_2015_is_refused(registry):
    decision = send(registry, items={**GOLF, Item.PLATE: "KS-EM 99"})
    assert decision.outcome == Outcome.REFUSED
    assert [reason.code for reason in decision.reasons] == [ReasonCode.BEFORE_2015]


def test_someone_else_cannot_deregister_a_vehicle(registry):
    decision = send(registry, keeper=MAX)
    assert [reason.code for reason in decision.reasons] == [ReasonCode.NOT_KEEPER]


def test_an_unknown_vehicle_is_refused(registry):
    decision = send(registry, items={**GOLF, Item.PLATE: "KS-ZZ 9999"})
    assert [(reason.code, reason.item) for reason in decision.reasons] == [(ReasonCode.UNKNOWN_VEHICLE, Item.PLATE)]


@pytest.mark.parametrize("evb", ["Z9Z9Z9Z", "X9Y8Z7W"], ids=["unknown", "expired"])
def test_an_unknown_or_expired_evb_is_refused(registry, evb):
    decision = send(registry, transaction=Transaction.NEW_REGISTRATION, items=ID3, evb=evb)
    assert decision.outcome == Outcome.REFUSED
    assert [(reason.code, reason.item) for reason in decision.reasons] == [(ReasonCode.EVB_INVALID, Item.EVB)]


def test_a_new_registration_gets_a_random_plate_with_the_area_code_asked(registry, demo_vehicle_registry_server):
    decision = send(registry, transaction=Transaction.NEW_REGISTRATION, items=ID3, area_code="HOG")
    assert decision.outcome == Outcome.APPROVED
    assert RANDOM_PLATE.fullmatch(decision.plate) and decision.plate.startswith("HOG-")
    id3 = vehicle(demo_vehicle_registry_server, "V-0005")
    assert (id3["status"], id3["plate"], id3["keeper"]["given_names"]) == (Status.REGISTERED, decision.plate, "Erika")
    assert registry.vehicle_check(keeper=ERIKA, plate=decision.plate).keeper_matches


def test_a_wish_plate_is_given_when_free_and_refused_when_taken(registry):
    taken = send(registry, transaction=Transaction.NEW_REGISTRATION, items=ID3, wish_plate="KS-AB 123")
    assert [(reason.code, reason.item) for reason in taken.reasons] == [(ReasonCode.PLATE_TAKEN, Item.WISH_PLATE)]
    decision = send(registry, transaction=Transaction.NEW_REGISTRATION, items=ID3, wish_plate="KS-EM 2026")
    assert (decision.outcome, decision.plate) == (Outcome.APPROVED, "KS-EM 2026")
    assert not registry.plate_check(plate="KS-EM 2026")


def test_a_new_registration_needs_the_zb2_code(registry):
    decision = send(registry, transaction=Transaction.NEW_REGISTRATION, items=ID3, zb2_code="Fn6Tq2Xc8Hv7")
    assert [(reason.code, reason.item) for reason in decision.reasons] == [(ReasonCode.CODE_WRONG, Item.ZB2_CODE)]


def test_a_re_registration_keeps_the_reserved_plate(registry, demo_vehicle_registry_server):
    missing_hu = send(
        registry, transaction=Transaction.REREGISTRATION, items={**CORSA, Item.INSPECTION_DUE: ""}, keep_plate=True
    )
    assert [(reason.code, reason.item) for reason in missing_hu.reasons] == [
        (ReasonCode.VEHICLE_STATE, Item.INSPECTION_DUE)
    ]
    decision = send(registry, transaction=Transaction.REREGISTRATION, items=CORSA, keep_plate=True)
    assert (decision.outcome, decision.plate) == (Outcome.APPROVED, "KS-EM 2020")
    corsa = vehicle(demo_vehicle_registry_server, "V-0002")
    assert (corsa["status"], corsa["plate"], corsa["reserved_plate"]) == (Status.REGISTERED, "KS-EM 2020", "")
    assert corsa["inspection_missing"] is False and "KS-EM 2020" not in demo_vehicle_registry_server.read()["plates"]


def test_a_plate_reserved_for_erika_is_taken_for_anyone_else(registry):
    decision = send(registry, keeper=MAX, transaction=Transaction.NEW_REGISTRATION, items=ID3, wish_plate="KS-EM 2020")
    assert [reason.code for reason in decision.reasons] == [ReasonCode.PLATE_TAKEN]


def test_a_change_of_keeper_is_proved_by_the_zb2(registry, demo_vehicle_registry_server):
    wrong = send(
        registry,
        transaction=Transaction.TRANSFER,
        variant=TransferVariant.KEEPER_CHANGE,
        items=BMW,
        zb2_number="MM3140007",
    )
    assert [(reason.code, reason.item) for reason in wrong.reasons] == [(ReasonCode.CODE_WRONG, Item.ZB2_NUMBER)]
    decision = send(
        registry, transaction=Transaction.TRANSFER, variant=TransferVariant.KEEPER_CHANGE, items=BMW, keep_plate=True
    )
    assert (decision.outcome, decision.plate) == (Outcome.APPROVED, "KS-MM 314")
    assert vehicle(demo_vehicle_registry_server, "V-0006")["keeper"]["given_names"] == "Erika"
    assert registry.vehicle_check(keeper=ERIKA, plate="KS-MM 314").keeper_matches
    assert not registry.vehicle_check(keeper=MAX, plate="KS-MM 314").keeper_matches


def test_moving_in_keeps_the_other_districts_plate_or_gets_a_new_one(registry, demo_vehicle_registry_server):
    clio = {Item.PLATE: "F-AH 321", Item.ZB1_CODE: "Ah3Zk7W"}
    wrong_variant = send(
        registry, keeper=AMIRA, transaction=Transaction.TRANSFER, variant=TransferVariant.ADDRESS_CHANGE, items=clio
    )
    assert [reason.code for reason in wrong_variant.reasons] == [ReasonCode.VEHICLE_STATE]
    decision = send(
        registry,
        keeper=AMIRA,
        transaction=Transaction.TRANSFER,
        variant=TransferVariant.MOVE_IN,
        items=clio,
        keep_plate=True,
    )
    assert (decision.outcome, decision.plate) == (Outcome.APPROVED, "F-AH 321")
    record = vehicle(demo_vehicle_registry_server, "V-0007")
    assert (record["district"], record["address"]["street"]) == ("Kassel", "Holländische Straße")


def test_moving_in_without_keeping_the_plate_gets_a_kassel_plate(registry):
    clio = {Item.PLATE: "F-AH 321", Item.ZB1_CODE: "Ah3Zk7W", Item.SEAL_FRONT: "Fr2", Item.SEAL_REAR: "k9M"}
    decision = send(
        registry, keeper=AMIRA, transaction=Transaction.TRANSFER, variant=TransferVariant.MOVE_IN, items=clio
    )
    assert decision.outcome == Outcome.APPROVED and decision.plate.startswith("KS-")
    assert registry.plate_check(plate="F-AH 321")


def test_an_address_change_keeps_the_plate_and_records_the_new_address(registry, demo_vehicle_registry_server):
    items = {Item.PLATE: "KS-LS 690", Item.ZB1_CODE: "Ls6Px2T"}
    decision = send(
        registry, keeper=LENA, transaction=Transaction.TRANSFER, variant=TransferVariant.ADDRESS_CHANGE, items=items
    )
    assert (decision.outcome, decision.plate) == (Outcome.APPROVED, "KS-LS 690")
    assert vehicle(demo_vehicle_registry_server, "V-0008")["address"]["town"] == "Hofgeismar"


def test_an_application_without_a_required_item_is_not_accepted(registry):
    with pytest.raises(RegistryRefused):
        send(registry, items={Item.PLATE: "KS-EM 812", Item.ZB1_CODE: "K4mT7pX"})


# --- referrals and staff's decisions ----------------------------------------------------------------------


def test_a_flagged_vehicle_is_referred_to_staff(registry, demo_vehicle_registry_server):
    items = {Item.PLATE: "KS-EM 77", Item.ZB1_CODE: "Wz5Hk9D", Item.SEAL_FRONT: "Bq4", Item.SEAL_REAR: "n8T"}
    decision = send(registry, items=items)
    assert (decision.outcome, decision.decided_at) == (Outcome.REVIEW, None)
    assert [reason.code for reason in decision.reasons] == [ReasonCode.MANUAL] and decision.reasons[0].text
    assert vehicle(demo_vehicle_registry_server, "V-0004")["status"] == Status.REGISTERED  # nothing done yet
    assert registry.application_status(number=decision.number) == decision
    approved = registry.application_decide(number=decision.number, approve=True, reason="", actor="anna")
    assert (approved.outcome, approved.number, approved.plate) == (Outcome.APPROVED, decision.number, "KS-EM 77")
    assert approved.decided_at is not None
    assert vehicle(demo_vehicle_registry_server, "V-0004")["status"] == Status.OFF_ROAD
    assert registry.application_status(number=decision.number) == approved
    # The same decision again returns it; another is refused; so is a decision on an automatic one.
    assert registry.application_decide(number=decision.number, approve=True, reason="", actor="anna") == approved
    with pytest.raises(RegistryRefused):
        registry.application_decide(number=decision.number, approve=False, reason="Nein", actor="anna")
    automatic = send(registry)
    with pytest.raises(RegistryRefused):
        registry.application_decide(number=automatic.number, approve=True, reason="", actor="anna")


def test_a_different_account_holder_is_referred_and_staff_may_refuse(registry, demo_vehicle_registry_server):
    decision = send(
        registry, transaction=Transaction.NEW_REGISTRATION, items=ID3, wish_plate="KS-EM 2026", account_holder="Max M."
    )
    assert decision.outcome == Outcome.REVIEW and decision.plate == "KS-EM 2026"
    assert [(reason.code, reason.item) for reason in decision.reasons] == [(ReasonCode.SEPA, Item.ACCOUNT_HOLDER)]
    assert not registry.plate_check(plate="KS-EM 2026")  # held for the application meanwhile
    reason = "Das SEPA-Mandat des Kontoinhabers fehlt."
    refused = registry.application_decide(number=decision.number, approve=False, reason=reason, actor="anna")
    assert refused.outcome == Outcome.REFUSED and refused.decided_at is not None
    assert [(r.code, r.text) for r in refused.reasons] == [(ReasonCode.MANUAL, reason)]
    assert registry.application_decide(number=decision.number, approve=False, reason=reason, actor="anna") == refused
    assert registry.plate_check(plate="KS-EM 2026")  # released
    assert vehicle(demo_vehicle_registry_server, "V-0005")["status"] == Status.NEW


def test_staff_cannot_approve_what_another_application_has_done_meanwhile(registry):
    items = {Item.PLATE: "KS-EM 77", Item.ZB1_CODE: "Wz5Hk9D", Item.SEAL_FRONT: "Bq4", Item.SEAL_REAR: "n8T"}
    first, second = send(registry, items=items), send(registry, items=items)
    assert first.outcome == second.outcome == Outcome.REVIEW and first.number != second.number
    assert registry.application_decide(number=first.number, approve=True, reason="", actor="anna").outcome == (
        Outcome.APPROVED
    )
    late = registry.application_decide(number=second.number, approve=True, reason="", actor="anna")
    assert late.outcome == Outcome.REFUSED and [r.code for r in late.reasons] == [ReasonCode.VEHICLE_STATE]


def test_a_reservation_that_ran_out_is_no_longer_told_or_kept(registry, demo_vehicle_registry_server):
    data = demo_vehicle_registry_server.read()
    data["plates"]["KS-EM 2020"]["until"] = "2020-01-31"
    demo_vehicle_registry_server.data.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    demo_vehicle_registry_server.restart()
    assert registry.vehicle_check(keeper=ERIKA, vin=CORSA[Item.VIN]).reserved_plate == ""
    assert registry.plate_check(plate="KS-EM 2020")
    decision = send(registry, transaction=Transaction.REREGISTRATION, items=CORSA, keep_plate=True)
    assert [(r.code, r.item) for r in decision.reasons] == [(ReasonCode.PLATE_TAKEN, Item.KEEP_PLATE)]


def test_the_keeper_cannot_change_the_keeper_to_himself(registry):
    decision = send(
        registry, keeper=MAX, transaction=Transaction.TRANSFER, variant=TransferVariant.KEEPER_CHANGE, items=BMW
    )
    assert [reason.code for reason in decision.reasons] == [ReasonCode.VEHICLE_STATE]


def test_an_unknown_application_number_is_refused(registry):
    with pytest.raises(RegistryRefused):
        registry.application_status(number="KS-IKFZ-2026-999999")
    with pytest.raises(RegistryRefused):
        registry.application_decide(number="../vehicles/check", approve=True, reason="", actor="anna")


@pytest.mark.parametrize(
    ("path", "content"),
    [
        ("/applications", b"not json"),
        ("/applications", b"[1, 2]"),
        ("/applications", b'{"key": "k", "transaction": "deregistration", "keeper": "Erika", "items": {}}'),
        ("/applications", b'{"key": "k", "transaction": "teleport", "keeper": {}, "items": {}}'),
        ("/vehicles/check", b'{"keeper": [], "plate": 12}'),
        ("/applications/KS-IKFZ-2026-000001/decision", b'{"approve": "yes"}'),
        ("/nowhere", b"{}"),
    ],
)
def test_bad_requests_are_answered_with_a_client_error_never_a_server_error(
    demo_vehicle_registry_server, path, content
):
    import httpx

    response = httpx.post(
        demo_vehicle_registry_server.url + path,
        content=content,
        headers={"Authorization": f"Bearer {demo_vehicle_registry_server.token}"},
    )
    assert response.status_code in (200, 400, 404) and response.headers["content-type"].startswith("application/json")
    assert response.status_code != 200 or response.json()["status"] == Status.UNKNOWN


# --- idempotency and availability -------------------------------------------------------------------------


def test_sending_the_same_key_again_returns_the_first_decision_without_a_second_effect(
    registry, demo_vehicle_registry_server
):
    key = str(uuid.uuid4())
    first = send(registry, transaction=Transaction.NEW_REGISTRATION, items=ID3, key=key)
    assert first.outcome == Outcome.APPROVED
    stored = demo_vehicle_registry_server.read()
    again = send(registry, transaction=Transaction.NEW_REGISTRATION, items=ID3, key=key)
    assert again == first  # not refused as "already registered", and the same random plate
    assert demo_vehicle_registry_server.read() == stored
    assert len(stored["applications"]) == 1


def test_a_stopped_registry_is_unavailable_and_works_again_after_a_restart(registry, demo_vehicle_registry_server):
    demo_vehicle_registry_server.stop()
    with pytest.raises(RegistryUnavailable):
        registry.vehicle_check(keeper=ERIKA, plate="KS-EM 812")
    with pytest.raises(RegistryUnavailable):
        send(registry)
    demo_vehicle_registry_server.start()
    assert send(registry).outcome == Outcome.APPROVED
    # Restarted, it reads what it wrote.
    demo_vehicle_registry_server.restart()
    assert registry.vehicle_check(keeper=ERIKA, plate="KS-EM 812").status == Status.OFF_ROAD


def test_a_wrong_token_is_unavailable_not_refused(demo_vehicle_registry_server, settings):
    config = {**settings.VEHICLE_REGISTRY["providers"]["demo"], "token": "wrong"}
    with pytest.raises(RegistryUnavailable):
        DemoVehicleRegistry(config).plate_check(plate="KS-EM 2026")


def test_the_plugin_checks_its_configuration(settings):
    settings.DEMO_MODE = False
    problems = DemoVehicleRegistry({}).check_configuration(production=True)
    assert problems == ["VEHICLE_REGISTRY_DEMO_URL is not set", "the demo vehicle registry is for demo mode only"]
    assert DemoVehicleRegistry({"url": "http://127.0.0.1:1"}).check_configuration(production=False) == []


# --- make run's commands ------------------------------------------------------------------------------


def test_load_vehicle_registry_demo_writes_the_seed_and_keeps_an_existing_file_unless_reset(tmp_path, settings):
    from django.core.management import call_command

    data = tmp_path / "var" / "vehicles.json"
    config = {"url": "http://127.0.0.1:1", "token": "t", "data": str(data)}
    settings.VEHICLE_REGISTRY = {**settings.VEHICLE_REGISTRY, "provider": "demo", "providers": {"demo": config}}
    call_command("load_vehicle_registry_demo")
    assert json.loads(data.read_text(encoding="utf-8")) == seed.registry_data()
    data.write_text('{"vehicles": {}}', encoding="utf-8")
    call_command("load_vehicle_registry_demo")
    assert data.read_text(encoding="utf-8") == '{"vehicles": {}}'
    call_command("load_vehicle_registry_demo", reset=True)
    assert len(json.loads(data.read_text(encoding="utf-8"))["vehicles"]) == 8


def test_demo_vehicle_registry_makes_its_data_file_and_serves_it_as_a_separate_process(tmp_path, settings):
    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    from tests.test_setup import _free_port

    data = tmp_path / "vehicles.json"
    port = _free_port()
    config = {"url": f"http://127.0.0.1:{port}", "token": "process-token", "data": str(data)}
    env = {
        **os.environ,
        "AMTSWEG_DEMO_MODE": "1",
        "VEHICLE_REGISTRY_DEMO_URL": config["url"],
        "VEHICLE_REGISTRY_DEMO_TOKEN": config["token"],
        "VEHICLE_REGISTRY_DEMO_DATA": str(data),
    }
    root = Path(__file__).resolve().parents[3]
    server = subprocess.Popen([sys.executable, "manage.py", "demo_vehicle_registry"], cwd=root, env=env)
    plugin = DemoVehicleRegistry(config)
    try:
        for _ in range(100):
            try:
                info = plugin.vehicle_check(keeper=ERIKA, plate="KS-EM 812")
                break
            except RegistryUnavailable:
                time.sleep(0.1)
        assert info.status == Status.REGISTERED and data.exists()
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_demo_vehicle_registry_runs_in_demo_mode_only(settings):
    from django.core.management import CommandError, call_command

    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode only"):
        call_command("demo_vehicle_registry")

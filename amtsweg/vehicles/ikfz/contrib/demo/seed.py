"""The demo vehicle registry's data: vehicles of the demo eID persons, eVB numbers and plates, so that every
path of the four i-Kfz services can be walked (docs/vehicles.md lists them too). Tests and docs use these
exact values: keep them stable.

Vehicles (codes: ZB I, seal front / rear, ZB II number and code; the ZB II codes carry their check
character, made with ``vehicles.codes``):

======  =====================  ==========  ========================  ==========  ==============================
id      keeper                 plate       make, VIN                 status      codes and what it is for
======  =====================  ==========  ========================  ==========  ==============================
V-0001  Erika Mustermann       KS-EM 812   Volkswagen Golf           registered  ZB I ``K4mT7pX``, seals ``a7K`` /
                                           WVWZZZ1KZ9W812001         2021-04-15  ``Rt3``, ZB II EM4812001
                                                                                 ``Dk7Hn2Pq9Ws6``: deregistration
V-0002  Erika Mustermann       (KS-EM      Opel Corsa                off_road    ZB I ``Hq8Zr3N``, ZB II EM2018002
                               2020,       W0LPD6EB9K8020002         2018-06-03  ``Xb4Rt8Mn2Kp6``; no HU on record:
                               reserved)                                         re-registration (keep_plate or
                                                                                 wish plate KS-EM 2020)
V-0003  Erika Mustermann       KS-EM 99    Ford Fiesta               registered  no codes (documents before 2015),
                                           WF0DXXGAKD9A12003         2012-09-20  ZB II EM2012003: refused
                                                                                 before_2015
V-0004  Erika Mustermann       KS-EM 77    Škoda Octavia             registered  ZB I ``Wz5Hk9D``, seals ``Bq4`` /
                                           TMBJJ7NE5J0770004         2019-02-01  ``n8T``, ZB II EM2019004
                                                                                 ``Pz3Kd7Wh5Nj3``; flagged: review
V-0005  none (new vehicle)     —           Volkswagen ID.3           new         ZB II NZ2026005 ``Fn6Tq2Xc8Hv6``:
                                           WVWZZZE1ZRP050005                     new registration by VIN
V-0006  Max Mustermann         KS-MM 314   BMW 118i                  registered  ZB I ``Mx3Rb8Q``, seals ``Gw5`` /
                                           WBA7K31070V314006         2020-10-10  ``t6H``, ZB II MM3140006
                                                                                 ``Jc5Vw9Nk3Rd9``: sold to Erika
                                                                                 (change of keeper)
V-0007  Amira Haddad           F-AH 321    Renault Clio              registered  ZB I ``Ah3Zk7W``, seals ``Fr2`` /
        (old address in                    VF1RJA00X68321007         2022-03-15  ``k9M``, ZB II AH3210007
        Frankfurt am Main)                                                       ``Yt8Gm4Ps6Bx9``: moving in
V-0008  Lena Schäfer (old      KS-LS 690   Fiat 500                  registered  ZB I ``Ls6Px2T``, seals ``Hm7`` /
        address in Kassel)                 ZFA3120000J690008         2023-05-22  ``w3R``, ZB II LS6900008
                                                                                 ``Qr2Nh6Tz9Dk4``: address change
======  =====================  ==========  ========================  ==========  ==============================

The date under the status is the last registration. The seal codes are case-sensitive: ``A7K`` is not
``a7K``. Keepers are the demo identity provider's persons (``kassel-adult``, ``kassel-spouse``,
``kassel-foreign``, ``landkreis``).

eVB numbers: ``K7M3N2P``, ``R4S8T6U``, ``EVB2026`` valid; ``X9Y8Z7W`` expired (2026-06-30); any other
unknown (e.g. ``Z9Z9Z9Z``).

Plates: taken ``KS-AB 123``, ``HOG-AB 12``, ``WOH-AB 12``, ``KS-EM 1984`` (and every vehicle's own);
``KS-EM 2020`` reserved for Erika Mustermann (V-0002); free, for a wish plate: e.g. ``KS-EM 2026``,
``HOG-LS 90``.

Referral to staff: V-0004 always (reason manual), and any application whose ``account_holder`` is not the
keeper (reason sepa).
"""

from __future__ import annotations

from typing import Any

from amtsweg.identity.demo_idp.idp import persons as idp_persons
from amtsweg.vehicles.codes import seal_code_valid, zb1_code_valid, zb2_check_character, zb2_number_valid

HOME_DISTRICT = "Kassel"


def _zb2(body: str) -> str:
    """A ZB II code: the eleven characters given and their check character."""
    return body + zb2_check_character(body)


def _keeper(key: str) -> dict[str, str]:
    person = {candidate.key: candidate for candidate in idp_persons()}[key]
    return {"family_name": person.family_name, "given_names": person.given_names, "birth_date": person.birth_date}


def _address(street: str, house_number: str, postcode: str, town: str) -> dict[str, str]:
    return {"street": street, "house_number": house_number, "postcode": postcode, "town": town}


def _vehicle(**values: Any) -> dict[str, Any]:
    vehicle: dict[str, Any] = {
        "status": "registered",
        "plate": "",
        "make": "",
        "vin": "",
        "keeper": None,
        "address": None,
        "district": HOME_DISTRICT,
        "last_registered_on": None,
        "inspection_missing": False,
        "review": False,
        "reserved_plate": "",
        "zb1_code": "",
        "seal_front": "",
        "seal_rear": "",
        "zb2_number": "",
        "zb2_code": "",
    }
    vehicle.update(values)
    for item, valid in (
        ("zb1_code", zb1_code_valid),
        ("seal_front", seal_code_valid),
        ("seal_rear", seal_code_valid),
        ("zb2_number", zb2_number_valid),
    ):
        assert not vehicle[item] or valid(vehicle[item]), (item, vehicle[item])
    return vehicle


def registry_data() -> dict[str, Any]:
    """The demo registry's data file, fresh (see the module docstring)."""
    keys = ("kassel-adult", "kassel-spouse", "kassel-foreign", "landkreis")
    erika, max_, amira, lena = (_keeper(key) for key in keys)
    home = _address("Friedrich-Ebert-Straße", "12", "34117", "Kassel")
    vehicles = {
        "V-0001": _vehicle(
            plate="KS-EM 812",
            make="Volkswagen Golf",
            vin="WVWZZZ1KZ9W812001",
            keeper=erika,
            address=home,
            last_registered_on="2021-04-15",
            zb1_code="K4mT7pX",
            seal_front="a7K",
            seal_rear="Rt3",
            zb2_number="EM4812001",
            zb2_code=_zb2("Dk7Hn2Pq9Ws"),
        ),
        "V-0002": _vehicle(
            status="off_road",
            last_plate="KS-EM 2020",
            reserved_plate="KS-EM 2020",
            make="Opel Corsa",
            vin="W0LPD6EB9K8020002",
            keeper=erika,
            address=home,
            last_registered_on="2018-06-03",
            deregistered_on="2025-11-28",
            inspection_missing=True,
            zb1_code="Hq8Zr3N",
            zb2_number="EM2018002",
            zb2_code=_zb2("Xb4Rt8Mn2Kp"),
        ),
        "V-0003": _vehicle(
            plate="KS-EM 99",
            make="Ford Fiesta",
            vin="WF0DXXGAKD9A12003",
            keeper=erika,
            address=home,
            last_registered_on="2012-09-20",
            zb2_number="EM2012003",
        ),
        "V-0004": _vehicle(
            plate="KS-EM 77",
            make="Škoda Octavia",
            vin="TMBJJ7NE5J0770004",
            keeper=erika,
            address=home,
            last_registered_on="2019-02-01",
            review=True,
            review_note="Für das Fahrzeug liegt ein Hinweis vor; die Zulassungsbehörde prüft den Antrag.",
            zb1_code="Wz5Hk9D",
            seal_front="Bq4",
            seal_rear="n8T",
            zb2_number="EM2019004",
            zb2_code=_zb2("Pz3Kd7Wh5Nj"),
        ),
        "V-0005": _vehicle(
            status="new",
            make="Volkswagen ID.3",
            vin="WVWZZZE1ZRP050005",
            district="",
            zb2_number="NZ2026005",
            zb2_code=_zb2("Fn6Tq2Xc8Hv"),
        ),
        "V-0006": _vehicle(
            plate="KS-MM 314",
            make="BMW 118i",
            vin="WBA7K31070V314006",
            keeper=max_,
            address=home,
            last_registered_on="2020-10-10",
            zb1_code="Mx3Rb8Q",
            seal_front="Gw5",
            seal_rear="t6H",
            zb2_number="MM3140006",
            zb2_code=_zb2("Jc5Vw9Nk3Rd"),
        ),
        "V-0007": _vehicle(
            plate="F-AH 321",
            make="Renault Clio",
            vin="VF1RJA00X68321007",
            keeper=amira,
            address=_address("Berger Straße", "120", "60316", "Frankfurt am Main"),
            district="Frankfurt am Main",
            last_registered_on="2022-03-15",
            zb1_code="Ah3Zk7W",
            seal_front="Fr2",
            seal_rear="k9M",
            zb2_number="AH3210007",
            zb2_code=_zb2("Yt8Gm4Ps6Bx"),
        ),
        "V-0008": _vehicle(
            plate="KS-LS 690",
            make="Fiat 500",
            vin="ZFA3120000J690008",
            keeper=lena,
            address=_address("Wilhelmshöher Allee", "100", "34119", "Kassel"),
            last_registered_on="2023-05-22",
            zb1_code="Ls6Px2T",
            seal_front="Hm7",
            seal_rear="w3R",
            zb2_number="LS6900008",
            zb2_code=_zb2("Qr2Nh6Tz9Dk"),
        ),
    }
    evb = {
        "K7M3N2P": {"insurer": "Demo-Versicherung AG", "valid_until": None},
        "R4S8T6U": {"insurer": "Demo-Versicherung AG", "valid_until": None},
        "EVB2026": {"insurer": "Beispiel Versicherung VVaG", "valid_until": None},
        "X9Y8Z7W": {"insurer": "Beispiel Versicherung VVaG", "valid_until": "2026-06-30"},
    }
    plates = {
        "KS-AB 123": {"state": "taken"},
        "HOG-AB 12": {"state": "taken"},
        "WOH-AB 12": {"state": "taken"},
        "KS-EM 1984": {"state": "taken"},
        "KS-EM 2020": {"state": "reserved", "keeper": erika, "until": None},
    }
    return {"vehicles": vehicles, "evb": evb, "plates": plates, "applications": {}, "keys": {}, "sequence": {}}

"""The demo identity provider: a real SAML 2.0 IdP (pysaml2 ``Server``) with BundID-shaped test persons.

It stands in for BundID in development, demo mode and tests. The BundID plugin
knows it only by its metadata URL (``/demo-idp/metadata/``, set in demo mode),
as it knows BundID; it imports nothing from here. It checks the
service provider's signature on the AuthnRequest (our SP's metadata is built
in-process), lets the tester pick a person, and posts a signed Response with
BundID's attributes (names by OID, bPK2, ``EID-CITIZEN-QAA-LEVEL``) back.

It honours the requested minimum level only by showing it: a person below it
can still be picked, and the service provider must refuse that login.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.attribute_converter import AttributeConverter
from saml2.config import IdPConfig
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_TRANSIENT
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from amtsweg.catalogue.constants import TrustLevel
from amtsweg.identity.contrib.bundid import saml as bundid
from amtsweg.identity.contrib.bundid.keys import generated_keypair

ASSERTION_LIFETIME_MINUTES = 5
ASSERTION_PROVED_BY = "1.3.6.1.4.1.25484.494450.2"  # how the citizen identified: "eID", "Elster", "Benutzername"
COUNTRY = "1.2.40.0.10.2.1.1.225599"
DISPLAY_FIELDS = ("OrganizationDisplayName", "OnlineServiceId")


@dataclass(frozen=True)
class TestPerson:
    key: str
    label: Any  # lazy translation
    level: str
    bpk2: str
    given_names: str
    family_name: str
    birth_date: str = ""
    birth_name: str = ""
    place_of_birth: str = ""
    nationality: str = ""
    postal_address: str = ""
    postcode: str = ""
    town: str = ""
    country: str = ""
    email: str = ""
    document_type: str = ""
    proved_by: str = "eID"
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.given_names} {self.family_name}"

    @property
    def birthday(self) -> datetime.date | None:
        """The date of birth as a date, for the page (the attribute itself is ISO text, as BundID sends it)."""
        return datetime.date.fromisoformat(self.birth_date) if self.birth_date else None

    @property
    def stork(self) -> str:
        return bundid.LEVEL_TO_STORK[TrustLevel(self.level)]

    def attributes(self) -> dict[str, list[str]]:
        """The attributes as BundID sends them: by friendly name here, by OID on the wire."""
        values = {
            "bPK2": self.bpk2,
            "givenName": self.given_names,
            "surname": self.family_name,
            "birthdate": self.birth_date,
            "birthName": self.birth_name,
            "placeOfBirth": self.place_of_birth,
            "nationality": self.nationality,
            "postalAddress": self.postal_address,
            "postalCode": self.postcode,
            "localityName": self.town,
            "Country": self.country,
            "mail": self.email,
            "documentType": self.document_type,
            "AssertionProvedBy": self.proved_by,
            "EID-CITIZEN-QAA-LEVEL": self.stork,
            **self.extra,
        }
        return {name: [value] for name, value in values.items() if value}


def _years_ago(years: int, *, days: int = 0) -> str:
    today = timezone.localdate()
    try:
        born = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        born = today.replace(year=today.year - years, day=28)
    return (born - datetime.timedelta(days=days)).isoformat()


def persons() -> list[TestPerson]:
    """The test persons. Their bPK2 never changes, so their accounts survive restarts; the minor stays 16."""
    return [
        TestPerson(
            key="kassel-adult",
            label=_("Adult living in Kassel, online ID card"),
            level=TrustLevel.HIGH,
            bpk2="DEMO-BPK2-0001-ERIKA-MUSTERMANN",
            given_names="Erika",
            family_name="Mustermann",
            birth_name="Gabler",
            birth_date="1984-08-12",
            place_of_birth="Berlin",
            nationality="D",
            postal_address="Friedrich-Ebert-Straße 12",
            postcode="34117",
            town="Kassel",
            country="DE",
            email="erika.mustermann@example.org",
            document_type="ID",
        ),
        TestPerson(
            key="kassel-minor",
            label=_("Minor aged 16 living in Kassel, online ID card"),
            level=TrustLevel.HIGH,
            bpk2="DEMO-BPK2-0002-LEON-MUSTERMANN",
            given_names="Leon",
            family_name="Mustermann",
            birth_date=_years_ago(16, days=100),
            place_of_birth="Kassel",
            nationality="D",
            postal_address="Friedrich-Ebert-Straße 12",
            postcode="34117",
            town="Kassel",
            country="DE",
            document_type="ID",
        ),
        TestPerson(
            key="kassel-foreign",
            label=_("Foreign national living in Kassel, electronic residence permit"),
            level=TrustLevel.HIGH,
            bpk2="DEMO-BPK2-0003-AMIRA-HADDAD",
            given_names="Amira",
            family_name="Haddad",
            birth_date="1991-03-05",
            place_of_birth="Damaskus",
            nationality="SYR",
            postal_address="Holländische Straße 44",
            postcode="34127",
            town="Kassel",
            country="DE",
            email="amira.haddad@example.org",
            document_type="AT",
        ),
        TestPerson(
            key="other-city",
            label=_("Adult living in Göttingen, online ID card"),
            level=TrustLevel.HIGH,
            bpk2="DEMO-BPK2-0004-JONAS-WEBER",
            given_names="Jonas",
            family_name="Weber",
            birth_date="1978-11-23",
            place_of_birth="Hannover",
            nationality="D",
            postal_address="Weender Straße 5",
            postcode="37073",
            town="Göttingen",
            country="DE",
            email="jonas.weber@example.org",
            document_type="ID",
        ),
        TestPerson(
            key="kassel-spouse",
            label=_("Spouse of the adult living in Kassel, online ID card"),
            level=TrustLevel.HIGH,
            bpk2="DEMO-BPK2-0006-MAX-MUSTERMANN",
            given_names="Max",
            family_name="Mustermann",
            birth_date="1982-03-14",
            place_of_birth="Kassel",
            nationality="D",
            postal_address="Friedrich-Ebert-Straße 12",
            postcode="34117",
            town="Kassel",
            country="DE",
            email="max.mustermann@example.org",
            document_type="ID",
        ),
        TestPerson(
            key="landkreis",
            label=_("Adult living in the Landkreis Kassel (Hofgeismar), online ID card"),
            level=TrustLevel.HIGH,
            bpk2="DEMO-BPK2-0007-LENA-SCHAEFER",
            given_names="Lena",
            family_name="Schäfer",
            birth_date="1990-06-02",
            place_of_birth="Kassel",
            nationality="D",
            postal_address="Marktstraße 3",
            postcode="34369",
            town="Hofgeismar",
            country="DE",
            email="lena.schaefer@example.org",
            document_type="ID",
        ),
        TestPerson(
            key="basic",
            label=_("BundID account with user name and password only"),
            level=TrustLevel.BASIC,
            bpk2="DEMO-BPK2-0005-PAULA-PROBE",
            given_names="Paula",
            family_name="Probe",
            email="paula.probe@example.org",
            proved_by="Benutzername",
        ),
    ]


def person(key: str) -> TestPerson | None:
    return next((candidate for candidate in persons() if candidate.key == key), None)


# --- pysaml2 ------------------------------------------------------------------------


def idp_paths() -> dict[str, str]:
    return {name: bundid.local_path(name, namespace="demo_idp") for name in ("metadata", "sso", "slo")}


def idp_keypair() -> tuple[str, str]:
    key, cert = generated_keypair(name="demo-idp", common_name="Amtsweg demo identity provider")
    return str(key), str(cert)


def bundid_converter() -> AttributeConverter:
    """BundID's attribute names (OIDs, URI name format) for our friendly names."""
    converter = AttributeConverter(NAME_FORMAT_URI)
    mapping = {attribute.friendly_name: attribute.name for attribute in bundid.ATTRIBUTES}
    mapping |= {"AssertionProvedBy": f"urn:oid:{ASSERTION_PROVED_BY}", "Country": f"urn:oid:{COUNTRY}"}
    converter.from_dict({"identifier": NAME_FORMAT_URI, "to": mapping, "fro": {v: k for k, v in mapping.items()}})
    return converter


def idp_config(base: str, *, sp_metadata: str | None) -> IdPConfig:
    paths = idp_paths()
    key_file, cert_file = idp_keypair()
    conf = {
        "entityid": base + paths["metadata"],
        "xmlsec_binary": bundid.provider_config().get("xmlsec_binary") or "/usr/bin/xmlsec1",
        "key_file": key_file,
        "cert_file": cert_file,
        "signing_algorithm": SIG_RSA_SHA256,
        "digest_algorithm": DIGEST_SHA256,
        "accepted_time_diff": bundid.CLOCK_SKEW_SECONDS,
        "only_use_keys_in_metadata": True,
        "metadata": {"inline": [sp_metadata]} if sp_metadata else {},
        "organization": {
            "name": [("Amtsweg Demo-IdP", "de")],
            "display_name": [("Amtsweg Demo-IdP", "de")],
            "url": [(base + "/", "de")],
        },
        "service": {
            "idp": {
                "name": "Amtsweg Demo-IdP",
                "endpoints": {
                    "single_sign_on_service": [
                        (base + paths["sso"], BINDING_HTTP_POST),
                        (base + paths["sso"], BINDING_HTTP_REDIRECT),
                    ],
                    "single_logout_service": [
                        (base + paths["slo"], BINDING_HTTP_POST),
                        (base + paths["slo"], BINDING_HTTP_REDIRECT),
                    ],
                },
                "want_authn_requests_signed": True,
                "sign_response": True,
                "sign_assertion": True,
                "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                "policy": {
                    "default": {
                        "lifetime": {"minutes": ASSERTION_LIFETIME_MINUTES},
                        "attribute_restrictions": None,
                        "name_form": NAME_FORMAT_URI,
                    }
                },
            }
        },
    }
    config = IdPConfig()
    config.load(conf)
    config.attribute_converters = [bundid_converter()]
    return config


def server(request: HttpRequest) -> Server:
    """A pysaml2 IdP for this request, knowing our BundID service provider from its in-process metadata.

    BundID knows the service provider from the metadata uploaded when registering it; the demo
    identity provider, which serves no other service provider, reads it in-process instead.
    """
    sp = bundid.ServiceProvider(request)
    base = bundid.base_url(request, sp.settings)
    return Server(config=idp_config(base, sp_metadata=sp.metadata(signed=False)))


def requested_level(message: Any) -> str:
    """The minimum level an AuthnRequest asks for (basic if it names none we know)."""
    context = message.requested_authn_context
    if context is None:
        return TrustLevel.BASIC
    levels = [
        bundid.ANSWER_TO_LEVEL[ref.text.strip()]
        for ref in context.authn_context_class_ref
        if ref.text and ref.text.strip() in bundid.ANSWER_TO_LEVEL
    ]
    return str(min(levels, key=bundid.LEVEL_ORDER.index)) if levels else TrustLevel.BASIC


def display_information(message: Any) -> dict[str, str]:
    """OrganizationDisplayName and OnlineServiceId from the akdb extension, as far as present."""
    found: dict[str, str] = {}

    def walk(elements: list) -> None:
        for element in elements:
            if element.namespace == bundid.CLASSIC_UI_NS and element.tag in (
                "OrganizationDisplayName",
                "OnlineServiceId",
            ):
                found[element.tag] = (element.text or "").strip()
            walk(element.children)

    if message.extensions is not None:
        walk(message.extensions.extension_elements)
    return found


def requested_attribute_names(message: Any) -> list[str]:
    names: list[str] = []

    def walk(elements: list) -> None:
        for element in elements:
            if element.namespace == bundid.AKDB_NS and element.tag == "RequestedAttribute":
                names.append(element.attributes.get("Name", ""))
            walk(element.children)

    if message.extensions is not None:
        walk(message.extensions.extension_elements)
    return names

import datetime

import factory

from amtsweg.catalogue.constants import OnlineMode, TrustLevel
from amtsweg.catalogue.models import Department, Fee, Location, Service


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    slug = factory.Sequence(lambda n: f"abteilung-{n}")
    name_de = factory.Sequence(lambda n: f"Abteilung {n}")
    name_en = factory.Sequence(lambda n: f"Department {n}")
    email = "abteilung@example.org"
    phone = "0561 115"


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    slug = factory.Sequence(lambda n: f"standort-{n}")
    name_de = factory.Sequence(lambda n: f"Standort {n}")
    name_en = factory.Sequence(lambda n: f"Location {n}")
    department = factory.SubFactory(DepartmentFactory)
    street = "Obere Königsstraße 8"
    postcode = "34117"


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    slug = factory.Sequence(lambda n: f"leistung-{n}")
    department = factory.SubFactory(DepartmentFactory)
    name_de = factory.Sequence(lambda n: f"Leistung {n}")
    name_en = factory.Sequence(lambda n: f"Service {n}")
    summary_de = "Kurzbeschreibung."
    summary_en = "Short description."
    description_de = "Beschreibung."
    description_en = "Description."
    eligibility_de = "Alle."
    eligibility_en = "Everyone."
    requirements_de = "Personalausweis\nFoto"
    requirements_en = "ID card\nPhoto"
    appointment_bring_de = "Personalausweis"
    appointment_bring_en = "ID card"
    processing_time_de = "2 Wochen"
    processing_time_en = "2 weeks"
    result_delivery_de = "Per Post"
    result_delivery_en = "By post"
    online_mode = OnlineMode.FULLY_ONLINE
    trust_level = TrustLevel.NONE


class FeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fee

    service = factory.SubFactory(ServiceFactory)
    code = "fee"
    label_de = "Gebühr"
    label_en = "Fee"
    amount_cents = 1200
    valid_from = datetime.date(2024, 1, 1)

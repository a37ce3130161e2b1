import datetime

import factory

from amtsweg.statistics.constants import AppointmentOutcome
from amtsweg.statistics.models import AppointmentRecord
from tests.catalogue.factories import LocationFactory, ServiceFactory


class AppointmentRecordFactory(factory.django.DjangoModelFactory):
    """An appointment's anonymous record, in its service's department."""

    class Meta:
        model = AppointmentRecord

    service = factory.SubFactory(ServiceFactory)
    department = factory.SelfAttribute("service.department")
    location = factory.SubFactory(LocationFactory, department=factory.SelfAttribute("..department"))
    day = datetime.date(2026, 11, 16)
    outcome = AppointmentOutcome.BOOKED

"""Vehicle-registration applications and their cases, without the registry (needs the Kassel catalogue)."""

import datetime

import factory
from django.utils import timezone

from amtsweg.catalogue.models import Service
from amtsweg.vehicles.constants import (
    DEREGISTRATION_SERVICE,
    NEW_REGISTRATION_SERVICE,
    PROVISIONAL_PROOF_DAYS,
    REREGISTRATION_SERVICE,
    TRANSFER_SERVICE,
    ApplicationState,
    DispatchStatus,
    Office,
    Transaction,
)
from amtsweg.vehicles.models import VehicleApplication
from tests.cases.factories import CaseFactory

SERVICE_OF = {
    Transaction.DEREGISTRATION: DEREGISTRATION_SERVICE,
    Transaction.NEW_REGISTRATION: NEW_REGISTRATION_SERVICE,
    Transaction.TRANSFER: TRANSFER_SERVICE,
    Transaction.REREGISTRATION: REREGISTRATION_SERVICE,
}
VIN = "WVWZZZ1JZ3W386752"


def keeper_answers(**changes):
    """The answers of a form as the eID filled them in (Erika Mustermann), with ``changes``."""
    return {
        "name": {"given_names": "Erika", "family_name": "Mustermann"},
        "birth_date": "1984-08-12",
        "address": {"street": "Friedrich-Ebert-Straße", "number": "12", "postcode": "34117", "town": "Kassel"},
        "email": "erika@example.org",
        **changes,
    }


def vehicle_case(*, transaction=Transaction.NEW_REGISTRATION, language="de", answers=None, **kwargs):
    """A case (and submission) of the transaction's service, sent now, in ``language``."""
    service = Service.objects.get(slug=SERVICE_OF[transaction])
    return CaseFactory.for_service(
        service,
        submission__answers=answers if answers is not None else keeper_answers(vin=VIN),
        submission__language=language,
        submission__submitted_at=timezone.now(),
        **kwargs,
    )


class VehicleApplicationFactory(factory.django.DjangoModelFactory):
    """An application waiting to be sent; ``approved=True`` as the registry approved it (dispatch queued for a
    registration), ``refused=True`` or ``review=True`` with a reason."""

    class Meta:
        model = VehicleApplication

    class Params:
        language = "de"
        answers = None
        approved = factory.Trait(
            state=ApplicationState.APPROVED,
            number=factory.Sequence(lambda n: f"ZUL-2026-{n:05d}"),
            plate="KS-EM 1984",
            decided_at=factory.LazyFunction(timezone.now),
            valid_until=factory.LazyAttribute(
                lambda o: (
                    None
                    if o.transaction == Transaction.DEREGISTRATION
                    else timezone.localdate(o.decided_at) + datetime.timedelta(days=PROVISIONAL_PROOF_DAYS)
                )
            ),
            dispatch=factory.LazyAttribute(
                lambda o: DispatchStatus.NONE if o.transaction == Transaction.DEREGISTRATION else DispatchStatus.QUEUED
            ),
        )
        refused = factory.Trait(
            state=ApplicationState.REFUSED,
            number=factory.Sequence(lambda n: f"ZUL-2026-{n:05d}"),
            decided_at=factory.LazyFunction(timezone.now),
            reasons=factory.LazyFunction(lambda: [{"code": "before_2015", "item": "", "text": "Erstzulassung 2012"}]),
        )
        review = factory.Trait(
            state=ApplicationState.REVIEW,
            number=factory.Sequence(lambda n: f"ZUL-2026-{n:05d}"),
            reasons=factory.LazyFunction(lambda: [{"code": "sepa", "item": "iban", "text": "SEPA prüfen"}]),
        )

    transaction = Transaction.NEW_REGISTRATION
    office = Office.KASSEL
    case = factory.LazyAttribute(
        lambda o: vehicle_case(transaction=o.transaction, language=o.language, answers=o.answers)
    )

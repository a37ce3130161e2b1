"""The demo login's one page: the test persons, as the demo identity provider shows them."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from amtsweg.catalogue.constants import TrustLevel
from amtsweg.core.trustgate import public
from amtsweg.identity.demo_idp.idp import TestPerson, persons

from ...base import Identity
from ...constants import level_rank
from ...services import citizen_login_finish, login_pending

PROVIDER = "demo"


def person_identity(person: TestPerson) -> Identity:
    """A test person as the demo login vouches for them, at their own level."""
    street, _space, house_number = person.postal_address.rpartition(" ")
    return Identity(
        provider=PROVIDER,
        subject=person.bpk2,
        trust_level=person.level,
        given_names=person.given_names,
        family_name=person.family_name,
        birth_name=person.birth_name,
        birth_date=person.birth_date,
        place_of_birth=person.place_of_birth,
        nationality={"D": "DE"}.get(person.nationality, person.nationality),
        street=street,
        house_number=house_number,
        postcode=person.postcode,
        town=person.town,
        document_type=person.document_type,
        email=person.email,
    )


@public
@never_cache
@require_http_methods(["GET", "POST"])
def select(request: HttpRequest) -> HttpResponse:
    """Pick a test person (or cancel); a person below the level asked for is refused by the login itself."""
    pending = login_pending(request, provider=PROVIDER)
    error = ""
    choice = request.POST.get("person", "")
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            return redirect("identity:login")
        chosen = next((candidate for candidate in persons() if candidate.key == choice), None)
        if chosen is None:
            error = _("Choose a test person")
        else:
            return citizen_login_finish(request=request, identity=person_identity(chosen))
    level = TrustLevel(pending["level"])
    people = [
        {"person": candidate, "below": level_rank(candidate.level) < level_rank(level)} for candidate in persons()
    ]
    return render(
        request,
        "identity/demo_idp/select.html",
        {
            "pending": {"organization": settings.PORTAL.get("city", ""), "sp": "", "online_service_id": ""},
            "level_label": level.label,
            "people": people,
            "choice": choice,
            "error": error,
        },
        status=400 if error else 200,
    )

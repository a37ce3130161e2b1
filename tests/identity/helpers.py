import time

from amtsweg.identity.base import Identity
from amtsweg.identity.models import CitizenAccount

ADULT = Identity(
    provider="bundid",
    subject="bpk2-erika",
    trust_level="high",
    given_names="Erika",
    family_name="Mustermann",
    birth_name="Gabler",
    birth_date="1964-08-12",
    place_of_birth="Berlin",
    nationality="DE",
    street="Heidestraße",
    house_number="17",
    postcode="34117",
    town="Kassel",
    document_type="ID",
)


def log_in(client, identity=ADULT, *, login_ago=0, seen_ago=0):
    """Put a logged-in citizen into the test client's session, as citizen_login_finish does."""
    account, _ = CitizenAccount.objects.get_or_create(provider=identity.provider, subject=identity.subject)
    session = client.session
    now = time.time()
    session["identity"] = {
        **identity.as_session(),
        "account": str(account.uuid),
        "login_at": now - login_ago,
        "seen_at": now - seen_ago,
    }
    session.save()
    return account

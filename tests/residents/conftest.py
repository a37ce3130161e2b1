import json

import pytest


def stored(data) -> dict:
    return json.loads(data.read_text(encoding="utf-8"))["persons"]


def register_identity(key, **changes):
    """The demo eID's test person ``key`` as the portal sees them after the login, with ``changes``."""
    import dataclasses

    from amtsweg.identity.contrib.demo.views import person_identity
    from amtsweg.identity.demo_idp.idp import person

    return dataclasses.replace(person_identity(person(key)), **changes)


@pytest.fixture
def residents(settings, tmp_path, kassel):
    """The Kassel catalogue, uploads in a temporary folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return kassel

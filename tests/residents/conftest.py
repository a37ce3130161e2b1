import json
import threading

import pytest

from amtsweg.residents.register.contrib.demo.seed import register_persons
from amtsweg.residents.register.contrib.demo.server import serve


@pytest.fixture
def demo_register(settings, tmp_path):
    """The demo residents' register as its own HTTP service on a free port, with a fresh data file.

    Yields the data file's path, so that a test can see what the register stored.
    """
    data = tmp_path / "register.json"
    data.write_text(json.dumps({"persons": register_persons()}, ensure_ascii=False), encoding="utf-8")
    server = serve(data=data, token="test-token")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    settings.RESIDENTS_REGISTER = {
        **settings.RESIDENTS_REGISTER,
        "provider": "demo",
        "providers": {"demo": {"url": f"http://{host}:{port}", "token": "test-token", "data": str(data)}},
    }
    yield data
    server.shutdown()
    server.server_close()


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

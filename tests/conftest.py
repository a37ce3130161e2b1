import pytest

from amtsweg.accounts.constants import CATALOGUE_EDITORS
from amtsweg.accounts.services import roles_ensure
from amtsweg.catalogue.services import catalogue_load_seed, seed_read

_SEED = None


def kassel_seed() -> dict:
    global _SEED
    if _SEED is None:
        _SEED = seed_read(name="kassel")
    return _SEED


@pytest.fixture
def kassel(db):
    """The Kassel catalogue as `make run` loads it."""
    return catalogue_load_seed(data=kassel_seed())


@pytest.fixture
def editors_group(db):
    return roles_ensure()[CATALOGUE_EDITORS]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (pages, content version, search index)."""
    from django.core.cache import cache

    from amtsweg.catalogue import selectors

    cache.clear()
    selectors._index_cache.clear()
    yield
    cache.clear()

"""Form-engine tests run in English on a fixed day, so messages and date rules are predictable."""

import datetime

import pytest
from django.utils import translation

from amtsweg.core import dates

TODAY = datetime.date(2026, 3, 15)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """Every rule that asks for today gets 15 March 2026."""
    monkeypatch.setattr(dates, "today", lambda: TODAY)
    return TODAY

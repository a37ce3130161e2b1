"""Driving the booking form as a browser without JavaScript does: fetch the form, then send it."""

import re
from urllib.parse import urlencode

from django.test import TestCase


def form_start_token(client, url: str, query: dict) -> str:
    """The signed start token the details form carries (the no-JavaScript proof, appointments/proof.py)."""
    page = client.get(f"{url}?{urlencode(query, doseq=True)}").content.decode()
    found = re.search(r'name="start" value="([^"]+)"', page)
    return found.group(1) if found else ""


def post_details(client, url: str, data: dict):
    """POST the details form as a person would after opening it: with the start token of the page."""
    query = {key: data[key] for key in ("zeit", "personen", "auch", "vorgang") if key in data}
    start = form_start_token(client, url, query)
    # As at the end of a real request's transaction: the hold's commit queues its confirm-link email (a task).
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, {**data, "start": start})

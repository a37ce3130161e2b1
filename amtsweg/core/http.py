"""Small HTTP helpers shared by the apps' views."""

from __future__ import annotations

from django.http import HttpResponseRedirect


def see_other(url: str) -> HttpResponseRedirect:
    """A 303 redirect: after a POST, the browser follows it with a GET."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response

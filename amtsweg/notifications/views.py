"""The development mailbox's pages (``/demo-postfach/``): only in demo mode, for staff or on this machine."""

from __future__ import annotations

import ipaddress

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from amtsweg.accounts.selectors import staff_may_use_back_office
from amtsweg.core.clientip import client_ip
from amtsweg.core.trustgate import public

from .mailbox import mailbox_attachment, mailbox_entries, mailbox_entry, mailbox_folder


def _mailbox_open(request: HttpRequest) -> None:
    """404 unless the mailbox is on and the visitor is staff or sits at this machine."""
    if mailbox_folder() is None:
        raise Http404("the development mailbox is off")
    if request.user.is_authenticated and staff_may_use_back_office(user=request.user):
        return
    try:
        local = ipaddress.ip_address(client_ip(request)).is_loopback
    except ValueError:
        local = False
    if not local:
        raise Http404("the development mailbox opens on this machine or for staff only")


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex"
    return response


@public
@never_cache
@require_http_methods(["GET"])
def mailbox_list(request: HttpRequest) -> HttpResponse:
    _mailbox_open(request)
    return _private(render(request, "notifications/mailbox/list.html", {"entries": mailbox_entries()}))


@public
@never_cache
@require_http_methods(["GET"])
def mailbox_detail(request: HttpRequest, name: str) -> HttpResponse:
    _mailbox_open(request)
    entry = mailbox_entry(name)
    if entry is None:
        raise Http404("no such email in the mailbox")
    return _private(render(request, "notifications/mailbox/detail.html", {"entry": entry}))


@public
@never_cache
@require_http_methods(["GET"])
def mailbox_file(request: HttpRequest, name: str, number: str) -> HttpResponse:
    """An attachment by its place in the email (1, 2, ...); a position, not a database id."""
    _mailbox_open(request)
    found = mailbox_attachment(name, int(number)) if number.isdigit() else None
    if found is None:
        raise Http404("no such attachment")
    filename, content_type, data = found
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return _private(response)

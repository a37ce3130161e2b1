"""The admin site, with the dates in its query strings checked.

The admin's lists take filters from the query string, dates among them
(``?at__gte=2026-01-01``, the date hierarchy's ``?at__year=2026&at__month=3``). Django
hands a day at an end of the calendar on to the database, where its conversion to UTC,
or the next day, month or year that the date hierarchy computes, overflows: a server
error. Every admin view of a model checks those values first and answers a day outside
``dates.PORTAL_DAYS`` with a message on the same page without its query.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.contrib import admin, messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django_otp.admin import OTPAdminSite

from . import dates

YEAR_LOOKUPS = {"year", "iso_year"}
# The other parts of a date a filter can name: month, day, week, hour …: small numbers.
PART_LOOKUPS = {"month", "day", "week", "week_day", "iso_week_day", "quarter", "hour", "minute", "second"}
LIST_LOOKUPS = {"in", "range"}

ViewType = TypeVar("ViewType", bound=Callable[..., Any])


def date_lookups_problem(*, model: type[models.Model], query: QueryDict) -> str:
    """The message for the first filter of ``query`` on a date field of ``model`` that names a day outside
    ``dates.PORTAL_DAYS``, or "". A value that is not a date at all is left to the admin, which reports it."""
    for key, values in query.lists():
        name, _sep, lookup = key.partition("__")
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not isinstance(field, models.DateField):  # a DateTimeField is one too
            continue
        for value in values:
            parts = value.split(",") if lookup in LIST_LOOKUPS else [value]
            if any(not _acceptable(field, lookup, part.strip()) for part in parts):
                return dates.out_of_range_message(dates.PORTAL_DAYS)
    return ""


def _acceptable(field: models.DateField, lookup: str, value: str) -> bool:
    if lookup == "isnull" or not value:
        return True
    if lookup in YEAR_LOOKUPS or lookup in PART_LOOKUPS:
        try:
            number = int(value)
        except ValueError:
            return True
        if lookup in YEAR_LOOKUPS:
            return dates.PORTAL_DAYS.first.year <= number <= dates.PORTAL_DAYS.last.year
        return 0 <= number <= 99
    try:
        day = field.to_python(value)
    except (ValidationError, OverflowError):
        return True
    return day is None or day in dates.PORTAL_DAYS


class AdminSite(admin.AdminSite):
    """Django's admin site; every model admin view checks its date filters first (``date_lookups_problem``)."""

    def admin_view(self, view: ViewType, cacheable: bool = False) -> ViewType:
        model_admin = getattr(view, "__self__", None)
        if isinstance(model_admin, admin.ModelAdmin):
            return super().admin_view(cast(ViewType, _checked(view, model_admin.model)), cacheable)
        return super().admin_view(view, cacheable)


def _checked(view: Callable[..., HttpResponse], model: type[models.Model]) -> Callable[..., HttpResponse]:
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        problem = date_lookups_problem(model=model, query=request.GET)
        if problem:
            messages.error(request, problem)
            return HttpResponseRedirect(request.path)
        return view(request, *args, **kwargs)

    return checked


class TwoFactorAdminSite(AdminSite, OTPAdminSite):
    """The same, asking for the TOTP code as well, like the back office."""

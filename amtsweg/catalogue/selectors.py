"""Reads of the catalogue. Views call these; they hold no query logic themselves."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from amtsweg.core.memo import Memo, Row, memo

from . import search
from .models import Department, Fee, Location, OpeningHours, Referral, Service


# Services with their departments, kept in this process per content version (core.memo): every
# catalogue change bumps the version, so they are exact on every app server. Reading a service through a
# join costs about half a millisecond of CPU (its many translated columns); the status and confirmation
# pages, the payment pages, the return and the paid notification each need one.
@memo("catalogue.service_with_department")
def service_with_department(*, pk: int) -> Service:
    """A service (published or not) with its department; each call gets its own instances."""
    return Row.of(Service.objects.select_related("department").get(pk=pk), related=("department",))  # type: ignore[return-value]


def _published_services() -> QuerySet[Service]:
    return Service.objects.filter(published=True)


# What a service link in a list shows; the long texts stay in the database.
LIST_FIELDS = ("slug", "department_id", "order", "popular_rank", "name_de", "name_en", "summary_de", "summary_en")


def department_list_with_services() -> list[Department]:
    """Departments that offer at least one published service, each with its services."""
    services = _published_services().only(*LIST_FIELDS).order_by("order", "slug")
    departments = Department.objects.prefetch_related(
        Prefetch("services", queryset=services, to_attr="published_services")
    )
    return [d for d in departments if d.published_services]


def service_list_popular(*, limit: int = 6) -> QuerySet[Service]:
    popular = _published_services().filter(popular_rank__isnull=False).only(*LIST_FIELDS)
    return popular.order_by("popular_rank", "slug")[:limit]


def service_get_published(*, slug: str) -> Service:
    """The published service with this slug, with everything its page shows; 404 otherwise."""
    queryset = (
        _published_services()
        .select_related("department", "department__main_location")
        .prefetch_related(
            "fees",
            Prefetch(
                "locations",
                queryset=Location.objects.filter(published=True).prefetch_related("opening_hours"),
            ),
        )
    )
    return get_object_or_404(queryset, slug=slug)


def department_opening_hours(*, department: Department) -> list[OpeningHours]:
    if department.main_location_id is None:
        return []
    return list(OpeningHours.objects.filter(location_id=department.main_location_id))


def fee_list_current(*, service: Service, on: datetime.date | None = None) -> tuple[Fee, ...]:
    """The fee items in force on a day: per code, the newest version not in the future.

    Kept in the process per content version (core.memo), which every change of a fee bumps: the form's
    start page, its check page and the submission each need them. Each call gets its own instances.
    """
    return _fees_in_force(service_id=service.pk, day=on or timezone.localdate())


@memo("catalogue.fees_in_force")
def _fees_in_force(*, service_id: int, day: datetime.date) -> tuple[Fee, ...]:
    current: dict[str, Fee] = {}
    for fee in Fee.objects.filter(service_id=service_id):
        if fee.valid_from > day:
            continue
        known = current.get(fee.code)
        if known is None or fee.valid_from > known.valid_from:
            current[fee.code] = fee
    return tuple(Row.of(fee) for fee in sorted(current.values(), key=lambda f: (f.order, f.code)))  # type: ignore[misc]


def location_list() -> QuerySet[Location]:
    return (
        Location.objects.filter(published=True)
        .select_related("department")
        .prefetch_related(
            "opening_hours",
            Prefetch("services", queryset=_published_services().order_by("order", "slug")),
        )
    )


# --- the start button -------------------------------------------------------
# Modules that run an online form for a service (the applications engine)
# register a resolver here; the first one that answers wins. Without one, a
# configured external form address is used; otherwise the page shows the
# counter alternative.
StartResolver = Callable[[Service], str | None]
_start_resolvers: list[StartResolver] = []


def register_start_resolver(resolver: StartResolver) -> StartResolver:
    _start_resolvers.append(resolver)
    return resolver


def service_start_url(*, service: Service) -> str | None:
    for resolver in _start_resolvers:
        url = resolver(service)
        if url:
            return url
    return service.external_url or None


# --- search -----------------------------------------------------------------
@dataclass
class SearchResult:
    query: str
    truncated: bool
    services: list[Service]
    referrals: list[Referral]
    booking: bool = False  # the query asks for an appointment: the page links to online booking


def _both(obj: object, name: str) -> list[str]:
    return [getattr(obj, f"{name}_de", "") or "", getattr(obj, f"{name}_en", "") or ""]


def _split(words: list[str]) -> list[str]:
    return [w.strip() for text in words for w in text.split(",") if w.strip()]


_index = Memo("catalogue.search_index", max_entries=1)


def _search_documents() -> tuple[search.Document, ...]:
    """The search index, rebuilt once per catalogue content version in each process. The documents hold
    ``Row`` copies of the services and referrals; ``catalogue_search`` makes instances of the ranked ones."""
    return _index.get("documents", _build_search_documents)


def _build_search_documents() -> tuple[search.Document, ...]:
    documents: list[search.Document] = []
    for service in _published_services().select_related("department"):
        documents.append(
            search.build_document(
                "service",
                Row.of(service),
                titles=_both(service, "name"),
                keywords=_split(_both(service, "synonyms")),
                texts=[*_both(service, "summary"), *_both(service.department, "name")],
            )
        )
    for referral in Referral.objects.filter(published=True).select_related("location"):
        documents.append(
            search.build_document(
                "referral",
                Row.of(referral, related=("location",)),
                titles=_both(referral, "name"),
                keywords=_split(_both(referral, "synonyms")),
                texts=[],
            )
        )
    return tuple(documents)


def catalogue_search(*, query: str) -> SearchResult:
    cleaned, truncated = search.clean_query(query)
    ranked = search.rank(cleaned, _search_documents())
    return SearchResult(
        query=cleaned,
        truncated=truncated,
        services=[d.obj.instance() for d in ranked if d.kind == "service"],  # type: ignore[attr-defined]
        referrals=[d.obj.instance() for d in ranked if d.kind == "referral"],  # type: ignore[attr-defined]
        booking=search.asks_for_booking(cleaned),
    )


# --- staff scoping ----------------------------------------------------------
def department_ids_for_staff(*, user: object) -> set[int] | None:
    """The departments a staff member may edit; ``None`` means all of them."""
    if getattr(user, "is_superuser", False) or user.has_perm("catalogue.edit_all_departments"):  # type: ignore[attr-defined]
        return None
    return set(user.departments.values_list("pk", flat=True))  # type: ignore[attr-defined]


# --- the city ---------------------------------------------------------------
def address_in_city(*, address: object) -> bool:
    """Whether an address answer (a dict with a ``postcode``) lies in the city (settings.CITY_POSTCODES).

    Several service families ask it: the Bürgerbüro for a deregistration, the Standesamt for a place of death.
    """
    from django.conf import settings

    return isinstance(address, dict) and str(address.get("postcode", "")) in settings.CITY_POSTCODES

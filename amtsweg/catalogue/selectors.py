"""Reads of the catalogue. Views call these; they hold no query logic themselves."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from amtsweg.core.pagecache import content_memo, content_version

from . import search
from .models import Department, Fee, Location, OpeningHours, Referral, Service

# Services with their departments, kept in this process per content version (core.pagecache): every
# catalogue change bumps the version, so they are exact on every app server. Reading a service through a
# join costs about half a millisecond of CPU (its many translated columns); the status and confirmation
# pages, the payment pages, the return and the paid notification each need one.
_service_memo: dict[int, tuple[int, Service]] = {}


def service_with_department(*, pk: int) -> Service:
    """A service (published or not) with its department. Read-only: shared within the process."""
    return content_memo(_service_memo, pk, lambda: Service.objects.select_related("department").get(pk=pk))


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


_fee_memo: dict[tuple[int, datetime.date], tuple[int, tuple[Fee, ...]]] = {}


def fee_list_current(*, service: Service, on: datetime.date | None = None) -> tuple[Fee, ...]:
    """The fee items in force on a day: per code, the newest version not in the future.

    Kept in the process per content version, which every change of a fee bumps: the form's start
    page, its check page and the submission each need them. Read-only: shared within the process.
    """
    day = on or timezone.localdate()

    def load() -> tuple[Fee, ...]:
        current: dict[str, Fee] = {}
        for fee in service.fees.all():
            if fee.valid_from > day:
                continue
            known = current.get(fee.code)
            if known is None or fee.valid_from > known.valid_from:
                current[fee.code] = fee
        return tuple(sorted(current.values(), key=lambda f: (f.order, f.code)))

    return content_memo(_fee_memo, (service.pk, day), load)


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


def _both(obj: object, name: str) -> list[str]:
    return [getattr(obj, f"{name}_de", "") or "", getattr(obj, f"{name}_en", "") or ""]


def _split(words: list[str]) -> list[str]:
    return [w.strip() for text in words for w in text.split(",") if w.strip()]


_index_cache: dict[str, object] = {}


def _search_documents() -> list[search.Document]:
    """The search index, rebuilt once per catalogue content version in each process."""
    version = content_version()
    if _index_cache.get("version") != version:
        documents: list[search.Document] = []
        for service in _published_services().select_related("department"):
            documents.append(
                search.build_document(
                    "service",
                    service,
                    titles=_both(service, "name"),
                    keywords=_split(_both(service, "synonyms")),
                    texts=[*_both(service, "summary"), *_both(service.department, "name")],
                )
            )
        for referral in Referral.objects.filter(published=True).select_related("location"):
            documents.append(
                search.build_document(
                    "referral",
                    referral,
                    titles=_both(referral, "name"),
                    keywords=_split(_both(referral, "synonyms")),
                    texts=[],
                )
            )
        _index_cache.update(version=version, documents=documents)
    return _index_cache["documents"]  # type: ignore[return-value]


def catalogue_search(*, query: str) -> SearchResult:
    cleaned, truncated = search.clean_query(query)
    ranked = search.rank(cleaned, _search_documents())
    return SearchResult(
        query=cleaned,
        truncated=truncated,
        services=[d.obj for d in ranked if d.kind == "service"],  # type: ignore[misc]
        referrals=[d.obj for d in ranked if d.kind == "referral"],  # type: ignore[misc]
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

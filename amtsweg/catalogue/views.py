from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from amtsweg.core.i18n import page_languages_set
from amtsweg.core.pagecache import cache_public_page
from amtsweg.core.trustgate import public

from . import selectors


@public
@cache_public_page
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalogue/home.html",
        {
            "departments": selectors.department_list_with_services(),
            "popular": selectors.service_list_popular(),
        },
    )


@public
@cache_public_page
def service_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalogue/service_list.html",
        {"departments": selectors.department_list_with_services()},
    )


@public
@cache_public_page
def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    service = selectors.service_get_published(slug=slug)
    page_languages_set(request, service.languages)
    fees = selectors.fee_list_current(service=service)
    return render(
        request,
        "catalogue/service_detail.html",
        {
            "service": service,
            "fees": fees,
            # A fact without a confirmed source is said once, quietly, at the end of the page.
            "review_pending": service.needs_review or any(fee.needs_review for fee in fees),
            "department_hours": selectors.department_opening_hours(department=service.department),
            "start_url": selectors.service_start_url(service=service),
        },
    )


@public
@cache_public_page
def location_list(request: HttpRequest) -> HttpResponse:
    locations = selectors.location_list()
    return render(
        request,
        "catalogue/location_list.html",
        {"locations": locations, "review_pending": any(location.needs_review for location in locations)},
    )


@public
@cache_public_page
def search(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("q", "")
    result = selectors.catalogue_search(query=raw) if raw.strip() else None
    return render(request, "catalogue/search.html", {"q": raw[:200], "result": result})

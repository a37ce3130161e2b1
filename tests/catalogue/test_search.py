import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amtsweg.catalogue import search
from amtsweg.catalogue.selectors import catalogue_search


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("Auto anmelden", "kfz-neuzulassung"),
        ("Ummeldung Zweitwohnsitz", "nebenwohnung-abmelden"),
        ("Heiratsurkunde", "eheurkunde"),
        ("heiratsurkunde", "eheurkunde"),
        ("HEIRATSURKUNDE", "eheurkunde"),
        ("Geburtsurkunde", "geburtsurkunde"),
        ("Kirchenaustritt", "kirchenaustritt"),
        ("Einbuergerung", "einbuergerung-voranfrage"),
        ("Einbürgerung", "einbuergerung-voranfrage"),
        ("birth certificate", "geburtsurkunde"),
        ("register a car", "kfz-neuzulassung"),
        ("Meldebescheinigung", "meldebescheinigung"),
        ("Auto abmelden", "kfz-ausserbetriebsetzung"),
    ],
)
def test_search_finds_the_service_first(kassel, query, slug):
    result = catalogue_search(query=query)
    assert result.services, f"nothing found for {query!r}"
    assert result.services[0].slug == slug


def test_search_for_fuehrungszeugnis_says_honestly_it_is_not_offered_here(client, kassel):
    result = catalogue_search(query="Führungszeugnis")
    assert [r.slug for r in result.referrals] == ["fuehrungszeugnis"]
    html = client.get("/suche/", {"q": "Führungszeugnis"}).content.decode()
    assert "Nicht online hier verfügbar" in html
    assert "wird auf diesem Portal nicht online angeboten" in html


def test_search_is_umlaut_insensitive(kassel):
    assert search.normalize("Bürgeramt") == search.normalize("Buergeramt") == "buergeramt"
    assert search.normalize("Straße") == search.normalize("STRASSE")
    with_umlaut = [s.slug for s in catalogue_search(query="Bürgerbüro").services]
    without = [s.slug for s in catalogue_search(query="Buergerbuero").services]
    assert with_umlaut == without
    assert with_umlaut


def test_search_renders_for_empty_query(client, kassel):
    response = client.get("/suche/", {"q": ""})
    assert response.status_code == 200
    assert client.get("/suche/").status_code == 200
    assert client.get("/suche/", {"q": "   "}).status_code == 200


def test_very_long_query_is_cut_with_notice(client, kassel):
    response = client.get("/suche/", {"q": "Urkunde " * 5000})
    assert response.status_code == 200
    assert "nur die ersten 200 Zeichen" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "\x00",
        "💥🚗",
        "‮Auto",
        "ﬁ",
        "Ⓐⓤⓣⓞ",
        "a" * 10_000,
        "<script>alert(1)</script>",
        "%00",
        "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
        "ɐuɯǝlpǝu",
        "Ａｕｔｏ ａｎｍｅｌｄｅｎ",
    ],
)
def test_odd_unicode_queries_never_fail(client, kassel, query):
    response = client.get("/suche/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_fullwidth_letters_are_normalised(kassel):
    assert catalogue_search(query="Ａｕｔｏ ａｎｍｅｌｄｅｎ").services[0].slug == "kfz-neuzulassung"


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.text(max_size=300))
def test_ranking_never_raises_on_any_text(query):
    docs = [search.build_document("service", object(), titles=["Eheurkunde"], keywords=["Heiratsurkunde"], texts=[])]
    result = search.rank(query, docs)
    assert isinstance(result, list)


def test_search_finds_nothing_and_offers_the_catalogue(client, kassel):
    html = client.get("/suche/", {"q": "Xylophonreparatur"}).content.decode()
    assert "0 Dienste gefunden" in html
    assert 'href="/leistungen/"' in html

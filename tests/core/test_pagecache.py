import pytest
from django.test import Client

from amtsweg.catalogue.models import Service
from amtsweg.core import memo


def test_second_visit_is_served_from_the_cache(client, kassel):
    first = client.get("/leistungen/kirchenaustritt/")
    second = client.get("/leistungen/kirchenaustritt/")
    assert "X-Amtsweg-Cache" not in first
    assert second["X-Amtsweg-Cache"] == "hit"
    assert first.content == second.content


def test_languages_are_cached_apart(client, kassel):
    client.get("/leistungen/kirchenaustritt/")
    english = client.get("/en/leistungen/kirchenaustritt/")
    assert '<html lang="en"' in english.content.decode()


def test_a_saved_change_makes_every_cached_page_stale(client, kassel, django_capture_on_commit_callbacks):
    client.get("/")
    client.get("/leistungen/kirchenaustritt/")
    service = Service.objects.get(slug="kirchenaustritt")
    service.name_de = "Austritt aus der Kirche"
    with django_capture_on_commit_callbacks(execute=True):
        service.save()
    assert "Austritt aus der Kirche" in client.get("/leistungen/kirchenaustritt/").content.decode()
    assert "Austritt aus der Kirche" in client.get("/").content.decode()


def test_a_rolled_back_change_does_not_bump_the_version(kassel, django_capture_on_commit_callbacks):
    before = memo.content_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Service.objects.get(slug="kirchenaustritt").save()
    assert callbacks  # the bump waits for the commit ...
    assert memo.content_version() == before  # ... and never ran here


def test_visitors_with_a_session_bypass_the_cache(kassel, settings):
    visitor = Client()
    visitor.cookies[settings.SESSION_COOKIE_NAME] = "abc"
    visitor.get("/leistungen/kirchenaustritt/")
    assert "X-Amtsweg-Cache" not in visitor.get("/leistungen/kirchenaustritt/")


@pytest.mark.parametrize("path", ["/leistungen/gibt-es-nicht/", "/suche/?q=" + "x" * 300])
def test_not_found_and_long_queries_are_not_cached(client, kassel, path):
    client.get(path)
    assert "X-Amtsweg-Cache" not in client.get(path)


def test_an_evicted_version_never_revives_old_pages(client, kassel):
    from django.core.cache import cache

    client.get("/leistungen/kirchenaustritt/")
    old = memo.content_version()
    cache.delete(memo.VERSION_KEY)
    assert memo.content_version() != old
    assert "X-Amtsweg-Cache" not in client.get("/leistungen/kirchenaustritt/")


def test_a_rate_limit_counter_in_the_file_cache_lasts_its_whole_window(tmp_path, monkeypatch):
    """Django's file cache gave an incremented entry the default 5 minutes: an hour's limit ran out early."""
    import time

    from amtsweg.core import cache as file_cache
    from amtsweg.core.ratelimit import too_many

    store = file_cache.FileCache(str(tmp_path), {})
    monkeypatch.setattr("amtsweg.core.ratelimit.cache", store)
    assert [too_many("appt:ip:192.0.2.1", limit=2, window=3600) for _ in range(3)] == [False, False, True]
    started = time.time()
    monkeypatch.setattr(time, "time", lambda: started + 1800)  # half an hour later (the caches' clock)
    assert store.get("appt:ip:192.0.2.1") == 3 and too_many("appt:ip:192.0.2.1", limit=2, window=3600)
    monkeypatch.setattr(time, "time", lambda: started + 3601)  # the hour is over
    assert store.get("appt:ip:192.0.2.1") is None
    with pytest.raises(ValueError):
        store.incr("appt:ip:192.0.2.1")
    assert not too_many("appt:ip:192.0.2.1", limit=2, window=3600)


def test_a_request_reads_the_content_version_once(client, forms, monkeypatch):
    """A form page asks for the version for its service, its form and its fees: one cache read serves them all."""
    from django.core.cache import cache

    reads = []
    original = cache.get

    def counting_get(key, *args, **kwargs):  # type: ignore[no-untyped-def]
        if key == memo.VERSION_KEY:
            reads.append(key)
        return original(key, *args, **kwargs)

    client.post("/antrag/geburtsurkunde/")  # a draft, so that the step page reads the form and the service
    monkeypatch.setattr(cache, "get", counting_get)
    page = client.get("/antrag/geburtsurkunde/schritt/relationship/")
    assert page.status_code == 200
    assert len(reads) == 1


def test_the_next_request_sees_a_change_made_elsewhere_meanwhile(client, kassel):
    """The version is kept for one request only: another server's change (here, written straight to the
    shared cache) is seen on the next request."""
    from django.core.cache import cache

    client.get("/leistungen/kirchenaustritt/")
    assert client.get("/leistungen/kirchenaustritt/")["X-Amtsweg-Cache"] == "hit"
    Service.objects.filter(slug="kirchenaustritt").update(name_de="Austritt aus der Kirche")
    cache.set(memo.VERSION_KEY, memo.content_version() + 1, timeout=None)
    page = client.get("/leistungen/kirchenaustritt/")
    assert "X-Amtsweg-Cache" not in page
    assert "Austritt aus der Kirche" in page.content.decode()
    assert memo.content_version() == cache.get(memo.VERSION_KEY)  # outside a request: read afresh

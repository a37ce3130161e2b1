from django.test import RequestFactory
from django.utils import translation

from amtsweg.core.views import error_500


def test_500_page_is_in_the_portal_style_and_needs_no_database():
    request = RequestFactory().get("/leistungen/")
    with translation.override("de"):
        response = error_500(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="de"' in html
    assert 'href="#main"' in html and 'id="main"' in html
    assert "geht nicht verloren" in html
    assert "115" in html


def test_500_page_in_english():
    request = RequestFactory().get("/en/leistungen/")
    with translation.override("en"):
        html = error_500(request).content.decode()
    assert "Sorry, there is a problem with the service" in html


def test_unknown_language_prefix_is_a_404(client, db):
    assert client.get("/fr/leistungen/").status_code == 404

"""The benchmarks' reference views: off unless the bench harness switches them on."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.utils import translation

from amtsweg.applications.models import Draft
from benchmarks.views import BENCH_FLOOR_SERVICE, question_page_floor
from tests.applications.factories import FormVersionFactory

pytestmark = pytest.mark.django_db


def _request(drafts: dict[str, str]):  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/_bench/question-floor")
    request.session = SessionStore()
    request.session["drafts"] = drafts
    return request


def test_the_question_page_floor_reads_the_draft_and_renders_the_frame_with_a_form():
    version = FormVersionFactory()
    draft = Draft.objects.create(service=version.service, form_version=version, language="de")
    with translation.override("de"):
        response = question_page_floor(_request({BENCH_FLOOR_SERVICE: str(draft.uuid)}))
    page = response.content.decode()
    assert response.status_code == 200
    assert str(draft.uuid) in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert "Weiter" in page and "<footer" in page


def test_the_question_page_floor_without_a_draft_still_answers():
    with translation.override("de"):
        response = question_page_floor(_request({}))
    assert response.status_code == 200


def test_the_bench_endpoints_are_not_routed_unless_switched_on(client):
    assert client.get("/_bench/question-floor").status_code == 404
    assert client.get("/_bench/minimal").status_code == 404

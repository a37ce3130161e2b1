"""The city's seal on a PDF (documents/seal.py)."""

import asyncio

import pytest

from amtsweg.documents.pdf import submission_summary_pdf
from amtsweg.documents.seal import seal_pdf
from tests.applications.factories import SubmissionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo_seal(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"  # the demo seal's key is made here
    settings.DOCUMENTS_SEAL = {**settings.DOCUMENTS_SEAL, "demo": True, "key_file": "", "cert_file": ""}


def _sealed_in_pdf(data: bytes) -> bool:
    return b"/ByteRange" in data and b"/Sig" in data


def test_a_pdf_is_sealed():
    pdf = submission_summary_pdf(submission=SubmissionFactory())
    assert _sealed_in_pdf(seal_pdf(pdf=pdf, reason="Test", location="Kassel"))


def test_a_pdf_is_sealed_where_an_event_loop_is_running_in_the_thread():
    """pyHanko signs through asyncio.run, which cannot start inside a running loop (an async caller, or a test
    process that drives a browser through Playwright): the seal is then made in a thread of its own."""
    pdf = submission_summary_pdf(submission=SubmissionFactory())

    async def caller() -> bytes:
        return seal_pdf(pdf=pdf, reason="Test", location="Kassel")

    assert _sealed_in_pdf(asyncio.run(caller()))

"""The file field: the type is read from the first bytes, never from the name or the browser."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from amtsweg.applications.formengine.fields import detect_file_type
from amtsweg.applications.formengine.registry import field_types

from .helpers import clean, messages, spec

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100
PDF = b"%PDF-1.7\n" + b"\x00" * 100
REFERENCE = {
    "id": "6f1c1d0e-4a6e-4f53-8d4b-0d6c1f6a1b2c",
    "name": "ausweis.pdf",
    "size": 2048,
    "content_type": "application/pdf",
}


def upload(content: bytes, name: str = "x.pdf", content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("content", "kind"), [(PDF, "pdf"), (JPEG, "jpeg"), (PNG, "png"), (b"hello", None), (b"", None)]
)
def test_file_type_is_detected_from_the_magic_number(content, kind):
    assert detect_file_type(content) == kind


@pytest.mark.parametrize(
    ("content", "content_type"), [(PDF, "application/pdf"), (JPEG, "image/jpeg"), (PNG, "image/png")]
)
def test_pdf_jpeg_and_png_are_accepted_and_keep_the_upload_as_value(content, content_type):
    file = upload(content, name="scan.bin", content_type="application/octet-stream")
    cleaned = clean(spec("file"), {}, {"q": file})
    assert cleaned.errors == []
    assert cleaned.value is file
    assert cleaned.value.content_type == content_type


def test_png_renamed_to_pdf_is_accepted_only_as_png():
    file = upload(PNG, name="scan.pdf", content_type="application/pdf")
    assert clean(spec("file"), {}, {"q": file}).value.content_type == "image/png"


def test_png_renamed_to_pdf_is_refused_when_only_pdf_is_accepted():
    file = upload(PNG, name="scan.pdf", content_type="application/pdf")
    assert messages(clean(spec("file", accept=["pdf"]), {}, {"q": file})) == ["The selected file must be a PDF"]


def test_text_file_named_pdf_is_refused():
    file = upload(b"just some text, honest", name="x.pdf", content_type="application/pdf")
    assert messages(clean(spec("file"), {}, {"q": file})) == ["The selected file must be a PDF, JPG or PNG"]


def test_file_over_max_size_is_refused_and_at_the_limit_is_accepted():
    limit = 1024 * 1024
    at_limit = upload(PDF + b"\x00" * (limit - len(PDF)))
    over = upload(PDF + b"\x00" * (limit - len(PDF) + 1))
    assert clean(spec("file", max_size_mb=1), {}, {"q": at_limit}).errors == []
    assert messages(clean(spec("file", max_size_mb=1), {}, {"q": over})) == [
        "The selected file must be smaller than 1 MB"
    ]


def test_empty_file_is_refused():
    assert messages(clean(spec("file"), {}, {"q": upload(b"")})) == ["The selected file is empty"]


def test_no_file_is_a_required_error_or_no_answer():
    assert messages(clean(spec("file"), {}, {})) == ["Select a file"]
    assert clean(spec("file", required=False), {}, {}).value is None


def test_a_file_stored_earlier_is_kept_when_no_new_file_is_sent():
    assert clean(spec("file"), {"q-stored": REFERENCE}, {}).value == REFERENCE


def test_a_new_file_replaces_the_stored_one():
    file = upload(PDF)
    assert clean(spec("file"), {"q-stored": REFERENCE}, {"q": file}).value is file


def test_a_stored_reference_posted_as_text_is_ignored():
    # Only the server puts a reference into the data; a citizen cannot post one.
    assert messages(clean(spec("file"), {"q-stored": '{"id": "x"}'}, {})) == ["Select a file"]


def test_file_is_displayed_with_its_name_and_size():
    assert field_types.get("file").display(spec("file"), REFERENCE) == "ausweis.pdf (2.0\xa0KB)"


def test_file_inputs_carry_the_stored_reference_for_the_template():
    inputs = field_types.get("file").inputs(spec("file"), REFERENCE)
    assert inputs["stored"] == REFERENCE


def test_file_options_are_checked():
    file_type = field_types.get("file")
    assert file_type.validate_spec(spec("file", accept=["pdf", "docx"], max_size_mb=0)) == [
        "option 'max_size_mb' must be a positive number",
        "option 'accept' has unknown file types: docx (allowed: jpeg, pdf, png)",
    ]

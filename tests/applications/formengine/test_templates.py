"""Every field type's template: ids the error summary can link to, described-by, autocomplete, locking."""

from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from amtsweg.applications.formengine.base import FieldError, FieldInputs, FieldSpec, tr
from amtsweg.applications.formengine.registry import field_types

from .helpers import BUILT_IN_TYPES, CHOICES

BUILT_IN = list(BUILT_IN_TYPES)


class Elements(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def ids(self) -> set[str]:
        return {attrs["id"] for _tag, attrs in self.elements if attrs.get("id")}

    def inputs(self) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.elements if tag in ("input", "textarea") and attrs.get("type") != "hidden"]

    def tags(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.elements if tag == name]


def make_spec(type_: str, **options) -> FieldSpec:
    if type_ in ("choice", "multichoice"):
        options.setdefault("choices", CHOICES)
    return FieldSpec(
        key="q",
        type=type_,
        label={"de": "Frage", "en": "The question"},
        hint={"de": "Hinweis", "en": "A hint"},
        options=options,
    )


def render(spec: FieldSpec, value=None, errors=(), *, as_heading=False, locked=False, inputs=None) -> str:
    """Render as the step page does: the context documented for field templates."""
    field_type = field_types.get(spec.type)
    return render_to_string(
        field_type.template,
        {
            "field": spec,
            "label": tr(spec.label),
            "hint": tr(spec.hint),
            "inputs": FieldInputs(spec.key, inputs if inputs is not None else field_type.inputs(spec, value)),
            "errors": list(errors),
            "as_heading": as_heading,
            "locked": locked,
            "choices": field_type.choices(spec),
            "autocomplete": field_type.autocomplete,
        },
    )


@pytest.mark.parametrize("type_", BUILT_IN)
def test_every_input_has_an_id_and_a_label_and_the_first_is_the_default_error_anchor(type_):
    page = Elements(render(make_spec(type_)))
    inputs = page.inputs()
    assert all(attrs.get("id", "").startswith("id_q") for attrs in inputs)
    first = {"date": "day", "address": "street", "person_name": "given_names"}.get(type_)
    assert inputs[0]["id"] == FieldError("q", "", first).anchor
    labelled = {attrs["for"] for attrs in page.tags("label")}
    assert {attrs["id"] for attrs in inputs} <= labelled, "every input has a label"


@pytest.mark.parametrize("type_", BUILT_IN)
def test_error_summary_anchors_exist_and_the_error_has_a_hidden_prefix(type_):
    spec = make_spec(type_)
    part = {"date": "day", "address": "street", "person_name": "given_names"}.get(type_)
    error = FieldError("q", "Something is wrong", part)
    html = render(spec, errors=[error])
    page = Elements(html)
    assert error.anchor in page.ids()
    assert "id_q-error" in page.ids()
    assert '<span class="kern-sr-only">Error:</span> Something is wrong' in html


@pytest.mark.parametrize("type_", BUILT_IN)
def test_hint_and_error_are_referenced_by_aria_describedby(type_):
    html = render(make_spec(type_), errors=[FieldError("q", "Wrong", None)])
    page = Elements(html)
    described = [attrs["aria-describedby"] for _tag, attrs in page.elements if attrs.get("aria-describedby")]
    assert described, type_
    assert all(value == " ".join(value.split()) for value in described), described
    referenced = {ref for value in described for ref in value.split()}
    assert {"id_q-hint", "id_q-error"} <= referenced
    assert referenced <= page.ids()


@pytest.mark.parametrize("type_", BUILT_IN)
def test_as_heading_makes_the_label_or_legend_the_h1(type_):
    html = render(make_spec(type_), as_heading=True)
    assert "<h1" in html and "The question" in html.split("<h1", 1)[1].split("</h1>", 1)[0]


@pytest.mark.parametrize(
    ("type_", "expected"),
    [
        ("email", {"id_q": "email"}),
        ("phone", {"id_q": "tel"}),
        ("postcode", {"id_q": "postal-code"}),
        ("address", {"id_q-street": "address-line1", "id_q-postcode": "postal-code", "id_q-town": "address-level2"}),
        ("person_name", {"id_q-given_names": "given-name", "id_q-family_name": "family-name"}),
    ],
)
def test_personal_fields_have_autocomplete_tokens(type_, expected):
    inputs = {attrs["id"]: attrs.get("autocomplete") for attrs in Elements(render(make_spec(type_))).inputs()}
    assert {key: inputs[key] for key in expected} == expected


def test_text_field_takes_its_autocomplete_token_from_the_definition():
    inputs = Elements(render(make_spec("text", autocomplete="given-name"))).inputs()
    assert inputs[0]["autocomplete"] == "given-name"


def test_date_of_birth_gets_bday_autocomplete():
    inputs = Elements(render(make_spec("date", min_age=16))).inputs()
    assert [attrs["autocomplete"] for attrs in inputs] == ["bday-day", "bday-month", "bday-year"]


def test_values_are_filled_back_in():
    assert 'value="Erika"' in render(make_spec("text"), "Erika")
    page = Elements(render(make_spec("date"), "2026-03-05"))
    assert [attrs["value"] for attrs in page.inputs()] == ["5", "3", "2026"]
    radios = Elements(render(make_spec("choice"), "sibling")).inputs()
    assert [attrs["value"] for attrs in radios if "checked" in attrs] == ["sibling"]
    boxes = Elements(render(make_spec("multichoice"), ["self", "other"])).inputs()
    assert [attrs["value"] for attrs in boxes if "checked" in attrs] == ["self", "other"]
    yesno = Elements(render(make_spec("yesno"), False)).inputs()
    assert [attrs["value"] for attrs in yesno if "checked" in attrs] == ["no"]


def test_typed_text_is_escaped_when_shown_again():
    html = render(make_spec("text"), inputs={"q": '"><script>alert(1)</script>'})
    assert "<script>" not in html


def test_radios_have_distinct_ids_and_the_first_is_id_key():
    ids = [attrs["id"] for attrs in Elements(render(make_spec("choice"))).inputs()]
    assert ids[0] == "id_q" and len(set(ids)) == len(ids) == 3


@pytest.mark.parametrize("type_", ["text", "date", "address", "person_name", "postcode"])
def test_locked_text_inputs_are_readonly_and_marked_as_from_your_id(type_):
    html = render(make_spec(type_), locked=True)
    assert all("readonly" in attrs for attrs in Elements(html).inputs())
    assert "From your ID" in html


@pytest.mark.parametrize(("type_", "value"), [("choice", "self"), ("yesno", True), ("multichoice", ["self"])])
def test_locked_choices_are_disabled_and_still_send_their_value(type_, value):
    page = Elements(render(make_spec(type_), value, locked=True))
    assert all("disabled" in attrs for attrs in page.inputs())
    hidden = [attrs["value"] for attrs in page.tags("input") if attrs.get("type") == "hidden"]
    assert hidden == [{"choice": "self", "yesno": "yes", "multichoice": "self"}[type_]]


def test_optional_fields_say_so():
    spec = FieldSpec(key="q", type="text", label={"de": "Telefon", "en": "Phone"}, required=False)
    assert "(optional)" in render(spec)


def test_consent_shows_its_text_in_the_active_language():
    spec = make_spec("consent", text={"de": "Ich stimme zu", "en": "I agree"})
    assert "I agree" in render(spec)
    with translation.override("de"):
        assert "Ich stimme zu" in render(spec)


def test_file_input_accepts_only_the_allowed_types_and_names_a_stored_file():
    html = render(make_spec("file", accept=["pdf"]), {"id": "1", "name": "ausweis.pdf", "size": 10})
    assert Elements(html).inputs()[0]["accept"] == ".pdf,application/pdf"
    assert "You have uploaded ausweis.pdf" in html

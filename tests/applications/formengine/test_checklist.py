"""The checklist engine: documents and outcomes in a definition, checked when it is parsed, and what the answers
call for (formengine.checklist). The pilot is the Standesamt's death pre-notice and its § 38 PStV documents."""

import copy
from pathlib import Path

import pytest
import yaml

from amtsweg.applications.formengine.checklist import (
    ChecklistFile,
    checklist_build,
    documents_needed,
    outcome_for,
    upload_hint,
)
from amtsweg.applications.formengine.definition import DefinitionError, parse_definition

ROOT = Path(__file__).resolve().parents[3]
SMALL = yaml.safe_load(
    """
service: leistung
version: 1
title: {de: Testantrag, en: Test application}
steps:
  - key: person
    title: {de: Angaben, en: About you}
    fields:
      - key: status
        type: choice
        label: {de: Familienstand, en: Marital status}
        options:
          choices:
            - {value: single, label: {de: Ledig, en: Single}}
            - {value: divorced, label: {de: Geschieden, en: Divorced}}
      - {key: helper, type: yesno, label: {de: Bestatter, en: Undertaker}}
documents:
  - key: passport
    title: {de: Pass, en: Passport}
    explanation: {de: Ihr Pass, en: Your passport}
    original: original
  - key: decree
    title: {de: Scheidungsurteil, en: Divorce decree}
    explanation: {de: Mit Rechtskraftvermerk, en: Marked as final}
    condition: "status == 'divorced'"
    original: certified_copy
    upload: {accept: [pdf], max_size_mb: 5}
outcomes:
  - {key: done, kind: no_appointment, condition: "helper == True and documents_open == 0",
     text: {de: Kein Termin, en: No appointment}}
  - {key: check, kind: case, condition: "documents_needed > 1", text: {de: Wir prüfen, en: We check}}
  - {key: visit, kind: appointment, location: standesamt, duration: 20, text: {de: Termin, en: Appointment}}
"""
)


def pilot() -> dict:
    data = yaml.safe_load((ROOT / "amtsweg/civil_status/forms/sterbefall-voranzeige.yaml").read_text("utf-8"))
    data.pop("processing")
    return data


def problems(data: dict) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data)
    return caught.value.messages


def changed(**top) -> dict:
    data = copy.deepcopy(SMALL)
    data.update(top)
    return data


# --- parsing ---------------------------------------------------------------------------------------


def test_documents_and_outcomes_are_parsed_in_their_order():
    definition = parse_definition(SMALL)
    assert [d.key for d in definition.documents] == ["passport", "decree"]
    assert definition.documents[1].upload == {"accept": ["pdf"], "max_size_mb": 5}
    assert definition.documents[0].upload is None
    assert [(o.key, o.kind) for o in definition.outcomes] == [
        ("done", "no_appointment"),
        ("check", "case"),
        ("visit", "appointment"),
    ]
    assert definition.outcomes[2].location == "standesamt" and definition.outcomes[2].duration == 20


def test_a_document_condition_naming_an_unknown_answer_is_refused():
    data = changed()
    data["documents"][1]["condition"] = "staus == 'divorced'"
    assert problems(data) == [
        "document 2 ('decree'): the condition refers to 'staus', which is not a field of this form"
    ]


def test_an_outcome_condition_naming_an_unknown_answer_is_refused_but_the_checklist_counts_are_known():
    data = changed()
    data["outcomes"][0]["condition"] = "helpr == True and documents_open == 0 and documents_needed > 0"
    assert problems(data) == ["outcome 1 ('done'): the condition refers to 'helpr', which is not a field of this form"]


def test_a_document_cannot_depend_on_the_checklist_counts():
    data = changed()
    data["documents"][1]["condition"] = "documents_open == 0"
    assert problems(data) == [
        "document 2 ('decree'): the condition refers to 'documents_open', which is not a field of this form"
    ]


def test_untranslated_texts_are_refused():
    data = changed()
    data["documents"][0]["title"] = {"de": "Pass"}
    data["documents"][1]["explanation"] = "Mit Rechtskraftvermerk"
    data["outcomes"][1]["text"] = {"de": "Wir prüfen", "en": " "}
    assert problems(data) == [
        "document 1 ('passport'): 'title' has no text in en",
        "document 2 ('decree'): 'explanation' must give the text in German and English, like {de: ..., en: ...}",
        "outcome 2 ('check'): 'text' has no text in en",
    ]


def test_duplicate_keys_are_refused():
    data = changed()
    data["documents"][1]["key"] = "passport"
    data["outcomes"][1]["key"] = "done"
    assert problems(data) == [
        "document 2 ('passport'): the document key 'passport' is used twice",
        "outcome 2 ('done'): the outcome key 'done' is used twice",
    ]


def test_original_kind_and_upload_options_are_checked():
    data = changed()
    data["documents"][0]["original"] = "scan"
    data["documents"][1]["upload"] = {"accept": ["docx"], "max_size_mb": 0, "colour": True}
    assert problems(data) == [
        "document 1 ('passport'): 'original' must be one of original, certified_copy, copy (got 'scan')",
        "document 2 ('decree'): 'upload' has unknown entries colour",
        "document 2 ('decree'): 'upload' unknown option 'colour' for type 'file' (allowed: accept, max_size_mb)",
        "document 2 ('decree'): 'upload' option 'max_size_mb' must be a positive number",
        "document 2 ('decree'): 'upload' option 'accept' has unknown file types: docx (allowed: jpeg, pdf, png)",
    ]


def test_upload_true_takes_the_file_fields_defaults():
    data = changed()
    data["documents"][0]["upload"] = True
    spec = parse_definition(data).documents[0]
    assert spec.upload == {}
    assert upload_hint(spec) == "PDF, JPG or PNG, up to 10 MB"


def test_an_outcome_after_one_without_condition_is_never_reached():
    data = changed()
    data["outcomes"].append({"key": "late", "kind": "case", "text": {"de": "Spät", "en": "Late"}})
    assert problems(data) == ["outcome 4 ('late') is never reached: outcome 3 before it has no condition"]


def test_an_appointment_names_its_place_and_other_kinds_name_none():
    data = changed()
    data["outcomes"][2].pop("location")
    data["outcomes"][2]["duration"] = 0
    data["outcomes"][1]["location"] = "standesamt"
    assert problems(data) == [
        "outcome 2 ('check'): 'location' belong to an appointment only",
        "outcome 3 ('visit'): an appointment needs the 'location' slug of its booking link (got None)",
        "outcome 3 ('visit'): 'duration' must be a whole number of minutes from 1 to 480",
    ]


def test_only_an_appointment_is_booked_at_once_and_only_with_true_or_false():
    data = changed()
    data["outcomes"][2]["book_at_once"] = True
    assert parse_definition(data).outcomes[2].book_at_once is True
    assert parse_definition(SMALL).outcomes[2].book_at_once is False
    data["outcomes"][2]["book_at_once"] = "yes"
    data["outcomes"][1]["book_at_once"] = True
    assert problems(data) == [
        "outcome 2 ('check'): 'book_at_once' belong to an appointment only",
        "outcome 3 ('visit'): 'book_at_once' must be true or false",
    ]


def test_an_unknown_kind_is_refused():
    data = changed()
    data["outcomes"][0]["kind"] = "maybe"
    assert problems(data) == [
        "outcome 1 ('done'): 'kind' must be one of appointment, case, no_appointment (got 'maybe')"
    ]


def test_a_field_may_not_take_a_checklist_name():
    data = changed()
    data["steps"][0]["fields"][1]["key"] = "documents_open"
    assert any("the key 'documents_open' is reserved" in problem for problem in problems(data))


# --- which documents, which outcome ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("family_status", "expected"),
    [
        ("single", []),
        ("married", ["marriage_certificate"]),
        ("divorced", ["marriage_certificate", "dissolution_decree"]),
        ("widowed", ["marriage_certificate", "partner_death_certificate"]),
        ("partnership", ["partnership_certificate"]),
        ("partnership_dissolved", ["partnership_certificate", "dissolution_decree"]),
        ("partner_died", ["partnership_certificate", "partner_death_certificate"]),
    ],
)
def test_the_death_pre_notice_asks_for_the_documents_of_38_pstv_by_family_status(family_status, expected):
    definition = parse_definition(pilot())
    needed = [spec.key for spec in documents_needed(definition, {"family_status": family_status})]
    assert needed == ["death_certificate", "birth_certificate", *expected, "residence_proof"]


def test_every_document_of_the_pilot_may_be_uploaded_and_says_how_it_is_brought():
    definition = parse_definition(pilot())
    assert {spec.original for spec in definition.documents} == {"original", "certified_copy"}
    assert all(spec.upload is not None for spec in definition.documents)


def _files(definition, answers, *, but=()):  # type: ignore[no-untyped-def]
    return {
        spec.key: [ChecklistFile(uuid="u", name=f"{spec.key}.pdf", size=10)]
        for spec in documents_needed(definition, answers)
        if spec.key not in but
    }


def test_an_undertaker_who_uploaded_everything_needs_no_appointment():
    definition = parse_definition(pilot())
    answers = {"relationship": "undertaker", "family_status": "married"}
    checklist = checklist_build(definition, answers, files=_files(definition, answers))
    assert checklist.complete and checklist.received_count == 4
    assert checklist.next_step.kind == "no_appointment"
    assert checklist.next_step.key == "undertaker_complete"


def test_one_document_missing_or_another_reporter_means_an_appointment_at_the_standesamt():
    definition = parse_definition(pilot())
    undertaker = {"relationship": "undertaker", "family_status": "divorced"}
    missing = checklist_build(definition, undertaker, files=_files(definition, undertaker, but=["dissolution_decree"]))
    relative = {"relationship": "present", "family_status": "single"}
    everything = checklist_build(definition, relative, files=_files(definition, relative))
    for checklist in (missing, everything):
        assert checklist.next_step.kind == "appointment"
        assert (checklist.next_step.location, checklist.next_step.service) == ("standesamt", "sterbefall-voranzeige")
        assert checklist.next_step.duration == 30
    assert [item.key for item in missing.open_items] == ["dissolution_decree"]


def test_the_first_outcome_that_holds_wins():
    definition = parse_definition(SMALL)
    single = checklist_build(definition, {"status": "single", "helper": True})
    assert [item.key for item in single.open_items] == ["passport"]
    assert single.next_step.key == "visit"  # documents_open is 1, one document needed: on to the last
    divorced = checklist_build(definition, {"status": "divorced", "helper": False})
    assert divorced.next_step.key == "check"
    assert divorced.next_step.kind_label == "Checked by the office, no appointment planned"
    ticked = checklist_build(
        definition, {"status": "divorced", "helper": True}, ticks={"passport": True, "decree": True}
    )
    assert ticked.next_step.key == "done"


def test_no_outcome_holds_without_a_fallback():
    data = changed()
    data["outcomes"] = data["outcomes"][:1]
    definition = parse_definition(data)
    assert outcome_for(definition, {"status": "single", "helper": False}, []) is None
    assert checklist_build(definition, {"status": "single"}).next_step is None


def test_a_staff_tick_wins_over_an_upload():
    definition = parse_definition(SMALL)
    answers = {"status": "divorced"}
    files = {"decree": [ChecklistFile(uuid="u", name="urteil.pdf", size=10)]}
    checklist = checklist_build(definition, answers, files=files, ticks={"decree": False, "passport": True})
    assert [(item.key, item.received, item.uploaded) for item in checklist.items] == [
        ("passport", True, False),
        ("decree", False, True),
    ]
    assert [item.key for item in checklist.to_upload] == ["decree"]


def test_a_stored_outcome_stays_and_a_staff_decision_replaces_it():
    definition = parse_definition(SMALL)
    answers = {"status": "single", "helper": True}
    stored = checklist_build(definition, answers, ticks={"passport": True}, outcome_key="visit")
    assert stored.next_step.key == "visit"  # worked out now it would be "done"
    complete = checklist_build(definition, answers, outcome_key="visit", decision="complete")
    assert complete.next_step.kind == "no_appointment" and complete.next_step.decided_by_staff
    appointment = checklist_build(definition, answers, outcome_key="done", decision="appointment")
    assert (appointment.next_step.kind, appointment.next_step.location) == ("appointment", "standesamt")


def test_the_labels_of_how_a_document_is_brought():
    definition = parse_definition(SMALL)
    items = checklist_build(definition, {"status": "divorced"}).items
    assert [item.original_label for item in items] == ["Original", "Certified copy"]
    assert items[1].upload_hint == "PDF, up to 5 MB"


def test_the_selector_gives_the_checklist_of_any_definition_and_answers():
    from amtsweg.applications.selectors import checklist_for

    checklist = checklist_for(definition=parse_definition(pilot()), answers={"family_status": "widowed"})
    assert [item.key for item in checklist.items] == [
        "death_certificate",
        "birth_certificate",
        "marriage_certificate",
        "partner_death_certificate",
        "residence_proof",
    ]
    assert checklist.next_step.kind == "appointment" and checklist.received_count == 0

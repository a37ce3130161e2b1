"""The registry's reasons in the citizen's words, in German and English (one mapping for the rejection's text
and the status page)."""

from django.utils import translation

from amtsweg.vehicles import services
from amtsweg.vehicles.constants import ReasonCode
from amtsweg.vehicles.ikfz.base import Reason
from amtsweg.vehicles.reasons import SENTENCES, reason_sentence, reason_sentences


def test_every_reason_code_has_a_sentence():
    assert set(SENTENCES) == set(ReasonCode.values)


def test_a_wrong_code_names_which_code_in_the_pages_language():
    reasons = [{"code": "code_wrong", "item": "seal_front", "text": "Plakette vorne falsch"}]
    with translation.override("de"):
        assert reason_sentences(reasons=reasons) == [
            "Ein Sicherheitscode, den Sie eingegeben haben, stimmt nicht: Sicherheitscode der vorderen Stempelplakette."
        ]
    with translation.override("en"):
        assert reason_sentences(reasons=reasons) == [
            "A security code you entered does not match: Security code of the front plate seal."
        ]


def test_an_unknown_code_is_said_with_the_registrys_own_text_and_an_empty_one_with_a_general_sentence():
    with translation.override("de"):
        sentences = reason_sentences(reasons=[Reason(code="X17", text="Steuerrückstand"), Reason(code="X18")])
        assert sentences == ["Steuerrückstand", "Die Zulassungsstelle konnte den Antrag nicht online genehmigen."]


def test_each_sentence_is_said_once_in_the_registrys_order():
    reasons = [{"code": "before_2015"}, {"code": "manual"}, {"code": "before_2015"}]
    with translation.override("en"):
        sentences = reason_sentences(reasons=reasons)
    assert len(sentences) == 2 and sentences[0].startswith("The vehicle was last registered before 1 January 2015")
    assert reason_sentences(reasons=None) == []


def test_one_reason_is_said_alike_from_the_registrys_reason_its_dict_or_its_parts():
    with translation.override("en"):
        expected = "The licence plate you chose is not available."
        assert reason_sentence(reason=Reason(code="plate_taken")) == expected
        assert reason_sentence(reason={"code": "plate_taken"}) == expected
        assert reason_sentence(code="plate_taken") == expected
        assert services.reason_sentence(reason=Reason(code="plate_taken")) == expected  # the rejection's text

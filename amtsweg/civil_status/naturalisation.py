"""The self-check of the Voranfrage zur Einbürgerung: the conditions of the Nationality Act (StAG) in force
since 27 June 2024, one function per criterion.

Each function is pure: it takes the facts (keyword-only, typed; "today" passed in) and returns a
``Finding``: the state (``MET``, ``NOT_MET`` or ``UNCLEAR``), the reason in plain words and the legal basis.
Nothing here refuses anybody: "not met" tells the citizen what stands in the way, and they may still send
the Voranfrage; "unclear" means the Standesamt has to look at it (a discretion, a case-by-case decision, a
rule not confirmed for Kassel). ``self_check`` reads the form's answers (forms/einbuergerung-voranfrage.yaml)
and runs every function that applies; ``verdict`` sums the findings up.

Facts and sources: domain-facts-wave2.md, section A2. Marked "to verify" there and shown as "unclear" here:
§ 9 StAG (the spouse of a German, 3 years' residence and 2 years' marriage), §§ 18d and 23(1) AufenthG, the
co-naturalised spouse's residence (no fixed minimum).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from amtsweg.core import dates

MET = "met"
NOT_MET = "not_met"
UNCLEAR = "unclear"

SERVICE = "einbuergerung-voranfrage"

RESIDENCE_YEARS = 5  # § 10(1) StAG
SHORTENED_YEARS = 3  # § 10(3) StAG: special integration and C1
SPOUSE_OF_GERMAN_MARRIAGE_YEARS = 2  # § 9 StAG, administrative practice (to verify)
CHILD_YEARS = 3  # a co-naturalised child's residence; under 6: half its life
CHILD_HALF_LIFE_BELOW = 6
OWN_APPLICATION_AGE = 16  # § 37(1) StAG: from 16 a person applies and must qualify alone
TEST_PASS_MARK = 17  # of 33 questions
TEST_QUESTIONS = 33
IGNORED_UP_TO = 90  # daily rates (or days of a suspended sentence), § 12a(1) StAG
CASE_BY_CASE_UP_TO = 111  # slightly above 90: decided case by case (§ 12a(1) StAG)
DAYS_PER_MONTH = 30  # a month of a suspended sentence, counted as days against daily rates

# Aufenthaltserlaubnis for these purposes does not lead to naturalisation (§ 10(1) sentence 1 no. 2 StAG);
# the keys are the form's answer values (forms/einbuergerung-voranfrage.yaml, ``permit_section``).
EXCLUDED_SECTIONS = {
    "16a": "§ 16a",
    "16b": "§ 16b",
    "16d": "§ 16d",
    "16e": "§ 16e",
    "16f": "§ 16f",
    "17": "§ 17",
    "18f": "§ 18f",
    "19": "§ 19",
    "19b": "§ 19b",
    "19e": "§ 19e",
    "20": "§ 20",
    "22": "§ 22",
    "23a": "§ 23a",
    "24": "§ 24",
    "25_3": "§ 25 Abs. 3",
    "25_4": "§ 25 Abs. 4",
    "25_5": "§ 25 Abs. 5",
    "104c": "§ 104c",
}
# Named in some lists of excluded purposes but not in others (domain-facts-wave2.md A2: verify).
SECTIONS_TO_VERIFY = {"18d": "§ 18d", "23_1": "§ 23 Abs. 1"}

GUEST_WORKER_ANSWERS = frozenset({"guest_worker", "contract_worker", "spouse"})
LANGUAGE_PROOFS = frozenset({"certificate", "school", "training"})


class Finding(NamedTuple):
    """What the self-check says about one criterion."""

    state: str  # MET, NOT_MET or UNCLEAR
    reason: str  # plain words, in the active language
    basis: str  # the legal basis, e.g. "§ 10 Abs. 1 Satz 1 Nr. 2 StAG"


@dataclass(frozen=True)
class Criterion:
    """A finding with the name of what was checked, as the result page lists it."""

    key: str
    title: str
    finding: Finding

    @property
    def state(self) -> str:
        return self.finding.state

    @property
    def state_label(self) -> str:
        return state_label(self.finding.state)


@dataclass(frozen=True)
class Conviction:
    """One conviction as the citizen describes it: ``kind`` is ``juvenile`` (measures under the JGG),
    ``fine`` (with its daily rates), ``suspended`` (prison on probation, in months), ``prison`` (without
    probation) or ``other``."""

    kind: str
    daily_rates: int | None = None
    months: int | None = None


def state_label(state: str) -> str:
    labels = {
        MET: pgettext("naturalisation criterion", "Met"),
        NOT_MET: pgettext("naturalisation criterion", "Not met"),
        UNCLEAR: pgettext("naturalisation criterion", "Unclear"),
    }
    return labels.get(state, state)


def _years(since: dt.date, today: dt.date) -> int:
    return dates.age_on(since, today) if since <= today else 0


# --- the criteria -----------------------------------------------------------------------------------------


def residence_duration(
    *,
    since: dt.date,
    today: dt.date,
    c1: bool = False,
    special_integration: bool = False,
    married_to_german_since: dt.date | None = None,
) -> Finding:
    """5 years' lawful residence; 3 with special integration achievements and German at C1; the spouse of a
    German after 3 years with 2 years' marriage (§ 9 StAG, to verify: unclear)."""
    years = _years(since, today)
    shown = {"years": years, "since": dates.format_day(since)}
    if years >= RESIDENCE_YEARS:
        return Finding(
            MET,
            _("You have lived in Germany since %(since)s, for %(years)s years. 5 years are needed.") % shown,
            _("section 10(1) StAG"),
        )
    if years >= SHORTENED_YEARS and c1 and special_integration:
        return Finding(
            MET,
            _(
                "You have lived in Germany for %(years)s years. With special integration achievements and "
                "German at level C1, 3 years are enough."
            )
            % shown,
            _("section 10(3) StAG"),
        )
    married_years = _years(married_to_german_since, today) if married_to_german_since else 0
    if years >= SHORTENED_YEARS and married_years >= SPOUSE_OF_GERMAN_MARRIAGE_YEARS:
        return Finding(
            UNCLEAR,
            _(
                "You have lived in Germany for %(years)s years and have been married to a German for "
                "%(married)s years. For the spouse of a German, 3 years' residence and 2 years' marriage can be "
                "enough. The registry office checks this."
            )
            % {**shown, "married": married_years},
            _("section 9 StAG"),
        )
    return Finding(
        NOT_MET,
        _(
            "You have lived in Germany since %(since)s, for %(years)s full years. 5 years are needed, or 3 years "
            "with special integration achievements and German at level C1."
        )
        % shown,
        _("section 10(1) and (3) StAG"),
    )


def residence_title(*, title: str, section: str | None = None) -> Finding:
    """An unlimited title or EU/Swiss freedom of movement counts, and an Aufenthaltserlaubnis for any purpose but
    the excluded ones; a Duldung never counts."""
    basis = _("section 10(1) sentence 1 no. 2 StAG")
    if title == "settlement":
        return Finding(MET, _("You have an unlimited residence permit."), basis)
    if title == "eu":
        return Finding(MET, _("You have freedom of movement as a citizen of the EU, the EEA or Switzerland."), basis)
    if title == "duldung":
        return Finding(
            NOT_MET,
            _("A toleration (Duldung) is not a residence permit and does not lead to naturalisation."),
            basis,
        )
    if title == "permit":
        if section in EXCLUDED_SECTIONS:
            return Finding(
                NOT_MET,
                _(
                    "A residence permit under %(section)s of the Residence Act does not lead to naturalisation. "
                    "Ask the immigration office whether you can get another permit."
                )
                % {"section": EXCLUDED_SECTIONS[section]},
                basis,
            )
        if section in SECTIONS_TO_VERIFY:
            return Finding(
                UNCLEAR,
                _(
                    "Whether a residence permit under %(section)s of the Residence Act leads to naturalisation "
                    "is not clear. The registry office checks this."
                )
                % {"section": SECTIONS_TO_VERIFY[section]},
                basis,
            )
        if section == "other":
            return Finding(MET, _("Your residence permit is for a purpose that allows naturalisation."), basis)
        return Finding(
            UNCLEAR,
            _("You do not know the section of your residence permit. The registry office checks it."),
            basis,
        )
    return Finding(
        UNCLEAR,
        _("The registry office checks whether your document allows naturalisation."),
        basis,
    )


def livelihood(*, benefits: bool, exception: str | None = None, guest_worker: bool = False) -> Finding:
    """No Bürgergeld (SGB II) or social assistance (SGB XII), unless in full-time work for 20 of the last 24 months
    (or married to such a person, with a minor child), or of the guest-worker or contract-worker generation or
    their spouse; else only a hardship case (§ 8(2) StAG), which the registry office judges."""
    basis = _("section 10(1) sentence 1 no. 3 StAG")
    if not benefits:
        return Finding(MET, _("You support yourself and your family without Bürgergeld or social assistance."), basis)
    if exception == "fulltime":
        return Finding(
            MET,
            _("You receive benefits, but you have worked full time for at least 20 of the last 24 months."),
            basis,
        )
    if exception == "fulltime_partner":
        return Finding(
            MET,
            _(
                "You receive benefits, but your spouse has worked full time for at least 20 of the last 24 months "
                "and you live together with a child under 18."
            ),
            basis,
        )
    if guest_worker:
        return Finding(
            MET,
            _("You receive benefits, but for the guest-worker and contract-worker generation this does not count."),
            basis,
        )
    return Finding(
        UNCLEAR,
        _(
            "You receive Bürgergeld or social assistance. Naturalisation is then only possible in a case of "
            "hardship. The registry office checks this with you."
        ),
        _("section 10(1) sentence 1 no. 3 and section 8(2) StAG"),
    )


def language(
    *, level: str, proof: str | None = None, guest_worker: bool = False, health_exemption: bool = False
) -> Finding:
    """German at level B1, shown by a certificate, a German school, training or degree; the guest-worker
    generation needs only to make themselves understood orally; illness, disability or age: unclear."""
    basis = _("section 10(1) sentence 1 no. 6 and (4) StAG")
    if level in ("c1", "b1") and proof in LANGUAGE_PROOFS:
        return Finding(MET, _("You speak German at level B1 or higher and can prove it."), basis)
    if guest_worker:
        return Finding(
            MET,
            _(
                "For the guest-worker and contract-worker generation it is enough to make yourself understood "
                "in German orally in everyday life."
            ),
            basis,
        )
    if level in ("c1", "b1"):
        return Finding(
            UNCLEAR,
            _(
                "You speak German at level B1 or higher but have no proof yet. You need a certificate (for example "
                "the Deutsch-Test für Zuwanderer), a German school, vocational training or degree."
            ),
            basis,
        )
    if health_exemption:
        return Finding(
            UNCLEAR,
            _(
                "If you cannot learn German because of an illness, a disability or your age, the condition can be "
                "waived. The registry office checks this, usually with a medical certificate."
            ),
            _("section 10(6) StAG"),
        )
    return Finding(
        NOT_MET,
        _("You need German at level B1. An integration course or a language school can help you get there."),
        basis,
    )


def naturalisation_test(
    *,
    age: int,
    status: str | None = None,
    score: int | None = None,
    guest_worker: bool = False,
    health_exemption: bool = False,
) -> Finding:
    """The naturalisation test, at least 17 of 33 questions right; not needed under 16, with a German school-
    leaving certificate, or for the guest-worker generation; illness, disability or age: unclear."""
    basis = _("section 10(1) sentence 1 no. 7 and (5) StAG")
    if age < OWN_APPLICATION_AGE:
        return Finding(MET, _("Children under 16 do not take the naturalisation test."), basis)
    if guest_worker:
        return Finding(
            MET, _("The guest-worker and contract-worker generation does not need the naturalisation test."), basis
        )
    if status == "school":
        return Finding(MET, _("A German school-leaving certificate replaces the naturalisation test."), basis)
    if status == "taken" and score is not None and score >= TEST_PASS_MARK:
        return Finding(
            MET,
            _("You answered %(score)s of 33 questions correctly. 17 are needed.") % {"score": score},
            basis,
        )
    if health_exemption:
        return Finding(
            UNCLEAR,
            _(
                "If you cannot take the test because of an illness, a disability or your age, it can be waived. "
                "The registry office checks this, usually with a medical certificate."
            ),
            _("section 10(6) StAG"),
        )
    if status == "taken":
        return Finding(
            NOT_MET,
            _("You answered %(score)s of 33 questions correctly, but 17 are needed. You can take the test again.")
            % {"score": score if score is not None else 0},
            basis,
        )
    return Finding(
        NOT_MET,
        _(
            "You need the naturalisation test: at least 17 of 33 questions right. Adult education centres "
            "(Volkshochschulen) hold it."
        ),
        basis,
    )


def declarations(*, fdgo: bool, history: bool) -> Finding:
    """The commitment to the free democratic basic order and to Germany's historical responsibility."""
    basis = _("section 10(1) sentence 1 no. 1 StAG")
    if fdgo and history:
        return Finding(
            MET,
            _("You can commit yourself to the free democratic basic order and to Germany's historical responsibility."),
            basis,
        )
    return Finding(
        NOT_MET,
        _(
            "Naturalisation needs both commitments: to the free democratic basic order and to Germany's historical "
            "responsibility. You make them in writing with the application."
        ),
        basis,
    )


def convictions(
    *,
    found: Sequence[Conviction],
    count: int | None = None,
    hate_motive: bool = False,
    investigation_open: bool = False,
) -> Finding:
    """§ 12a StAG: measures under the Youth Courts Act, fines up to 90 daily rates and suspended sentences up to
    3 months are ignored, several added up (a daily rate is a day); slightly more (up to 111) is decided case by
    case, more stands in the way; nothing is ignored when a court found an antisemitic, racist or other inhumane
    motive. Convictions abroad count. An open investigation suspends the procedure until it ends.

    ``count`` is how many convictions there are (``found`` may describe fewer: then the rest is unclear)."""
    basis = _("section 12a(1) StAG")
    count = len(found) if count is None else max(count, len(found))
    outcome = _convictions_only(found=found, count=count, hate_motive=hate_motive, basis=basis)
    if investigation_open and outcome.state != NOT_MET:
        return Finding(
            UNCLEAR,
            _(
                "An investigation or criminal proceedings against you are open. The naturalisation procedure is "
                "suspended until they end."
            ),
            _("section 12a(3) StAG"),
        )
    return outcome


def _convictions_only(*, found: Sequence[Conviction], count: int, hate_motive: bool, basis: str) -> Finding:
    if count == 0:
        return Finding(MET, _("You have no criminal convictions."), basis)
    if hate_motive:
        return Finding(
            NOT_MET,
            _(
                "A court found an antisemitic, racist or other inhumane motive. Then no conviction is ignored, "
                "however small."
            ),
            basis,
        )
    if any(conviction.kind == "prison" for conviction in found):
        return Finding(NOT_MET, _("A prison sentence without probation stands in the way of naturalisation."), basis)
    total = sum(_days(conviction) for conviction in found)
    unknown = count > len(found) or any(conviction.kind == "other" for conviction in found)
    shown = {"total": total}
    if total > CASE_BY_CASE_UP_TO:
        return Finding(
            NOT_MET,
            _("Your sentences add up to %(total)s daily rates or days. Up to 90 are ignored; this is more.") % shown,
            basis,
        )
    if total > IGNORED_UP_TO:
        return Finding(
            UNCLEAR,
            _(
                "Your sentences add up to %(total)s daily rates or days, slightly more than the 90 that are "
                "ignored. The authority decides case by case."
            )
            % shown,
            basis,
        )
    if unknown:
        return Finding(
            UNCLEAR,
            _("The registry office checks your convictions with you."),
            basis,
        )
    return Finding(
        MET,
        _(
            "Your sentences add up to %(total)s daily rates or days. Up to 90 are ignored, as are measures "
            "under the Youth Courts Act."
        )
        % shown,
        basis,
    )


def _days(conviction: Conviction) -> int:
    if conviction.kind == "fine":
        return max(conviction.daily_rates or 0, 0)
    if conviction.kind == "suspended":
        return max(conviction.months or 0, 0) * DAYS_PER_MONTH
    return 0  # measures under the JGG; "other" is unclear, not counted


def co_naturalised_spouse(*, since: dt.date, today: dt.date) -> Finding:
    """A spouse naturalised together with the applicant may have lived here less than 5 years; there is no fixed
    minimum any more (to verify), so the registry office decides."""
    years = _years(since, today)
    basis = _("section 10(2) StAG")
    if years >= RESIDENCE_YEARS:
        return Finding(MET, _("Your spouse has lived in Germany for %(years)s years.") % {"years": years}, basis)
    return Finding(
        UNCLEAR,
        _(
            "Your spouse has lived in Germany for %(years)s full years. A spouse naturalised with you may have "
            "lived here less than 5 years; there is no fixed minimum. The registry office checks this."
        )
        % {"years": years},
        basis,
    )


def co_naturalised_child(*, birth_date: dt.date, since: dt.date, today: dt.date) -> Finding:
    """A child under 16 is naturalised with a parent after 3 years in Germany (under 6: half its life); from 16 it
    applies itself and must qualify alone."""
    basis = _("section 10(2) StAG")
    age = dates.age_on(birth_date, today)
    if age >= OWN_APPLICATION_AGE:
        return Finding(
            UNCLEAR,
            _(
                "From 16, your child applies with its own form and must meet the conditions itself (language, "
                "test, convictions). The registry office checks this with your pre-enquiry."
            ),
            _("section 10(2) and section 37(1) StAG"),
        )
    here = max((today - max(since, birth_date)).days, 0)
    if age < CHILD_HALF_LIFE_BELOW:
        lived = max((today - birth_date).days, 0)
        if here * 2 >= lived:
            return Finding(MET, _("Your child has lived in Germany for at least half its life."), basis)
        return Finding(NOT_MET, _("A child under 6 must have lived in Germany for at least half its life."), basis)
    if _years(max(since, birth_date), today) >= CHILD_YEARS:
        return Finding(MET, _("Your child has lived in Germany for at least 3 years."), basis)
    return Finding(NOT_MET, _("A child must have lived in Germany for at least 3 years."), basis)


# --- the form's answers -----------------------------------------------------------------------------------

MAX_CHILDREN = 5
MAX_CONVICTIONS_DESCRIBED = 3


def _day(answers: Mapping[str, Any], key: str) -> dt.date | None:
    return dates.parse_iso_date(answers.get(key))


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def is_guest_worker(answers: Mapping[str, Any]) -> bool:
    return answers.get("guest_worker") in GUEST_WORKER_ANSWERS


def conviction_list(answers: Mapping[str, Any]) -> list[Conviction]:
    """The convictions described in the form (at most three), in order."""
    if answers.get("convicted") is not True:
        return []
    count = _int(answers.get("conviction_count")) or 0
    found = []
    for number in range(1, min(count, MAX_CONVICTIONS_DESCRIBED) + 1):
        kind = answers.get(f"conviction_{number}_kind")
        if kind:
            found.append(
                Conviction(
                    kind=str(kind),
                    daily_rates=_int(answers.get(f"conviction_{number}_daily_rates")),
                    months=_int(answers.get(f"conviction_{number}_months")),
                )
            )
    return found


def children(answers: Mapping[str, Any]) -> list[tuple[int, str, dt.date, dt.date]]:
    """The co-naturalised children as (number, first name, birth date, in Germany since)."""
    if answers.get("children_together") is not True:
        return []
    count = min(_int(answers.get("children_count")) or 0, MAX_CHILDREN)
    found = []
    for number in range(1, count + 1):
        born, since = _day(answers, f"child_{number}_birth_date"), _day(answers, f"child_{number}_in_germany_since")
        if born and since:
            found.append((number, str(answers.get(f"child_{number}_name") or "").strip(), born, since))
    return found


def self_check(answers: Mapping[str, Any], *, today: dt.date) -> list[Criterion]:
    """Every criterion the answers allow a finding on, in the order of the result page."""
    criteria: list[Criterion] = []
    guest_worker = is_guest_worker(answers)
    health = answers.get("health_exemption") is True
    since = _day(answers, "in_germany_since")
    if since:
        married_to_german = (
            _day(answers, "marriage_date")
            if answers.get("family_status") in ("married", "partnership") and answers.get("spouse_german") is True
            else None
        )
        criteria.append(
            Criterion(
                "residence_duration",
                _("Length of residence"),
                residence_duration(
                    since=since,
                    today=today,
                    c1=answers.get("german_level") == "c1",
                    special_integration=answers.get("special_integration") is True,
                    married_to_german_since=married_to_german,
                ),
            )
        )
    if answers.get("residence_title"):
        criteria.append(
            Criterion(
                "residence_title",
                _("Right of residence"),
                residence_title(title=str(answers["residence_title"]), section=answers.get("permit_section")),
            )
        )
    if "benefits" in answers:
        criteria.append(
            Criterion(
                "livelihood",
                _("Livelihood"),
                livelihood(
                    benefits=answers.get("benefits") is True,
                    exception=answers.get("benefits_exception"),
                    guest_worker=guest_worker,
                ),
            )
        )
    if answers.get("german_level"):
        criteria.append(
            Criterion(
                "language",
                _("German language"),
                language(
                    level=str(answers["german_level"]),
                    proof=answers.get("german_proof"),
                    guest_worker=guest_worker,
                    health_exemption=health,
                ),
            )
        )
    born = _day(answers, "applicant_birth_date")
    if born and (answers.get("test_status") or guest_worker):
        criteria.append(
            Criterion(
                "naturalisation_test",
                _("Naturalisation test"),
                naturalisation_test(
                    age=dates.age_on(born, today),
                    status=answers.get("test_status"),
                    score=_int(answers.get("test_score")),
                    guest_worker=guest_worker,
                    health_exemption=health,
                ),
            )
        )
    if "declaration_fdgo" in answers:
        criteria.append(
            Criterion(
                "declarations",
                _("Commitment to the constitution"),
                declarations(
                    fdgo=answers.get("declaration_fdgo") is True, history=answers.get("declaration_history") is True
                ),
            )
        )
    if "convicted" in answers:
        convicted = answers.get("convicted") is True
        criteria.append(
            Criterion(
                "convictions",
                _("Criminal convictions"),
                convictions(
                    found=conviction_list(answers),
                    count=(_int(answers.get("conviction_count")) or 0) if convicted else 0,
                    hate_motive=convicted and answers.get("hate_motive") is True,
                    investigation_open=answers.get("investigation_open") is True,
                ),
            )
        )
    spouse_since = _day(answers, "spouse_in_germany_since")
    if answers.get("spouse_together") is True and spouse_since:
        criteria.append(
            Criterion(
                "spouse",
                _("Spouse naturalised with you"),
                co_naturalised_spouse(since=spouse_since, today=today),
            )
        )
    for number, name, child_born, child_since in children(answers):
        title = _("Child: %(name)s") % {"name": name} if name else _("Child %(number)s") % {"number": number}
        criteria.append(
            Criterion(
                f"child_{number}",
                title,
                co_naturalised_child(birth_date=child_born, since=child_since, today=today),
            )
        )
    return criteria


def verdict(criteria: Sequence[Criterion]) -> str:
    """NOT_MET if any criterion is not met, else UNCLEAR if any is unclear, else MET."""
    states = {criterion.state for criterion in criteria}
    if NOT_MET in states:
        return NOT_MET
    if UNCLEAR in states:
        return UNCLEAR
    return MET


def fee_units(answers: Mapping[str, Any]) -> dict[str, int]:
    """How many adults and minors the later application is for: the units of the catalogue's fee items
    ``naturalisation-adult`` (``quantity_from: naturalisation_adults``) and ``naturalisation-child``
    (``naturalisation_children``). The form does not ask these keys, so the Voranfrage itself is never charged:
    the fee is paid with the application."""
    adults = 1 + (1 if answers.get("spouse_together") is True else 0)
    minors = len(children(answers))
    return {"naturalisation_adults": adults, "naturalisation_children": minors}

"""Writes of the citizen's journey: drafts, resume links and the submission."""

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amtsweg.catalogue.constants import TrustLevel
from amtsweg.catalogue.models import Service
from amtsweg.identity.base import Identity
from amtsweg.identity.models import CitizenAccount
from amtsweg.identity.prefill import identity_answers

from . import references
from .errors import ApplicationError
from .formengine.checklist import checklist_items, file_key, outcome_for
from .formengine.definition import drop_hidden_answers, visible_steps
from .formengine.hooks import run_service_rules
from .models import Draft, FormVersion, StoredFile, Submission
from .selectors import DOCUMENTS_PAGE, RESUME_SALT, checklist_files, definition_of

logger = logging.getLogger(__name__)


def draft_start(*, service: Service, form_version: FormVersion, session, language: str) -> Draft:  # type: ignore[no-untyped-def]
    draft = Draft.objects.create(service=service, form_version=form_version, language=language[:8])
    drafts = dict(session.get("drafts", {}))
    drafts[service.slug] = str(draft.uuid)
    session["drafts"] = drafts
    return draft


@transaction.atomic
def draft_save_step(*, draft: Draft, step_key: str, step_answers: dict[str, Any], complete: bool = True) -> Draft:
    """Merge one step's cleaned answers into the draft and drop answers that became hidden.

    The draft as the request read it is written back only if nobody changed it since (its
    ``updated_at`` as a version): one UPDATE in the usual case. If another request (a second tab)
    saved it meanwhile, the step is merged into the row as it is now, under its lock.
    """
    merged = _draft_merged(draft, step_key=step_key, step_answers=step_answers, complete=complete)
    changed_at = timezone.now()
    written = Draft.objects.filter(
        pk=draft.pk, updated_at=draft.updated_at, form_version_id=draft.form_version_id
    ).update(answers=merged[0], completed_steps=merged[1], updated_at=changed_at)
    if written:
        draft.answers, draft.completed_steps, draft.updated_at = merged[0], merged[1], changed_at
        return draft
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    if locked.form_version_id == draft.form_version_id:
        locked.form_version = draft.form_version  # already loaded (definition_of keeps its parsed form)
    if locked.service_id == draft.service_id and _service_loaded(draft):
        locked.service = draft.service
    locked.answers, locked.completed_steps = _draft_merged(
        locked, step_key=step_key, step_answers=step_answers, complete=complete
    )
    locked.save(update_fields=["answers", "completed_steps", "updated_at"])
    return locked


def _service_loaded(draft: Draft) -> bool:
    """Whether the draft already holds its service (then the locked row reuses it instead of a query)."""
    return Draft._meta.get_field("service").is_cached(draft)


def _draft_merged(
    draft: Draft, *, step_key: str, step_answers: dict[str, Any], complete: bool
) -> tuple[dict[str, Any], list[str]]:
    """The draft's answers with the step's merged in (hidden ones dropped), and its completed steps."""
    definition = definition_of(form_version=draft.form_version)
    answers = drop_hidden_answers(definition, {**draft.answers, **step_answers})
    completed = list(draft.completed_steps)
    if complete and step_key not in completed:
        completed.append(step_key)
    return answers, completed


def draft_discard(*, draft: Draft, session) -> None:  # type: ignore[no-untyped-def]
    """End a draft without a submission (a service that gave its result at once, e.g. a certificate)."""
    drafts = dict(session.get("drafts", {}))
    if drafts.get(draft.service.slug) == str(draft.uuid):
        drafts.pop(draft.service.slug)
        session["drafts"] = drafts
    Draft.objects.filter(pk=draft.pk).delete()


def draft_resume_token(*, draft: Draft) -> str:
    return signing.TimestampSigner(salt=RESUME_SALT).sign(str(draft.uuid))


@transaction.atomic
def draft_resume_link_send(*, draft: Draft, email: str) -> None:
    """Email a signed, expiring link back to the draft ("Später fortsetzen"), through the notifications module."""
    from amtsweg.notifications.services import notify_draft_resume_link

    draft.resume_email = email
    draft.save(update_fields=["resume_email", "updated_at"])
    notify_draft_resume_link(draft=draft, email=email)


def next_step_key(*, draft: Draft) -> str | None:
    """The first visible step not yet completed, or None when the form is ready to check."""
    definition = definition_of(form_version=draft.form_version)
    for step in visible_steps(definition, draft.answers):
        if step.key not in draft.completed_steps:
            return step.key
    return None


def _applicant_name(answers: dict[str, Any]) -> str:
    for value in answers.values():
        if isinstance(value, dict) and "family_name" in value:
            return " ".join(filter(None, [value.get("given_names", ""), value.get("family_name", "")]))[:300]
    return ""


def _applicant_email(answers: dict[str, Any], definition) -> str:  # type: ignore[no-untyped-def]
    for step in definition.steps:
        for spec in step.fields:
            if spec.type == "email" and answers.get(spec.key):
                return str(answers[spec.key])
    return ""


def submission_create(
    *, draft: Draft, identity: Identity | None = None, account: CitizenAccount | None = None
) -> tuple[Submission, str | None]:
    """Turn a complete draft into a submission with a reference number and a case, in one transaction.

    Idempotent for a draft: a second call (double click, reload, two parallel
    requests) returns the submission made by the first, and ``None`` as the
    access code, which only the first caller learns.
    """
    from amtsweg.cases.services import case_open
    from amtsweg.payments.fees import fee_quote
    from amtsweg.payments.services import payment_create

    definition = definition_of(form_version=draft.form_version)
    try:
        with transaction.atomic():
            # The draft is deleted in the transaction that makes its submission: no draft row, a submission.
            locked = Draft.objects.select_for_update().filter(pk=draft.pk).first()
            if locked is None:  # another request submitted it and removed the draft meanwhile
                raise IntegrityError("draft already submitted")
            if _service_loaded(draft) and locked.service_id == draft.service_id:
                locked.service = draft.service
            if locked.form_version_id == draft.form_version_id:
                locked.form_version = draft.form_version  # the process's copy, whose definition is loaded
            # Answers from the citizen's ID win over anything saved in the draft.
            answers = {**locked.answers, **identity_answers(definition=definition, identity=identity)}
            answers = drop_hidden_answers(definition, answers)
            missing = [s.key for s in visible_steps(definition, answers) if s.key not in locked.completed_steps]
            if missing:
                raise ApplicationError(_("Please answer all questions before you send the application."))
            problems = run_service_rules(draft.service.slug, answers, None)
            if problems:
                raise ApplicationError(problems[0].message)
            access_code = references.access_code_new()
            outcome = _outcome_at_submission(definition, answers, locked)
            submission = Submission.objects.create(
                reference=references.reference_allocate(year=timezone.localdate().year),
                access_code_hash=references.access_code_hash(access_code),
                service=locked.service,
                form_version=locked.form_version,
                definition=locked.form_version.definition,
                answers=answers,
                language=locked.language,
                email=_applicant_email(answers, definition),
                applicant_name=_applicant_name(answers),
                draft_uuid=locked.uuid,
                trust_level=identity.trust_level if identity else TrustLevel.NONE,
                identity_provider=identity.provider if identity else "",
                account=account,
                outcome=outcome,
            )
            StoredFile.objects.filter(draft=locked).update(draft=None, submission=submission)
            # The fee is computed here, from the answers, never taken from the browser. A fee-bearing
            # submission reaches the department (as a case) once it is paid; a free one at once.
            # A form whose fee is paid at the office (fees_paid: office) shows the quote as an estimate only.
            quote = fee_quote(service=locked.service, answers=answers)
            if quote.payable and definition.fees_paid == "online":
                payment_create(submission=submission, quote=quote)
            else:
                case_open(submission=submission)
            locked.delete()
            # The emails' rows are written with the submission, in the same transaction; the tasks that
            # send them are queued once it commits (notifications.services._queue).
            _after_submission(submission, access_code)
    except IntegrityError:
        existing = Submission.objects.filter(draft_uuid=draft.uuid).first()
        if existing is None:
            raise
        return existing, None
    return submission, access_code


def _outcome_at_submission(definition, answers: dict[str, Any], draft: Draft) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The definition's outcome for the answers and the documents uploaded with the form, as stored."""
    if not definition.outcomes:
        return {}
    files = checklist_files(files=StoredFile.objects.filter(draft=draft)) if definition.documents else {}
    outcome = outcome_for(definition, answers, checklist_items(definition, answers, files=files))
    return {"key": outcome.key, "kind": outcome.kind} if outcome is not None else {}


# --- the checklist's uploads -------------------------------------------------------------------


@transaction.atomic
def draft_document_upload(*, draft: Draft, document_key: str, upload: Any) -> StoredFile:
    """Store the file uploaded on the documents page for one document of the checklist (already checked as
    its ``upload`` field), replacing the one uploaded for it before."""
    from .files import file_store, files_delete

    files_delete(files=StoredFile.objects.filter(draft=draft, field_key=file_key(document_key)))
    return file_store(upload=upload, draft=draft, field_key=file_key(document_key))


def draft_documents_page_seen(*, draft: Draft, offered: Iterable[str]) -> Draft:
    """Record that the documents page offered these uploads, so the check page does not send the citizen
    there again unless a changed answer calls for another document."""
    entry = DOCUMENTS_PAGE + ",".join(sorted(offered))
    completed = [step for step in draft.completed_steps if not step.startswith(DOCUMENTS_PAGE)] + [entry]
    Draft.objects.filter(pk=draft.pk).update(completed_steps=completed, updated_at=timezone.now())
    draft.completed_steps = completed
    return draft


@transaction.atomic
def submission_outcome_refresh(*, submission: Submission) -> dict[str, str]:
    """Work the outcome out again after the citizen sent a document later (status page), unless staff have
    decided; the stored outcome changes only if another one now holds. Returns the outcome."""
    from .selectors import submission_checklist

    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    case = getattr(submission, "case", None)
    if case is not None and case.checklist_decision:
        return dict(locked.outcome or {})
    definition = definition_of(form_version=locked.form_version)
    if not definition.outcomes:
        return {}
    checklist = submission_checklist(submission=locked)
    outcome = outcome_for(definition, locked.answers, checklist.items)
    stored = {"key": outcome.key, "kind": outcome.kind} if outcome is not None else {}
    if stored != locked.outcome:
        locked.outcome = stored
        locked.save(update_fields=["outcome"])
        submission.outcome = stored
    return stored


def _after_submission(submission: Submission, access_code: str) -> None:
    """Emails and the PDF run as background tasks; the submission stands whatever they do.

    Runs inside the submission's transaction: a failure to write the notification rows is logged, and
    the savepoint of each row keeps the submission intact.
    """
    try:
        from amtsweg.notifications.services import notify_submission_received
    except ImportError:  # pragma: no cover - notifications are always installed
        return
    try:
        notify_submission_received(submission=submission, access_code=access_code)
    except Exception:  # the queue itself is down: the submission is kept, staff see it in the inbox
        logger.exception("could not enqueue the notifications of %s", submission.reference)


def _form_definition_dirs() -> list[Path]:
    """The ``forms/`` folder of every installed app that has one: a service family ships its forms there."""
    return [Path(config.path) / "forms" for config in apps.get_app_configs() if (Path(config.path) / "forms").is_dir()]


def _booking_places_check(definition, path: Path) -> None:  # type: ignore[no-untyped-def]
    """An appointment outcome must name a place and a service of the catalogue, or its booking link leads nowhere."""
    from amtsweg.catalogue.models import Location

    for outcome in definition.outcomes:
        if outcome.kind != "appointment":
            continue
        service = outcome.service or definition.service
        if not Location.objects.filter(slug=outcome.location).exists():
            raise ValueError(
                f"{path}: outcome {outcome.key!r} names the location {outcome.location!r}, not in the catalogue"
            )
        if not Service.objects.filter(slug=service).exists():
            raise ValueError(f"{path}: outcome {outcome.key!r} names the service {service!r}, not in the catalogue")


@transaction.atomic
def form_definitions_load(*, directories: Iterable[Path] | None = None) -> list[str]:
    """Load the form definitions shipped in the repository (idempotent).

    Every ``<installed app>/forms/*.yaml`` is read, unless ``directories`` names
    others. A definition that differs from the service's newest version becomes
    a new published version; an unchanged one is left alone. A ``processing``
    block sets the service's processing rule (deadline, retention) from its
    date on, through the back office's ``processing_rule_set``.
    """
    import datetime

    import yaml

    from amtsweg.cases.services import processing_rule_set

    from .formengine.definition import DefinitionError, language_problems, parse_definition

    paths = sorted(
        (
            path
            for directory in (_form_definition_dirs() if directories is None else directories)
            for path in directory.glob("*.yaml")
        ),
        key=lambda path: (path.name, str(path)),
    )
    loaded: list[str] = []
    seen: dict[str, Path] = {}
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        processing = data.pop("processing", None)
        definition = parse_definition(data)  # raises DefinitionError with every problem
        _booking_places_check(definition, path)
        if data["service"] in seen:
            raise ValueError(f"{path} and {seen[data['service']]} both define the form of {data['service']}")
        seen[data["service"]] = path
        service = Service.objects.get(slug=data["service"])
        # A service offered in further languages (Turkish, Arabic, ...) has its whole form in them.
        missing = language_problems(data, service.further_languages)
        if missing:
            raise DefinitionError([f"{path}: {problem}" for problem in missing])
        latest = FormVersion.objects.filter(service=service).order_by("-number").first()
        if latest is None or latest.definition != data:
            FormVersion.objects.create(
                service=service,
                number=(latest.number + 1) if latest else 1,
                definition=data,
                published=True,
                note=f"loaded from {path.name}",
            )
            loaded.append(service.slug)
        if processing:
            processing_rule_set(
                service=service,
                valid_from=datetime.date.fromisoformat(str(processing["valid_from"])),
                deadline_days=processing.get("deadline_days"),
                working_days=processing.get("working_days"),
                retention_days=processing.get("retention_days"),
                extra_states=processing.get("extra_states"),
            )
    return loaded

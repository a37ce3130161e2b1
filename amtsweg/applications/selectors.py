"""Reads for the citizen's journey."""

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.core import signing
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from amtsweg.catalogue.models import Service
from amtsweg.catalogue.selectors import service_with_department
from amtsweg.core.memo import Memo, Row, memo

from .access import status_access_has
from .formengine.base import FormDefinition
from .formengine.checklist import Checklist, ChecklistFile, checklist_build, document_key_of, file_key
from .formengine.definition import parse_definition
from .formengine.hooks import Notice, notices_for
from .models import Draft, FormVersion, StoredFile, Submission
from .references import access_code_matches

RESUME_SALT = "amtsweg.applications.resume"
STATUS_SALT = "amtsweg.applications.status"

# Keyed by the version's random uuid, not its id: ids can come again (a test database rolled back, a
# restored backup), a uuid never names another version. A published version never changes, so the parsed
# definition (frozen dataclasses) is kept under no version, only for the memo's expiry.
_definitions = Memo("applications.definitions")


def form_version_active(*, service: Service) -> FormVersion | None:
    # The definition itself is parsed once per version and kept (definition_of); not fetched every time.
    return FormVersion.objects.filter(service=service, published=True).defer("definition").order_by("-number").first()


def definition_of(*, form_version: FormVersion) -> FormDefinition:
    """The parsed definition of a version; versions are immutable once published, so it is cached."""
    if not form_version.published:
        return parse_definition(form_version.definition)
    return _definitions.get(form_version.uuid, lambda: parse_definition(form_version.definition), stamp=None)


# Every step of every form needs the service and its active form version. They change only with the
# catalogue, so each process keeps them per content version (core.memo): one small read from the shared
# cache instead of two queries, and exact on every app server after an admin's change.
@memo("applications.service_and_version")
def _service_and_version(*, slug: str) -> tuple[Service | None, FormVersion | None]:
    service = Service.objects.select_related("department").filter(slug=slug, published=True).first()
    if service is None:
        return None, None
    version = form_version_active(service=service)
    return Row.of(service, related=("department",)), (Row.of(version) if version is not None else None)  # type: ignore[return-value]


def service_with_form(*, slug: str) -> tuple[Service, FormVersion]:
    """The published service and its active form version (each call gets its own instances)."""
    service, version = _service_and_version(slug=slug)
    if service is None:
        raise Http404("no such service")
    if version is None:
        raise Http404("no online form")
    return service, version


@memo("applications.service_trust_level")
def service_trust_level(*, slug: str) -> str | None:
    """The trust level a published service needs, kept as a plain value: the gate asks on every step."""
    return Service.objects.filter(slug=slug, published=True).values_list("trust_level", flat=True).first()


def draft_for_session(  # type: ignore[no-untyped-def]
    *, session, service: Service, version: FormVersion | None = None
) -> Draft | None:
    """The session's draft for the service, with the caller's ``service`` and, if the draft uses it, the active
    ``version`` (from ``service_with_form``) attached, so that neither is read again."""
    draft_uuid = session.get("drafts", {}).get(service.slug)
    if not draft_uuid:
        return None
    # Read by its unique uuid alone (the smallest query for the ORM to build on every step); a draft of
    # another service is no draft of this one.
    draft = next(iter(Draft.objects.filter(uuid=draft_uuid)[:1]), None)
    if draft is not None and draft.service_id != service.pk:
        return None
    if draft is not None:
        draft.service = service  # the caller's own instance
        # Most drafts use the active version, which the process already holds (without its large definition).
        active = version if version is not None else _service_and_version(slug=service.slug)[1]
        if active is not None and draft.form_version_id == active.pk:
            draft.form_version = active
    return draft


def session_has_drafts(*, session) -> bool:  # type: ignore[no-untyped-def]
    """Whether this browser session has a form in progress."""
    return bool(session.get("drafts"))


def draft_from_resume_token(*, token: str, max_age_hours: int) -> Draft | None:
    """The draft a resume link points to; None if the link is forged, expired or the draft is gone."""
    try:
        draft_uuid = signing.TimestampSigner(salt=RESUME_SALT).unsign(token, max_age=max_age_hours * 3600)
    except (signing.BadSignature, signing.SignatureExpired):
        return None
    return Draft.objects.select_related("service", "form_version").filter(uuid=draft_uuid).first()


def submission_for_status(*, session, uuid: str) -> Submission:  # type: ignore[no-untyped-def]
    """A submission this browser session may see (after a code check or a status link); else 404."""
    if not status_access_has(session=session, submission_uuid=uuid):
        raise Http404("no access")
    # The frozen form definition (a large JSON) is read only where it is used (the summary PDF); the service
    # and its department are made from the process's copy (core.memo), not a join with their many translated
    # columns.
    submission = get_object_or_404(Submission.objects.select_related("case").defer("definition"), uuid=uuid)
    submission.service = service_with_department(pk=submission.service_id)
    return submission


def submission_by_reference_and_code(*, reference: str, code: str) -> Submission | None:
    """The submission with this reference number if ``code`` is its access code.

    None for an unknown number and for a wrong code alike: the citizen is told the same for both.
    """
    submission = Submission.objects.filter(reference=reference).first()
    if submission is not None and access_code_matches(code, submission.access_code_hash):
        return submission
    return None


def submission_from_status_token(*, token: str) -> Submission | None:
    try:
        submission_uuid = signing.loads(token, salt=STATUS_SALT, max_age=400 * 24 * 3600)
    except signing.BadSignature:
        return None
    return Submission.objects.filter(uuid=submission_uuid).first()


def submissions_visible_files(*, submission: Submission) -> QuerySet:
    return submission.files.all().order_by("uploaded_at")


def submission_file_for_citizen(*, submission: Submission, file_uuid: uuid.UUID | str) -> StoredFile:
    """A file the citizen may download from the status page; 404 otherwise.

    The submission's own uploads, and files the office attached to an event shown to the citizen.
    """
    stored = get_object_or_404(StoredFile, uuid=file_uuid)
    visible = (
        stored.submission_id == submission.pk
        or stored.events.filter(case__submission=submission, visible_to_citizen=True).exists()
    )
    if not visible:
        raise Http404("not this submission's file")
    return stored


# --- the checklist (formengine.checklist) -------------------------------------------------------

# The entry in a draft's ``completed_steps`` that records the documents page as seen, with the keys of the
# uploadable documents it offered: "@documents:birth_certificate,death_certificate". Step keys have no "@".
DOCUMENTS_PAGE = "@documents:"


def checklist_files(*, files: QuerySet[StoredFile]) -> dict[str, list[ChecklistFile]]:
    """The uploads among ``files`` that were made for a document of the checklist, by the document's key."""
    by_document: dict[str, list[ChecklistFile]] = {}
    for stored in files.filter(field_key__startswith=file_key("")).order_by("uploaded_at", "pk"):
        document = document_key_of(stored.field_key)
        if document:
            by_document.setdefault(document, []).append(
                ChecklistFile(uuid=str(stored.uuid), name=stored.original_name, size=stored.size)
            )
    return by_document


def checklist_for(
    *,
    definition: FormDefinition,
    answers: Mapping[str, Any],
    files: Mapping[str, Sequence[ChecklistFile]] | None = None,
    ticks: Mapping[str, bool] | None = None,
) -> Checklist:
    """The checklist of any definition for these answers: the documents they call for (with the uploads in
    ``files`` and staff ``ticks`` by document key, if any) and the outcome that holds now. Plain dataclasses
    (``formengine.checklist``), for a service module that shows or checks a checklist itself."""
    return checklist_build(definition, answers, files=files, ticks=ticks)


def draft_checklist(*, draft: Draft) -> Checklist:
    """The checklist of a form in progress: its documents for the answers so far, the files uploaded for
    them, and the outcome as the answers and uploads stand now."""
    definition = definition_of(form_version=draft.form_version)
    if not definition.documents and not definition.outcomes:
        return Checklist(items=())
    files = checklist_files(files=StoredFile.objects.filter(draft=draft)) if definition.documents else {}
    return checklist_build(definition, draft.answers, files=files)


def draft_documents_page_due(*, draft: Draft, checklist: Checklist) -> bool:
    """Whether the documents page must be shown before the check page: it offers an upload the citizen has
    not been offered yet (a changed answer can call for another document)."""
    offered = {item.key for item in checklist.items if item.uploadable}
    if not offered:
        return False
    seen = next((entry for entry in draft.completed_steps if entry.startswith(DOCUMENTS_PAGE)), None)
    return seen is None or not offered <= set(seen.removeprefix(DOCUMENTS_PAGE).split(","))


def submission_checklist(*, submission: Submission) -> Checklist:
    """The checklist of a submission: its documents for the answers as sent, what was uploaded and what staff
    ticked off, and the next step (the outcome stored at submission, or the staff's decision)."""
    definition = definition_of(form_version=submission.form_version)
    if not definition.documents and not definition.outcomes:
        return Checklist(items=())
    from amtsweg.cases.models import ChecklistTick

    case = getattr(submission, "case", None)  # RelatedObjectDoesNotExist is an AttributeError: no case yet
    ticks: dict[str, bool] = {}
    if case is not None and definition.documents:
        ticks = dict(ChecklistTick.objects.filter(case=case).values_list("document", "received"))
    files = checklist_files(files=StoredFile.objects.filter(submission=submission)) if definition.documents else {}
    return checklist_build(
        definition,
        submission.answers,
        files=files,
        ticks=ticks,
        outcome_key=(submission.outcome or {}).get("key") or "",
        decision=case.checklist_decision if case is not None else "",
    )


# --- notices (formengine.hooks.service_notices) ---------------------------------------------------


def draft_notices(*, draft: Draft) -> list[Notice]:
    """What the service works out from the answers so far (e.g. a deadline), for the check page."""
    return notices_for(draft.service.slug, draft.answers)


def submission_notices(*, submission: Submission) -> list[Notice]:
    """What the service works out from the answers as sent, on the day they were sent."""
    from django.utils import timezone

    sent_on = timezone.localdate(submission.submitted_at) if submission.submitted_at else None
    return notices_for(submission.service.slug, submission.answers, sent_on=sent_on)

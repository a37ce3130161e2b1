"""Writes of the feedback module: responses, raffle entries, the draw, deletion of contact data, idea tags."""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amtsweg.applications.formengine.fields import strip_controls
from amtsweg.core.addresses import mailbox_key
from amtsweg.core.i18n import language_or_default
from amtsweg.core.ratelimit import too_many
from amtsweg.notifications.constants import NotificationKind
from amtsweg.notifications.services import notification_queue, notifications_delete

from .constants import (
    ADDRESS_MAX_LENGTH,
    RATING_SCALE,
    TEXT_MAX_LENGTH,
    ContactKind,
    QuestionKind,
    QuestionRole,
    ResponseChannel,
)
from .draw import commitment_of, draw_winners
from .errors import FeedbackError
from .models import Campaign, IdeaTag, Question, RaffleEntry, Response, UsedRaffleTicket, UsedToken
from .tokens import (
    RaffleTicket,
    SurveyLink,
    contact_hash,
    nonce_digest,
    raffle_ticket_make,
)

# --- default questions ---------------------------------------------------------------

DEFAULT_QUESTIONS: list[dict[str, Any]] = [
    {
        "key": "zufriedenheit",
        "kind": QuestionKind.RATING,
        "role": QuestionRole.SATISFACTION,
        "required": True,
        "text_de": "Wie zufrieden sind Sie insgesamt?",
        "text_en": "How satisfied are you overall?",
        "hint_de": "1 heißt sehr unzufrieden, 5 heißt sehr zufrieden.",
        "hint_en": "1 means very dissatisfied, 5 means very satisfied.",
    },
    {
        "key": "verstaendlich",
        "kind": QuestionKind.YES_NO,
        "text_de": "War alles leicht zu verstehen?",
        "text_en": "Was everything easy to understand?",
    },
    {
        "key": "dauer",
        "kind": QuestionKind.CHOICE,
        "text_de": "Wie lange hat es gedauert?",
        "text_en": "How long did it take?",
        "choices": [
            {"value": "unter-10", "de": "Weniger als 10 Minuten", "en": "Less than 10 minutes"},
            {"value": "10-30", "de": "10 bis 30 Minuten", "en": "10 to 30 minutes"},
            {"value": "ueber-30", "de": "Mehr als 30 Minuten", "en": "More than 30 minutes"},
        ],
    },
    {
        "key": "wieder-online",
        "kind": QuestionKind.YES_NO,
        "text_de": "Würden Sie wieder einen Online-Dienst nutzen?",
        "text_en": "Would you use an online service again?",
    },
    {
        "key": "verbesserung",
        "kind": QuestionKind.TEXT,
        "role": QuestionRole.IDEA,
        "text_de": "Was sollten wir verbessern?",
        "text_en": "What should we improve?",
        "hint_de": "Bitte schreiben Sie keine persönlichen Daten wie Namen oder Adressen hinein.",
        "hint_en": "Please do not write personal details such as names or addresses.",
    },
    {
        "key": "weitere-dienste",
        "kind": QuestionKind.TEXT,
        "text_de": "Welche anderen Leistungen sollten online möglich sein?",
        "text_en": "Which other services should be available online?",
    },
]

DEFAULT_TAGS = [
    ("formular-unklar", "Formular unklar", "Form unclear"),
    ("termin-fehlt", "Termin fehlt", "No appointment available"),
    ("technik", "Technisches Problem", "Technical problem"),
    ("lob", "Lob", "Praise"),
]


@transaction.atomic
def questions_default_create(*, campaign: Campaign) -> list[Question]:
    """Give a campaign the default questions (only if it has none). Idempotent."""
    if campaign.questions.exists():
        return list(campaign.questions.all())
    created = []
    for order, spec in enumerate(DEFAULT_QUESTIONS, start=1):
        created.append(Question.objects.create(campaign=campaign, order=order * 10, **spec))
    return created


@transaction.atomic
def idea_tags_default_create() -> None:
    for slug, name_de, name_en in DEFAULT_TAGS:
        IdeaTag.objects.get_or_create(slug=slug, defaults={"name_de": name_de, "name_en": name_en})


# --- answering the survey ------------------------------------------------------------


@dataclass
class SurveyResult:
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def survey_validate(*, questions: list[Question], data: Mapping[str, str]) -> SurveyResult:
    """Check the posted answers. Free text is kept as entered (shown escaped); overlong text is refused."""
    result = SurveyResult()
    for question in questions:
        # NUL bytes and other control characters break PostgreSQL; they are dropped as in the applications.
        raw = strip_controls(data.get(question.key) or "", multiline=question.kind == QuestionKind.TEXT)
        result.values[question.key] = raw
        if not raw:
            if question.required:
                result.errors[question.key] = _("Answer the question: %(question)s") % {"question": question.text}
            continue
        if question.kind == QuestionKind.RATING and raw not in {str(value) for value in RATING_SCALE}:
            result.errors[question.key] = _("Choose a number from 1 to 5")
        elif question.kind == QuestionKind.YES_NO and raw not in {"yes", "no"}:
            result.errors[question.key] = _("Choose yes or no")
        elif question.kind == QuestionKind.CHOICE and raw not in {str(c.get("value")) for c in question.choices}:
            result.errors[question.key] = _("Choose one of the answers")
        elif question.kind == QuestionKind.TEXT and len(raw) > TEXT_MAX_LENGTH:
            result.errors[question.key] = _("Your answer must be %(max)s characters or fewer; it has %(count)s") % {
                "max": TEXT_MAX_LENGTH,
                "count": len(raw),
            }
    return result


def _hashed_ip(ip: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()[:32]


def _too_many(key: str, limit: int, window: int) -> bool:
    return too_many(key, limit=limit, window=window)


def feedback_rate_limit(*, ip: str, tokened: bool, action: str = "response") -> None:
    """Refuse a response or raffle entry when one address sends too many in the window.

    The address is only a hashed cache key that expires with the window; it is
    never stored with an answer. Links without a token (the footer) have a
    lower limit, since nothing else stops repeats there.
    """
    config = settings.FEEDBACK
    limit = config["limit_per_ip"] if tokened else config["limit_per_ip_without_link"]
    key = f"feedback:{action}:{'t' if tokened else 'p'}:{_hashed_ip(ip)}"
    if _too_many(key, limit, config["limit_window_seconds"]):
        raise FeedbackError(_("You have sent many responses in a short time. Please try again in an hour."), status=429)


def survey_link_used(*, link: SurveyLink) -> bool:
    return UsedToken.objects.filter(digest=nonce_digest(kind="survey", nonce=link.nonce)).exists()


def response_submit(
    *, campaign: Campaign, questions: list[Question], values: Mapping[str, str], link: SurveyLink | None
) -> tuple[Response, str]:
    """Store one anonymous response and return it with a raffle ticket for the next step.

    With a link, its nonce is used up in the same transaction: a second
    response with the same link (or a parallel one) is refused.
    """
    satisfaction = None
    idea = ""
    answers: dict[str, str] = {}
    for question in questions:
        value = values.get(question.key, "")
        if not value:
            continue
        answers[question.key] = value
        if question.role == QuestionRole.SATISFACTION and question.kind == QuestionKind.RATING:
            satisfaction = int(value)
        elif question.role == QuestionRole.IDEA:
            idea = value
    service_id = link.service_id if link else None
    channel = link.channel if link and link.channel in ResponseChannel.values else ResponseChannel.PORTAL
    try:
        with transaction.atomic():
            if link is not None:
                UsedToken.objects.create(digest=nonce_digest(kind="survey", nonce=link.nonce))
            response = Response.objects.create(
                campaign=campaign,
                service_id=service_id,
                channel=channel,
                submitted_on=timezone.localdate(),
                satisfaction=satisfaction,
                idea=idea,
                answers=answers,
            )
    except IntegrityError:
        raise FeedbackError(
            _("This survey has already been answered for this application. Thank you for your feedback!"),
            status=409,
        ) from None
    # The raffle's eligibility is decided here, from this request, and travels in the signed ticket:
    # the entry is never linked to the response. Without a one-time link (the footer) anyone could answer
    # again and again, so such responses take part only if the campaign allows it.
    reason = raffle_exclusion(campaign=campaign, link=link, idea=idea)
    return response, raffle_ticket_make(campaign_id=campaign.pk, eligible=not reason, reason=reason)


def raffle_exclusion(*, campaign: Campaign, link: SurveyLink | None, idea: str | None) -> str:
    """Why answers do not take part in the campaign's raffle: "link" (the general survey, where the campaign
    takes only answers through an application's link), "idea" (no improvement idea, where one is required),
    or "" (they take part). With ``idea=None`` (before the citizen answers) only the link is judged."""
    if link is None and not campaign.raffle_footer_responses:
        return "link"
    if idea is not None and campaign.requires_idea and not idea:
        return "idea"
    return ""


# --- the raffle ----------------------------------------------------------------------


def contact_normalise(*, kind: str, email: str, postal_address: str) -> str:
    """The address in one canonical form, so that spelling variants count as one participant."""
    if kind == ContactKind.EMAIL:
        return "email:" + mailbox_key(email)  # every spelling of one mailbox (erika+1@…) is one participant
    text = unicodedata.normalize("NFKC", postal_address).casefold()
    text = text.replace("ß", "ss").replace("str.", "strasse")
    text = re.sub(r"[^\w]+", " ", text)
    return "post:" + " ".join(text.split())


@dataclass
class RaffleResult:
    entry: RaffleEntry | None = None
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def raffle_check_ticket(*, ticket: RaffleTicket | None) -> Campaign:
    """The campaign of a valid, unused ticket for an open raffle; otherwise a FeedbackError with the reason."""
    if ticket is None:
        raise FeedbackError(
            _("This raffle link is not valid or has expired. You can take part only right after answering the survey.")
        )
    campaign = Campaign.objects.filter(pk=ticket.campaign_id).first()
    if campaign is not None and campaign.raffle_enabled and campaign.drawn_at is None and not campaign.commitment:
        raise FeedbackError(_("The raffle is not open yet, so you cannot take part now. Thank you for your feedback!"))
    if campaign is None or not campaign.raffle_open():
        raise FeedbackError(_("The raffle of this survey is closed."))
    if UsedRaffleTicket.objects.filter(digest=nonce_digest(kind="raffle", nonce=ticket.nonce)).exists():
        raise FeedbackError(_("You have already taken part in the raffle with this response."), status=409)
    if not ticket.eligible:
        raise FeedbackError(raffle_refusal_message(reason=ticket.reason))
    return campaign


def raffle_refusal_message(*, reason: str) -> str:
    """Why a response does not take part in the raffle."""
    if reason == "link":
        return _(
            "Only responses through the survey link from your application take part in this raffle. "
            "Thank you for your feedback!"
        )
    return _("Only responses with an improvement idea take part in this raffle. Thank you for your feedback!")


def raffle_enter(*, ticket: RaffleTicket | None, data: Mapping[str, str], language: str) -> RaffleResult:
    """Enter the raffle with an email or a postal address; errors keep the input."""
    campaign = raffle_check_ticket(ticket=ticket)
    assert ticket is not None
    values = {
        "contact_kind": (data.get("contact_kind") or "").strip(),
        "email": strip_controls(data.get("email") or ""),
        "postal_address": strip_controls(data.get("postal_address") or "", multiline=True),
        "consent": (data.get("consent") or "").strip(),
    }
    result = RaffleResult(values=values)
    kind = values["contact_kind"]
    if kind not in ContactKind.values:
        result.errors["contact_kind"] = _("Choose how we should contact you if you win")
    elif kind == ContactKind.EMAIL:
        try:
            validate_email(values["email"])
        except ValidationError:
            result.errors["email"] = _("Enter an email address in the correct format, like name@example.com")
    else:
        if not values["postal_address"]:
            result.errors["postal_address"] = _("Enter your name and postal address")
        elif len(values["postal_address"]) > ADDRESS_MAX_LENGTH:
            result.errors["postal_address"] = _("The address must be %(max)s characters or fewer") % {
                "max": ADDRESS_MAX_LENGTH
            }
    if values["consent"] != "yes":
        result.errors["consent"] = _("Agree to the conditions of participation to take part")
    if result.errors:
        return result
    normalised = contact_normalise(kind=kind, email=values["email"], postal_address=values["postal_address"])
    digest = contact_hash(campaign_uuid=str(campaign.uuid), normalised=normalised)
    if RaffleEntry.objects.filter(campaign=campaign, contact_hash=digest).exists():
        field_key = "email" if kind == ContactKind.EMAIL else "postal_address"
        result.errors[field_key] = _("This address already takes part in this raffle. Each person may enter once.")
        return result
    try:
        with transaction.atomic():
            UsedRaffleTicket.objects.create(digest=nonce_digest(kind="raffle", nonce=ticket.nonce))
            result.entry = RaffleEntry.objects.create(
                campaign=campaign,
                code=_free_code(campaign),
                contact_kind=kind,
                email=values["email"] if kind == ContactKind.EMAIL else "",
                postal_address=values["postal_address"] if kind == ContactKind.POST else "",
                contact_hash=digest,
                language=language[:2],
            )
    except IntegrityError:
        # A parallel request with the same ticket or the same address won the race.
        raise FeedbackError(_("You have already taken part in the raffle."), status=409) from None
    return result


def _free_code(campaign: Campaign) -> str:
    for _attempt in range(10):
        code = secrets.token_hex(5)
        if not RaffleEntry.objects.filter(campaign=campaign, code=code).exists():
            return code
    raise RuntimeError("no free entry number")  # pragma: no cover - 10 collisions of 40 random bits


# --- the draw -------------------------------------------------------------------------


@transaction.atomic
def campaign_commit(*, campaign: Campaign, seed: str = "", commitment: str = "") -> str:
    """Publish the commitment before the campaign starts. Returns the seed if it was made here (shown once).

    Refused once the period has started or any entry exists: an office that
    could choose the seed after seeing the entries could choose the winners.

    Give ``commitment`` to publish the hash of a seed made elsewhere (e.g. by
    a notary); without either, a random seed is made and only its hash kept.
    """
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.commitment:
        raise FeedbackError(_("The commitment of this campaign is already published."))
    if timezone.localdate() >= campaign.starts_on or campaign.entries.exists():
        raise FeedbackError(
            _(
                "A raffle's commitment must be published before the campaign's first day (%(day)s), before anyone "
                "can enter. Make a new campaign with a later first day, or change the first day in the admin."
            )
            % {"day": campaign.starts_on.isoformat()}
        )
    if commitment:
        if not re.fullmatch(r"[0-9a-f]{64}", commitment):
            raise FeedbackError(_("The commitment must be 64 hexadecimal characters (a SHA-256 digest)."))
    else:
        seed = seed or secrets.token_hex(32)
        commitment = commitment_of(seed)
    campaign.commitment = commitment
    campaign.committed_at = timezone.now()
    campaign.save(update_fields=["commitment", "committed_at"])
    return seed


def raffle_draw(
    *, campaign: Campaign, seed: str, progress: Callable[[int, int], None] | None = None
) -> list[RaffleEntry]:
    """Draw the winners with the revealed seed; delete the contact data of everyone else.

    Refused unless the commitment was published before the first day, the
    seed matches it, the campaign is over and its contact data still exists
    (before the deletion day). Winners are emailed through the notifications module.
    """
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.drawn_at is not None:
            raise FeedbackError(_("This raffle has already been drawn."))
        if not campaign.commitment or campaign.committed_at is None:
            raise FeedbackError(_("No commitment was published for this raffle; it cannot be drawn."))
        if timezone.localdate(campaign.committed_at) >= campaign.starts_on:
            raise FeedbackError(_("The commitment was published after the campaign started; the draw is refused."))
        if timezone.localdate() <= campaign.ends_on:
            raise FeedbackError(_("The raffle can be drawn only after its last day."))
        if campaign.contact_data_delete_on and timezone.localdate() >= campaign.contact_data_delete_on:
            raise FeedbackError(
                _("The raffle's contact data is deleted (deletion day %(day)s): the winners could not be told.")
                % {"day": campaign.contact_data_delete_on.isoformat()}
            )
        if commitment_of(seed) != campaign.commitment:
            raise FeedbackError(_("This seed does not match the published commitment."))
        entries = list(RaffleEntry.objects.filter(campaign=campaign))
        codes = draw_winners(
            seed=seed, codes=[entry.code for entry in entries], prizes=campaign.prizes, progress=progress
        )
        winners = {code: rank for rank, code in enumerate(codes)}
        now = timezone.now()
        RaffleEntry.objects.filter(campaign=campaign, code__in=winners).update(won=True)
        _contact_delete(RaffleEntry.objects.filter(campaign=campaign).exclude(code__in=winners), now=now)
        campaign.seed = seed
        campaign.drawn_at = now
        campaign.save(update_fields=["seed", "drawn_at"])
        won = sorted(RaffleEntry.objects.filter(campaign=campaign, won=True), key=lambda e: winners[e.code])
        for entry in won:
            if entry.email:
                notification_queue(
                    kind=NotificationKind.RAFFLE_WON,
                    to=entry.email,
                    language=language_or_default(entry.language),
                    occasion_of=entry.pk,
                    raffle_entry=entry,
                )
    return won


def _contact_delete(queryset: Any, *, now: datetime.datetime) -> int:
    notifications_delete(raffle_entries=queryset)  # a winner's email keeps the address until it is sent
    return queryset.filter(contact_deleted_at__isnull=True).update(
        email="", postal_address="", contact_hash=None, contact_deleted_at=now
    )


@transaction.atomic
def raffle_prize_handed_over(*, entry: RaffleEntry, actor: Any) -> None:
    """The prize is with the winner: their contact data is deleted now."""
    from amtsweg.cases.constants import AuditAction
    from amtsweg.cases.services import audit_record

    entry = RaffleEntry.objects.select_for_update().get(pk=entry.pk)
    if not entry.won:
        raise FeedbackError(_("Only a winner's prize can be handed over."))
    now = timezone.now()
    entry.handed_over_at = now
    entry.save(update_fields=["handed_over_at"])
    _contact_delete(RaffleEntry.objects.filter(pk=entry.pk), now=now)
    audit_record(actor=actor, action=AuditAction.RAFFLE_PRIZE_HANDED_OVER, detail=f"{entry.campaign.slug} {entry.code}")


def raffle_contact_purge(*, today: datetime.date | None = None) -> int:
    """Delete all raffle contact data of campaigns whose deletion day has come (run_scheduled). Returns rows."""
    today = today or timezone.localdate()
    with transaction.atomic():
        return _contact_delete(
            RaffleEntry.objects.filter(campaign__contact_data_delete_on__lte=today), now=timezone.now()
        )


# --- ideas ----------------------------------------------------------------------------


@transaction.atomic
def idea_update(*, response: Response, tags: list[IdeaTag], implemented: bool) -> Response:
    response = Response.objects.select_for_update().get(pk=response.pk)
    response.tags.set(tags)
    if response.implemented != implemented:
        response.implemented = implemented
        response.save(update_fields=["implemented"])
    return response

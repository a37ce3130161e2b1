"""The citizen survey, its answers, and the raffle.

Anonymity is a property of the schema (see tests/feedback/test_anonymity.py):

- a ``Response`` points to a campaign, a service and a channel only. It has no
  relation to a submission, a case, a citizen account or a staff member, and
  no field for an IP address, a cookie or a session;
- its date is a day, not a time, so it cannot be matched to a submission's
  timestamp;
- a ``Response`` has a random UUID primary key, and lists and exports are
  ordered by (day or week, UUID), never by the order of insertion;
- a used survey link is remembered as the hash of its nonce in ``UsedToken``,
  a table without an id sequence or a timestamp; a used raffle ticket in
  ``UsedRaffleTicket``, a table of its own;
- a ``RaffleEntry`` has a random primary key and no relation to a response.

The physical order of rows (SQLite rowid, PostgreSQL ctid) still follows the
order of insertion; docs/feedback.md names that residual risk.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amtsweg.core import dates

from .constants import ContactKind, QuestionKind, QuestionRole, ResponseChannel


class Campaign(models.Model):
    """A survey period with its questions and, optionally, a raffle."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("short name"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("first day"), validators=[dates.portal_day])
    ends_on = models.DateField(
        _("last day"),
        help_text=_("Responses and raffle entries are taken until this day."),
        validators=[dates.portal_day],
    )
    services = models.ManyToManyField(
        "catalogue.Service",
        verbose_name=_("services"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty for all services and the general link in the footer."),
    )
    raffle_enabled = models.BooleanField(_("with a raffle"), default=False)
    prizes = models.PositiveIntegerField(_("number of prizes"), default=0)
    prize = models.CharField(_("prize"), max_length=200, blank=True, help_text=_("For example: a cinema voucher"))
    conditions = models.TextField(_("conditions of participation"), blank=True)
    consent_text = models.TextField(_("consent text"), blank=True)
    requires_idea = models.BooleanField(_("only responses with an improvement idea may take part"), default=True)
    raffle_footer_responses = models.BooleanField(
        _("responses through the general link (footer) may take part"),
        default=False,
        help_text=_(
            "Off: only responses through an application's one-time link get a raffle ticket, so that nobody can "
            "enter the raffle many times by answering the general survey again and again."
        ),
    )
    contact_data_delete_on = models.DateField(
        _("delete all raffle contact data on"),
        null=True,
        blank=True,
        validators=[dates.portal_day],
        help_text=_("Every email and postal address of the raffle is deleted automatically on this day."),
    )
    # The draw: SHA-256 (hex) of the secret seed, published before the period ends; the seed once drawn.
    commitment = models.CharField(_("commitment (SHA-256 of the seed)"), max_length=64, blank=True)
    committed_at = models.DateTimeField(_("commitment published"), null=True, blank=True)
    seed = models.CharField(_("seed (revealed at the draw)"), max_length=128, blank=True)
    drawn_at = models.DateTimeField(_("drawn"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "slug"]
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The last day must not be before the first day.")
        if self.raffle_enabled:
            if not self.prizes:
                errors["prizes"] = _("Enter how many prizes are raffled.")
            if not self.contact_data_delete_on:
                errors["contact_data_delete_on"] = _("Enter the day on which the raffle contact data is deleted.")
            elif self.ends_on and self.contact_data_delete_on <= self.ends_on:
                errors["contact_data_delete_on"] = _("The deletion day must be after the last day of the campaign.")
            # The default language's text is what every citizen sees at least (English falls back to it).
            if not (getattr(self, "conditions_de", None) or self.conditions or "").strip():
                errors["conditions_de"] = _("Enter the conditions of participation of the raffle.")
            if not (getattr(self, "consent_text_de", None) or self.consent_text or "").strip():
                errors["consent_text_de"] = _("Enter the consent text of the raffle.")
            if not self.commitment and self.starts_on and self.starts_on <= timezone.localdate():
                errors["starts_on"] = _(
                    "A raffle's commitment must be published before its first day (manage.py feedback_commit), "
                    "so that the draw cannot be chosen after seeing the entries. Choose a first day after today, "
                    "publish the commitment, or switch the raffle off."
                )
        if errors:
            raise ValidationError(errors)

    def raffle_open(self, *, on=None) -> bool:  # type: ignore[no-untyped-def]
        today = on or timezone.localdate()
        return (
            self.raffle_enabled
            and bool(self.commitment)
            and self.drawn_at is None
            and self.starts_on <= today <= self.ends_on
        )


class Question(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(_("key"), max_length=40, help_text=_("Column name in the CSV export."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    role = models.CharField(_("role"), max_length=20, choices=QuestionRole.choices, default=QuestionRole.OTHER)
    text = models.CharField(_("question"), max_length=300)
    hint = models.CharField(_("hint"), max_length=300, blank=True)
    # For "choice": [{"value": "quick", "de": "...", "en": "..."}, ...]
    choices = models.JSONField(_("answers to choose from"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)

    class Meta:
        ordering = ["campaign", "order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [models.UniqueConstraint(fields=["campaign", "key"], name="feedback_question_key_unique")]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        if self.kind == QuestionKind.CHOICE and not choices_valid(self.choices):
            raise ValidationError(
                {
                    "choices": _(
                        'Enter the answers as a list like [{"value": "quick", "de": "Schnell", "en": "Quick"}]: '
                        "at least one, each with a value of its own."
                    )
                }
            )


def choices_valid(choices: object) -> bool:
    """A non-empty list of objects, each with a distinct, non-empty "value" and text only."""
    if not isinstance(choices, list) or not choices:
        return False
    values = set()
    for choice in choices:
        if not isinstance(choice, dict) or not isinstance(choice.get("value"), str) or not choice["value"].strip():
            return False
        if any(not isinstance(text, str) for text in choice.values()):
            return False
        values.add(choice["value"])
    return len(values) == len(choices)


class IdeaTag(models.Model):
    """A label staff give to improvement ideas, e.g. "Formular unklar", "Termin fehlt"."""

    slug = models.SlugField(_("short name"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    # modeltranslation adds a column per language to each field of translation.py at run time, unseen by
    # mypy; the ones read by name are declared here (nullable, as modeltranslation makes them).
    name_de: str | None
    name_en: str | None

    class Meta:
        ordering = ["name"]
        verbose_name = _("idea tag")
        verbose_name_plural = _("idea tags")

    def __str__(self) -> str:
        return self.name


class Response(models.Model):
    """One anonymous answer to the survey: service and channel, never the submission or the person."""

    # Random, so that neither the key nor an order by it says when a response came (and so which submission it was).
    uuid = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="responses")
    service = models.ForeignKey("catalogue.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    channel = models.CharField(_("channel"), max_length=20, choices=ResponseChannel.choices)
    submitted_on = models.DateField(_("day"), db_index=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), null=True, blank=True)
    idea = models.TextField(_("improvement idea"), blank=True)
    answers = models.JSONField(_("answers"), default=dict)
    tags = models.ManyToManyField(IdeaTag, verbose_name=_("tags"), blank=True, related_name="responses")
    implemented = models.BooleanField(_("implemented"), default=False)

    # Not columns: staff_views.dashboard sets them on the ideas it shows, for its template.
    week_label: str
    rating_hidden: bool

    class Meta:
        ordering = ["-submitted_on", "uuid"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        permissions = [
            ("view_results", _("Can see the survey results of their departments' services")),
            ("view_all_results", _("Can see the survey results of all services (leadership)")),
            ("tag_ideas", _("Can tag improvement ideas and mark them as implemented")),
            ("manage_raffle", _("Can see raffle winners and mark prizes as handed over")),
        ]

    def __str__(self) -> str:
        return f"{self.submitted_on} {self.get_channel_display()}"


class UsedToken(models.Model):
    """A survey link that was used: only the hash of its nonce.

    The hash is the primary key: no sequence and no timestamp that could pair a
    row with a response.
    """

    digest = models.CharField(max_length=64, primary_key=True)

    class Meta:
        verbose_name = _("used link")
        verbose_name_plural = _("used links")

    def __str__(self) -> str:
        return self.digest[:12]


class UsedRaffleTicket(models.Model):
    """A raffle ticket that was used: only the hash of its nonce, apart from the used survey links."""

    digest = models.CharField(max_length=64, primary_key=True)

    class Meta:
        verbose_name = _("used raffle ticket")
        verbose_name_plural = _("used raffle tickets")

    def __str__(self) -> str:
        return self.digest[:12]


def _entry_code() -> str:
    import secrets

    return secrets.token_hex(5)


class RaffleEntry(models.Model):
    """A raffle entry: a public random number and the contact data, stored apart from every response."""

    # Random, so that the order of entries says nothing about the order of responses.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="entries")
    code = models.CharField(_("entry number"), max_length=20, default=_entry_code)
    contact_kind = models.CharField(_("contact"), max_length=10, choices=ContactKind.choices)
    email = models.EmailField(_("email address"), blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    # HMAC of the normalised address: refuses a second entry with the same address in one campaign.
    contact_hash = models.CharField(max_length=64, null=True, blank=True)
    language = models.CharField(max_length=8, default="de")
    won = models.BooleanField(_("won"), default=False)
    notified_at = models.DateTimeField(_("winner notified"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("prize handed over"), null=True, blank=True)
    contact_deleted_at = models.DateTimeField(_("contact data deleted"), null=True, blank=True)

    class Meta:
        ordering = ["campaign", "code"]
        verbose_name = _("raffle entry")
        verbose_name_plural = _("raffle entries")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="feedback_entry_code_unique"),
            models.UniqueConstraint(fields=["campaign", "contact_hash"], name="feedback_entry_contact_unique"),
        ]

    def __str__(self) -> str:
        return self.code

"""The city's offer: departments, locations with opening hours, services and their fees.

Texts that citizens read are translated (German and English) through
django-modeltranslation, see ``translation.py``. Facts that no public source
confirmed carry ``needs_review`` ("zu prüfen") so that a department admin
sees them in the admin and corrects them there, never in code.
"""

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from amtsweg.core import dates
from amtsweg.core.conditions import ConditionError, check_expression
from amtsweg.core.i18n import further_language_codes, further_languages_validator, page_languages

from .constants import HoursKind, OnlineMode, TrustLevel, Weekday

leika_validator = RegexValidator(r"^99\d{12}$", _("A LeiKa key has 14 digits and starts with 99."))


class ReviewMixin(models.Model):
    needs_review = models.BooleanField(
        _("to be checked (zu prüfen)"),
        default=False,
        help_text=_("Set while a fact is not confirmed by a current, citable source."),
    )
    review_note = models.TextField(_("review note"), blank=True)
    source = models.TextField(_("source"), blank=True, help_text=_("Where the facts come from, with URLs."))

    class Meta:
        abstract = True


class Department(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    main_location = models.ForeignKey(
        "Location",
        verbose_name=_("main location"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class Location(ReviewMixin):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="locations"
    )
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"),
        max_length=5,
        blank=True,
        validators=[RegexValidator(r"^\d{5}$", _("A German postcode has five digits."))],
    )
    city = models.CharField(_("town"), max_length=100, default="Kassel")
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    transport_hint = models.TextField(_("public transport"), blank=True)
    hours_note = models.TextField(_("note on opening hours"), blank=True)
    accessibility = models.TextField(_("accessibility on site"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalogue:location_list") + f"#{self.slug}"


class OpeningHours(models.Model):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))
    kind = models.CharField(_("kind"), max_length=20, choices=HoursKind.choices, default=HoursKind.OPEN)

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(condition=models.Q(opens__lt=models.F("closes")), name="hours_open_before_close"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Service(ReviewMixin):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("slug"), unique=True, help_text=_("Stable part of the address; do not change."))
    leika_key = models.CharField(_("LeiKa key"), max_length=14, blank=True, validators=[leika_validator])
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(_("name"), max_length=200)
    # modeltranslation adds a column per language to each field of translation.py at run time, unseen by
    # mypy; the ones read by name are declared here (nullable, as modeltranslation makes them).
    name_de: str | None
    name_en: str | None
    summary = models.CharField(_("summary"), max_length=300, help_text=_("One sentence for lists and search."))
    description = models.TextField(_("what it is"))
    eligibility = models.TextField(_("who may use it"))
    requirements = models.TextField(_("documents and data needed"), help_text=_("One item per line."))
    appointment_bring = models.TextField(
        _("what to bring to an appointment"),
        blank=True,
        help_text=_("One item per line: what the citizen brings to the counter (the booking email lists it)."),
    )
    processing_time = models.CharField(_("processing time"), max_length=200)
    result_delivery = models.CharField(
        _("how the result arrives"), max_length=300, help_text=_("Post, download or at the counter.")
    )
    online_mode = models.CharField(_("how it works"), max_length=30, choices=OnlineMode.choices)
    trust_level = models.CharField(
        _("lowest trust level"), max_length=20, choices=TrustLevel.choices, default=TrustLevel.NONE
    )
    online_restriction = models.TextField(_("limits of the online service"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    counter_alternative = models.TextField(_("at the counter instead"), blank=True)
    synonyms = models.TextField(
        _("search words"), blank=True, help_text=_("Other names and typical words, separated by commas.")
    )
    external_url = models.URLField(
        _("address of an existing online form"),
        blank=True,
        help_text=_("Used for the start button while Amtsweg has no form for this service."),
    )
    locations = models.ManyToManyField(Location, verbose_name=_("offered at"), related_name="services", blank=True)
    popular_rank = models.PositiveSmallIntegerField(
        _("rank among the most used"),
        null=True,
        blank=True,
        help_text=_("1 is shown first on the start page; empty means not listed there."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    published = models.BooleanField(_("published"), default=True)
    revenue_account = models.CharField(
        _("revenue account"),
        max_length=40,
        blank=True,
        help_text=_("The treasury's account (Sachkonto) that this service's fees are booked to."),
    )
    further_languages = models.JSONField(
        _("further languages"),
        default=list,
        blank=True,
        validators=[further_languages_validator],
        help_text=_(
            "Languages besides German and English in which this service's page, form, emails and documents "
            'are offered, as codes, e.g. ["tr", "ar", "uk", "ru"]. Every text of the service needs them.'
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["department__order", "order", "slug"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        permissions = [("edit_all_departments", _("Can edit the services of every department"))]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalogue:service_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        """A service with further languages has its texts in them (the ones it has in German)."""
        from modeltranslation.translator import translator

        further = self.further_languages if isinstance(self.further_languages, list) else []
        known = [code for code in further if code in further_language_codes()]
        errors: dict[str, str] = {}
        for name in translator.get_options_for_model(Service).all_fields:
            if not (getattr(self, f"{name}_de", "") or "").strip():
                continue
            missing = [code for code in known if not (getattr(self, f"{name}_{code}", "") or "").strip()]
            if missing:
                errors[f"{name}_{missing[0]}"] = str(
                    _("This service is offered in %(languages)s: enter this text in each of them.")
                    % {"languages": ", ".join(missing)}
                )
        if errors:
            raise ValidationError(errors)

    @property
    def languages(self) -> tuple[str, ...]:
        """Every language the service's pages are offered in: German, English and its further languages."""
        return page_languages(self.further_languages)

    @property
    def requirement_list(self) -> list[str]:
        return _items(self.requirements)

    @property
    def appointment_bring_list(self) -> list[str]:
        return _items(self.appointment_bring)


def _items(text: str) -> list[str]:
    """The lines of a one-item-per-line text, without list marks ("- ", "• ") and blank lines."""
    return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]


class Fee(ReviewMixin):
    """One fee item of a service, valid from a date until the next item with the same code.

    An item is also a rule for computing the fee from a submission's answers
    (see ``payments.fees``): it applies when ``applies_if`` holds (always if
    empty), ``quantity_from`` names a number answer that counts the units
    (one if empty), and ``quantity_skip`` units of it are not charged by this
    item, e.g. "further copies" = copies minus the first one.
    """

    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="fees")
    code = models.SlugField(
        _("code"), help_text=_("Identifies the item across versions, e.g. 'first-copy'. A newer entry replaces it.")
    )
    label = models.CharField(_("label"), max_length=200)
    amount_cents = models.PositiveIntegerField(_("amount in cents"), help_text=_("0 means free of charge."))
    valid_from = models.DateField(_("valid from"), validators=[dates.portal_day])
    note = models.CharField(_("note"), max_length=300, blank=True)
    applies_if = models.CharField(
        _("applies if"),
        max_length=500,
        blank=True,
        help_text=_("A condition on the answers, as in form definitions, e.g. purpose == 'kindergeld'. Empty: always."),
    )
    quantity_from = models.CharField(
        _("quantity from answer"),
        max_length=100,
        blank=True,
        help_text=_("The key of a number answer that counts the units, e.g. copies. Empty: one unit."),
    )
    quantity_skip = models.PositiveSmallIntegerField(
        _("units not charged here"),
        default=0,
        help_text=_("Units of that answer this item leaves out, e.g. 1 for 'each further copy'."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code", "-valid_from"]
        verbose_name = _("fee")
        verbose_name_plural = _("fees")
        constraints = [
            models.UniqueConstraint(fields=["service", "code", "valid_from"], name="fee_unique_version"),
        ]

    def __str__(self) -> str:
        euros, cents = divmod(self.amount_cents, 100)
        return f"{self.label}: {euros},{cents:02d} €"

    def clean(self) -> None:
        if self.applies_if.strip():
            try:
                check_expression(self.applies_if)
            except ConditionError as exc:
                raise ValidationError({"applies_if": str(exc)}) from None


class Referral(models.Model):
    """Something people look for that is not offered online here, and where to get it instead."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    synonyms = models.TextField(_("search words"), blank=True, help_text=_("Separated by commas."))
    where = models.TextField(_("where it is offered"))
    url = models.URLField(_("link"), blank=True)
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("referral (not online here)")
        verbose_name_plural = _("referrals (not online here)")

    def __str__(self) -> str:
        return self.name

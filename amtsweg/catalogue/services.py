"""Writes to the catalogue: loading the seed data of a city."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction
from django.db.models import Model
from modeltranslation.translator import translator

from .models import Department, Fee, Location, OpeningHours, Referral, Service

# The models the seed loader writes.
type CatalogueModel = Department | Location | Service | Fee | Referral

SEED_DIR = Path(__file__).resolve().parent / "seed"

PLAIN = {
    Department: ("email", "phone", "order"),
    Location: (
        "street",
        "postcode",
        "city",
        "phone",
        "email",
        "order",
        "needs_review",
        "review_note",
        "source",
        "published",
    ),
    Service: (
        "leika_key",
        "online_mode",
        "trust_level",
        "popular_rank",
        "order",
        "published",
        "needs_review",
        "review_note",
        "source",
        "external_url",
        "revenue_account",
        "further_languages",
    ),
    Fee: (
        "amount_cents",
        "order",
        "needs_review",
        "review_note",
        "source",
        "applies_if",
        "quantity_from",
        "quantity_skip",
    ),
    Referral: ("url", "published"),
}


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        target = self.created if created else self.updated
        target[kind] = target.get(kind, 0) + 1


def _translated(model: type[Model]) -> tuple[str, ...]:
    """The model's translated fields as translation.py registers them, in the model's field order."""
    registered = translator.get_options_for_model(model).all_fields
    return tuple(f.name for f in model._meta.get_fields() if f.name in registered)


def _values(model: type[CatalogueModel], entry: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    translated = _translated(model)
    for name in translated:
        if name in entry:
            texts = entry[name] or {}
            if not isinstance(texts, dict):
                raise ValueError(f"{model.__name__}.{name} needs a {{de: ..., en: ...}} map, got {texts!r}")
            for code, _label in settings.LANGUAGES:
                values[f"{name}_{code}"] = (texts.get(code) or "").strip()
    for name in PLAIN[model]:
        if name in entry and name not in translated:
            values[name] = entry[name] if entry[name] is not None else ""
    if "popular_rank" in values and values["popular_rank"] == "":
        values["popular_rank"] = None
    return values


def _upsert(
    model: type[CatalogueModel], lookup: dict[str, Any], values: dict[str, Any], *, update: bool, report: LoadReport
) -> tuple[Any, bool]:
    """The row found by ``lookup`` (changed if ``update``) or made new, and whether it was made."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        report.count(model.__name__, True)
        return obj, True
    if update:
        for key, value in values.items():
            setattr(obj, key, value)
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        report.count(model.__name__, False)
    return obj, False


@transaction.atomic
def catalogue_load_seed(*, data: dict[str, Any], update: bool = False) -> LoadReport:
    """Load departments, locations, services, fees and referrals.

    Idempotent: entries are matched by slug (fees by service, code and
    valid-from date). Existing rows keep admin edits unless ``update`` is set.
    """
    report = LoadReport()
    departments: dict[str, Department] = {}
    for entry in data.get("departments", []):
        departments[entry["slug"]], _ = _upsert(
            Department, {"slug": entry["slug"]}, _values(Department, entry), update=update, report=report
        )

    locations: dict[str, Location] = {}
    for entry in data.get("locations", []):
        values = _values(Location, entry)
        values["department"] = departments[entry["department"]]
        location, created = _upsert(Location, {"slug": entry["slug"]}, values, update=update, report=report)
        locations[entry["slug"]] = location
        if created or update:
            location.opening_hours.all().delete()
            for hours in entry.get("hours", []):
                OpeningHours.objects.create(
                    location=location,
                    weekday=hours["weekday"],
                    opens=datetime.time.fromisoformat(hours["opens"]),
                    closes=datetime.time.fromisoformat(hours["closes"]),
                    kind=hours.get("kind", "open"),
                )

    for entry in data.get("departments", []):
        department = departments[entry["slug"]]
        main = entry.get("main_location")
        if main and (department.main_location_id is None or update):
            department.main_location = locations[main]
            department.save(update_fields=["main_location"])

    problems = seed_language_problems(data)
    if problems:
        raise ValueError("Texts missing in a service's further languages:\n" + "\n".join(problems))
    for entry in data.get("services", []):
        values = _values(Service, entry)
        values["department"] = departments[entry["department"]]
        service, created = _upsert(Service, {"slug": entry["slug"]}, values, update=update, report=report)
        if created or update:
            service.locations.set([locations[slug] for slug in entry.get("locations", [])])
        for fee_entry in entry.get("fees", []):
            valid_from = fee_entry["valid_from"]
            if isinstance(valid_from, str):
                valid_from = datetime.date.fromisoformat(valid_from)
            _upsert(
                Fee,
                {"service": service, "code": fee_entry["code"], "valid_from": valid_from},
                _values(Fee, fee_entry),
                update=update,
                report=report,
            )

    for entry in data.get("referrals", []):
        values = _values(Referral, entry)
        values["location"] = locations.get(entry["location"]) if entry.get("location") else None
        _upsert(Referral, {"slug": entry["slug"]}, values, update=update, report=report)
    return report


def _missing_languages(model: type[Model], entry: dict[str, Any], languages: Iterable[str], what: str) -> list[str]:
    """Each translated text the entry gives in German but not in one of ``languages``."""
    problems = []
    for name in _translated(model):
        texts = entry.get(name)
        if not isinstance(texts, dict) or not (texts.get("de") or "").strip():
            continue
        missing = [code for code in languages if not (texts.get(code) or "").strip()]
        if missing:
            problems.append(f"{what}: {name} has no text in {', '.join(missing)}")
    return problems


def seed_language_problems(data: dict[str, Any]) -> list[str]:
    """A service with further languages (``further_languages``) has every text in them: its own, its fees', and
    those of its department and locations, which its page shows."""
    departments = {entry["slug"]: entry for entry in data.get("departments", [])}
    locations = {entry["slug"]: entry for entry in data.get("locations", [])}
    problems: list[str] = []
    for entry in data.get("services", []):
        languages = entry.get("further_languages") or []
        if not languages:
            continue
        slug = entry["slug"]
        problems += _missing_languages(Service, entry, languages, f"service {slug}")
        for fee in entry.get("fees", []):
            problems += _missing_languages(Fee, fee, languages, f"service {slug}, fee {fee.get('code')}")
        department = departments.get(entry["department"], {})
        problems += _missing_languages(Department, department, languages, f"department {entry['department']}")
        for location_slug in entry.get("locations", []):
            location = locations.get(location_slug, {})
            problems += _missing_languages(Location, location, languages, f"location {location_slug}")
    return list(dict.fromkeys(problems))


def seed_read(*, name: str = "kassel") -> dict[str, Any]:
    with open(SEED_DIR / f"{name}.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)

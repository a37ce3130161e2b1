from modeltranslation.translator import TranslationOptions, register

from .models import Department, Fee, Location, Referral, Service


@register(Department)
class DepartmentTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"de": ("name",), "en": ("name",)}


@register(Location)
class LocationTranslation(TranslationOptions):
    fields = ("name", "transport_hint", "hours_note", "accessibility")
    required_languages = {"de": ("name",), "en": ("name",)}


@register(Service)
class ServiceTranslation(TranslationOptions):
    fields = (
        "name",
        "summary",
        "description",
        "eligibility",
        "requirements",
        "appointment_bring",
        "processing_time",
        "result_delivery",
        "online_restriction",
        "legal_basis",
        "counter_alternative",
        "synonyms",
    )
    required_languages = {
        "de": ("name", "summary", "description", "eligibility", "requirements", "processing_time", "result_delivery"),
        "en": ("name", "summary", "description", "eligibility", "requirements", "processing_time", "result_delivery"),
    }


@register(Fee)
class FeeTranslation(TranslationOptions):
    fields = ("label", "note")
    required_languages = {"de": ("label",), "en": ("label",)}


@register(Referral)
class ReferralTranslation(TranslationOptions):
    fields = ("name", "synonyms", "where")
    required_languages = {"de": ("name", "where"), "en": ("name", "where")}

from modeltranslation.translator import TranslationOptions, register

from .models import Campaign, IdeaTag, Question


@register(Campaign)
class CampaignTranslation(TranslationOptions):
    fields = ("name", "prize", "conditions", "consent_text")
    required_languages = {"de": ("name",), "en": ("name",)}


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("text", "hint")
    required_languages = {"de": ("text",), "en": ("text",)}


@register(IdeaTag)
class IdeaTagTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = {"de": ("name",), "en": ("name",)}

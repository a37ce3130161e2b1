"""Campaigns with their questions (German and English) and the idea tags, in the Django admin.

Raffle entries are not in the admin: their contact data is seen only on the
winners' page of the back office, which records each view in the audit log.
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from .constants import QuestionRole
from .models import Campaign, IdeaTag, Question
from .services import questions_default_create


class QuestionFormSet(BaseInlineFormSet):
    """A raffle only for ideas needs a question in the "idea" role (none at all: the defaults have one)."""

    def clean(self) -> None:
        super().clean()
        campaign = self.instance
        if not (campaign.raffle_enabled and campaign.requires_idea):
            return
        kept = [
            form.cleaned_data
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]
        if kept and not any(data.get("role") == QuestionRole.IDEA for data in kept):
            raise ValidationError(
                _(
                    "Only responses with an improvement idea may take part in this raffle, so one question "
                    'needs the role "Improvement idea".'
                )
            )


class QuestionInline(TranslationStackedInline):
    model = Question
    formset = QuestionFormSet
    extra = 0
    fields = (("key", "order", "kind", "role", "required"), "text", "hint", "choices")


@admin.register(Campaign)
class CampaignAdmin(TranslationAdmin):
    list_display = ("name", "starts_on", "ends_on", "raffle_enabled", "prizes", "committed_at", "drawn_at")
    list_filter = ("raffle_enabled",)
    search_fields = ("name_de", "name_en", "slug")
    prepopulated_fields = {"slug": ("name_de",)}
    filter_horizontal = ("services",)
    inlines = [QuestionInline]
    readonly_fields = ("commitment", "committed_at", "seed", "drawn_at")
    fieldsets = (
        (None, {"fields": ("name", "slug", ("starts_on", "ends_on"), "services")}),
        (
            _("Raffle"),
            {
                "fields": (
                    "raffle_enabled",
                    ("prizes", "prize"),
                    "requires_idea",
                    "raffle_footer_responses",
                    "conditions",
                    "consent_text",
                    "contact_data_delete_on",
                )
            },
        ),
        (
            _("Draw (published with the commands feedback_commit and feedback_draw)"),
            {
                "fields": ("commitment", "committed_at", "seed", "drawn_at"),
                "description": _(
                    "A raffle needs its commitment before its first day: run manage.py feedback_commit "
                    "<short name> before the campaign starts. It is refused once the campaign has started or "
                    "anyone has entered, and citizens cannot enter a raffle without one."
                ),
            },
        ),
    )

    def save_related(self, request: HttpRequest, form, formsets, change) -> None:  # type: ignore[no-untyped-def]
        super().save_related(request, form, formsets, change)
        # A new campaign without questions of its own gets the default questions.
        questions_default_create(campaign=form.instance)


@admin.register(IdeaTag)
class IdeaTagAdmin(TranslationAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name_de",)}

"""The catalogue in the Django admin, for superusers and catalogue editors.

Editors see and change only the services and locations of their own
departments, unless they hold ``catalogue.edit_all_departments``. Facts marked
"zu prüfen" can be filtered, so a department finds what it must confirm.
"""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from amtsweg.core.memo import content_changed

from .models import Department, Fee, Location, OpeningHours, Referral, Service
from .selectors import department_ids_for_staff


class DepartmentScopedMixin:
    """Limits rows to the editor's departments; ``department_path`` names the lookup."""

    department_path = "department_id"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        allowed = department_ids_for_staff(user=request.user)
        if allowed is None:
            return queryset
        return queryset.filter(**{f"{self.department_path}__in": allowed})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        if db_field.name == "department":
            allowed = department_ids_for_staff(user=request.user)
            if allowed is not None:
                kwargs["queryset"] = Department.objects.filter(pk__in=allowed)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class FeeInline(TranslationStackedInline):
    model = Fee
    extra = 0
    fields = (
        ("code", "valid_from", "order"),
        "label",
        "amount_cents",
        "note",
        ("applies_if", "quantity_from", "quantity_skip"),
        ("needs_review", "review_note"),
        "source",
    )


@admin.register(Service)
class ServiceAdmin(DepartmentScopedMixin, TranslationAdmin):
    list_display = ("name", "department", "online_mode", "trust_level", "published", "needs_review", "updated_at")
    list_filter = ("department", "published", "needs_review", "online_mode", "trust_level")
    search_fields = ("name_de", "name_en", "slug", "leika_key", "synonyms_de", "synonyms_en")
    filter_horizontal = ("locations",)
    inlines = [FeeInline]
    actions = ["publish", "unpublish"]
    fieldsets = (
        (None, {"fields": ("slug", "department", "leika_key", "published", "popular_rank", "order")}),
        (
            _("Texts"),
            {
                "fields": (
                    "name",
                    "summary",
                    "description",
                    "eligibility",
                    "requirements",
                    "appointment_bring",
                    "synonyms",
                )
            },
        ),
        (
            _("How it works"),
            {
                "fields": (
                    "online_mode",
                    "trust_level",
                    "processing_time",
                    "result_delivery",
                    "online_restriction",
                    "counter_alternative",
                    "external_url",
                )
            },
        ),
        (_("Law and places"), {"fields": ("legal_basis", "locations")}),
        (_("Treasury"), {"fields": ("revenue_account",)}),
        (_("Review"), {"fields": ("needs_review", "review_note", "source")}),
    )

    def get_prepopulated_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        return {} if obj else {"slug": ("name_de",)}

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        # The slug is part of published addresses; it is set once.
        return ("slug",) if obj else ()

    @admin.action(description=_("Publish the selected services"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Service]) -> None:
        count = queryset.update(published=True)
        content_changed()
        self.message_user(
            request, ngettext("%d service published.", "%d services published.", count) % count, messages.SUCCESS
        )

    @admin.action(description=_("Unpublish the selected services"), permissions=["change"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Service]) -> None:
        count = queryset.update(published=False)
        content_changed()
        self.message_user(
            request, ngettext("%d service unpublished.", "%d services unpublished.", count) % count, messages.SUCCESS
        )


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Location)
class LocationAdmin(DepartmentScopedMixin, TranslationAdmin):
    list_display = ("name", "department", "street", "published", "needs_review")
    list_filter = ("department", "published", "needs_review")
    search_fields = ("name_de", "name_en", "street", "slug")
    inlines = [OpeningHoursInline]


@admin.register(Department)
class DepartmentAdmin(TranslationAdmin):
    list_display = ("name", "email", "phone", "order")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Department]:
        queryset = super().get_queryset(request)
        allowed = department_ids_for_staff(user=request.user)
        return queryset if allowed is None else queryset.filter(pk__in=allowed)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return department_ids_for_staff(user=request.user) is None and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Department | None = None) -> bool:
        return department_ids_for_staff(user=request.user) is None and super().has_delete_permission(request, obj)


@admin.register(Referral)
class ReferralAdmin(TranslationAdmin):
    list_display = ("name", "location", "published")
    list_filter = ("published",)
    search_fields = ("name_de", "name_en", "synonyms_de", "synonyms_en")

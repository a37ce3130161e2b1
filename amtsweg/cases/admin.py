"""Processing rules per service (department-scoped) and the audit log, read-only for everyone."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from amtsweg.catalogue.admin import DepartmentScopedMixin
from amtsweg.catalogue.models import Service
from amtsweg.catalogue.selectors import department_ids_for_staff

from .constants import CaseStatus
from .models import AuditEntry, ProcessingRule
from .selectors import case_department_ids


class ProcessingRuleForm(forms.ModelForm):
    class Meta:
        model = ProcessingRule
        fields = ("service", "valid_from", "deadline_days", "working_days", "extra_states", "retention_days")

    def clean_extra_states(self) -> list[Any]:
        states = self.cleaned_data.get("extra_states") or []
        if not isinstance(states, list):
            raise forms.ValidationError(_("Enter a list of states."))
        keys = set()
        for item in states:
            key = item.get("key") if isinstance(item, dict) else None
            label = item.get("label") if isinstance(item, dict) else None
            if not isinstance(key, str) or not key.replace("_", "").isalnum() or not key.islower():
                raise forms.ValidationError(_("Each state needs a key of lower-case letters, digits and _."))
            if key in CaseStatus.values or key in keys:
                raise forms.ValidationError(
                    _("The key “%(key)s” is used twice or is a standard status."), params={"key": key}
                )
            if not isinstance(label, dict) or not label.get("de"):
                raise forms.ValidationError(_("Each state needs a label with at least a German text (“de”)."))
            keys.add(key)
        return states


@admin.register(ProcessingRule)
class ProcessingRuleAdmin(DepartmentScopedMixin, admin.ModelAdmin):
    form = ProcessingRuleForm
    department_path = "service__department_id"
    list_display = ("service", "valid_from", "deadline_days", "working_days", "retention_days")
    list_filter = ("service__department", "working_days")
    search_fields = ("service__name_de", "service__name_en", "service__slug")
    date_hierarchy = "valid_from"

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProcessingRule]:
        return super().get_queryset(request).select_related("service")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        if db_field.name == "service":
            allowed = department_ids_for_staff(user=request.user)
            if allowed is not None:
                kwargs["queryset"] = Service.objects.filter(department_id__in=allowed)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only for everyone, superusers included: the log is append-only (the model refuses changes too)."""

    list_display = ("at", "actor_label", "action", "case_reference", "department", "detail")
    list_filter = ("action", "department")
    search_fields = ("case_reference", "actor_label", "detail")
    date_hierarchy = "at"
    list_select_related = ("department",)
    readonly_fields = ("at", "actor", "actor_label", "action", "case_uuid", "case_reference", "department", "detail")

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEntry]:
        queryset = super().get_queryset(request)
        allowed = case_department_ids(user=request.user)
        return queryset if allowed is None else queryset.filter(department_id__in=allowed)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

"""Form definitions in the admin: written as YAML, validated on save, previewed, versioned.

A published version is frozen (submissions refer to it); to change a form, copy
it as a new draft version, edit, then publish.
"""

import yaml
from django import forms
from django.contrib import admin, messages
from django.db.models import Max, QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from amtsweg.catalogue.admin import DepartmentScopedMixin
from amtsweg.catalogue.models import Service
from amtsweg.catalogue.selectors import department_ids_for_staff

from .formengine.base import FieldInputs
from .formengine.definition import DefinitionError, parse_definition
from .models import FormVersion


class FormVersionForm(forms.ModelForm):
    definition_yaml = forms.CharField(
        label=_("Definition (YAML)"),
        widget=forms.Textarea(attrs={"rows": 30, "cols": 100, "spellcheck": "false"}),
        help_text=_("Steps and fields; see docs/adding-a-service.md. Checked when you save."),
    )

    class Meta:
        model = FormVersion
        fields = ["service", "number", "note", "published"]

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["definition_yaml"].initial = yaml.safe_dump(
                self.instance.definition, allow_unicode=True, sort_keys=False
            )

    def clean_definition_yaml(self):  # type: ignore[no-untyped-def]
        text = self.cleaned_data["definition_yaml"]
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise forms.ValidationError(_("This is not valid YAML: %(error)s") % {"error": error}) from None
        if not isinstance(data, dict):
            raise forms.ValidationError(_("The definition must be a mapping with 'service', 'title' and 'steps'."))
        try:
            parse_definition(data)
        except DefinitionError as error:
            raise forms.ValidationError([str(m) for m in error.args[0]]) from None
        return data

    def clean(self):  # type: ignore[no-untyped-def]
        cleaned = super().clean()
        frozen = self.instance.pk and self.instance.published and self.instance.submissions.exists()
        if frozen and cleaned.get("definition_yaml") != self.instance.definition:
            raise forms.ValidationError(
                _("This version has submissions and is frozen. Copy it as a new version to change the form.")
            )
        return cleaned

    def save(self, commit=True):  # type: ignore[no-untyped-def]
        self.instance.definition = self.cleaned_data["definition_yaml"]
        return super().save(commit=commit)


@admin.register(FormVersion)
class FormVersionAdmin(DepartmentScopedMixin, admin.ModelAdmin):
    form = FormVersionForm
    department_path = "service__department_id"
    list_display = ("service", "number", "published", "created_at", "note")
    list_filter = ("published", "service__department")
    readonly_fields = ("preview",)
    actions = ["copy_as_new_version"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        if db_field.name == "service":
            allowed = department_ids_for_staff(user=request.user)
            if allowed is not None:
                kwargs["queryset"] = Service.objects.filter(department_id__in=allowed)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("Preview"))
    def preview(self, obj: FormVersion) -> SafeString:
        if not obj.pk:
            return mark_safe("")
        try:
            definition = parse_definition(obj.definition)
        except DefinitionError as error:
            return render_to_string("applications/admin_preview.html", {"problems": error.args[0]})
        steps = [
            {"step": step, "fields": [(spec, FieldInputs(spec.key, {})) for spec in step.fields]}
            for step in definition.steps
        ]
        return render_to_string("applications/admin_preview.html", {"steps": steps})

    @admin.action(description=_("Copy as a new unpublished version"))
    def copy_as_new_version(self, request: HttpRequest, queryset: QuerySet[FormVersion]) -> None:
        for version in queryset:
            latest = FormVersion.objects.filter(service=version.service).aggregate(n=Max("number"))["n"] or 0
            FormVersion.objects.create(
                service=version.service,
                number=latest + 1,
                definition=version.definition,
                published=False,
                note=f"copy of version {version.number}",
            )
        self.message_user(request, _("Copied. Edit the new version, then publish it."), messages.SUCCESS)

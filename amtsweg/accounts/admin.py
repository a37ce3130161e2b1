from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Departments"), {"fields": ("departments",)}),
    )
    filter_horizontal = (*BaseUserAdmin.filter_horizontal, "departments")
    list_filter = (*BaseUserAdmin.list_filter, "departments")

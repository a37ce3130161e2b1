from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: staff see whether an email went out; the tasks alone change the rows."""

    list_display = ["kind", "case", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["case__reference", "submission__reference"]
    readonly_fields = [f.name for f in Notification._meta.fields if f.name != "sealed"]  # encrypted, blank once sent
    list_select_related = ["case"]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

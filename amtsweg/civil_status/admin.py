from django.contrib import admin

from .models import CertificateOrder


@admin.register(CertificateOrder)
class CertificateOrderAdmin(admin.ModelAdmin):
    """Read-only: orders move only through the fulfilment back office (/intern/urkunden/), which audits each step."""

    list_display = ("case", "status", "paid_at", "due_on", "printed_at", "sent_at")
    list_filter = ("status",)
    search_fields = ("case__reference",)
    date_hierarchy = "paid_at"
    readonly_fields = [f.name for f in CertificateOrder._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

"""What a location's admin configures for booking: the policy, counters, closures and absences, durations."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from amtsweg.catalogue.admin import DepartmentScopedMixin
from amtsweg.catalogue.models import Location
from amtsweg.catalogue.selectors import department_ids_for_staff

from .models import Appointment, BookableService, BookingPolicy, Closure, CounterHours


class LocationScopedMixin(DepartmentScopedMixin):
    """Rows of the editor's departments' locations only; the location choice is limited the same way."""

    department_path = "location__department_id"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        if db_field.name == "location":
            allowed = department_ids_for_staff(user=request.user)
            if allowed is not None:
                kwargs["queryset"] = Location.objects.filter(department_id__in=allowed)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(BookingPolicy)
class BookingPolicyAdmin(LocationScopedMixin, admin.ModelAdmin):
    list_display = ("location", "enabled", "slot_minutes", "waiting_room_capacity", "horizon_days", "lead_minutes")
    list_filter = ("enabled",)


@admin.register(CounterHours)
class CounterHoursAdmin(LocationScopedMixin, admin.ModelAdmin):
    list_display = ("location", "weekday", "start", "end", "counters")
    list_filter = ("location", "weekday")


@admin.register(Closure)
class ClosureAdmin(LocationScopedMixin, admin.ModelAdmin):
    list_display = ("location", "kind", "starts_at", "ends_at", "counters", "reason")
    list_filter = ("kind", "location")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # City-wide closures (no location) are visible to every editor.
        queryset = admin.ModelAdmin.get_queryset(self, request)
        allowed = department_ids_for_staff(user=request.user)
        if allowed is None:
            return queryset
        return queryset.filter(location__department_id__in=allowed) | queryset.filter(location__isnull=True)


@admin.register(BookableService)
class BookableServiceAdmin(LocationScopedMixin, admin.ModelAdmin):
    list_display = ("service", "location", "duration_minutes", "case_link_only")
    list_filter = ("location",)


@admin.register(Appointment)
class AppointmentAdmin(LocationScopedMixin, admin.ModelAdmin):
    list_display = ("booking_code", "location", "service", "starts_at", "status")
    list_filter = ("status", "location")
    search_fields = ("booking_code",)
    readonly_fields = [f.name for f in Appointment._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

"""Read-only admin views: every change goes through the services (AUD-1)."""

from django.contrib import admin

from .models import Inspection, MaintenanceWindow, News, Reading, Sensor, VisitRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MaintenanceWindow)
class MaintenanceWindowAdmin(ReadOnlyAdmin):
    list_display = ["starts_at", "ends_at", "services", "read_only", "status"]


@admin.register(VisitRequest)
class VisitRequestAdmin(ReadOnlyAdmin):
    list_display = ["visitor_name", "organisation", "status", "entered_at", "left_at"]
    list_filter = ["status"]


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["item_code", "inspected_at", "inspected_by", "condition_ok"]


@admin.register(Sensor)
class SensorAdmin(ReadOnlyAdmin):
    list_display = ["name", "location", "is_active", "last_seen_at"]
    exclude = ["token_hash"]


@admin.register(Reading)
class ReadingAdmin(ReadOnlyAdmin):
    list_display = ["at", "place", "quantity", "value", "level"]


@admin.register(News)
class NewsAdmin(ReadOnlyAdmin):
    list_display = ["title", "published_at", "is_published"]

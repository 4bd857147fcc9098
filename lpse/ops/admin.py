from django.contrib import admin

from .models import Incident, IncidentTransition, ProbeConfig, ProbeRun, Threshold


class IncidentTransitionInline(admin.TabularInline):
    model = IncidentTransition
    extra = 0
    can_delete = False
    readonly_fields = ("from_level", "to_level", "at", "value", "note")


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ("title", "key", "status", "level", "opened_at", "closed_at")
    list_filter = ("status", "level")
    search_fields = ("title", "key")
    inlines = [IncidentTransitionInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # incidents change only through report_condition (audited)

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ProbeRun)
class ProbeRunAdmin(admin.ModelAdmin):
    list_display = ("kind", "at", "ok", "level", "duration_ms", "summary")
    list_filter = ("kind", "level")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ProbeConfig, Threshold)
class ReadOnlyAdmin(admin.ModelAdmin):
    """Changed on the console (audited), shown here read-only."""

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

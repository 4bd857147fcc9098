"""Read-only admin views of tenders: every change goes through the services (audited)."""

from django.contrib import admin

from .models import ScheduleChange, Stage, Tender, TenderTransition


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StageInline(admin.TabularInline):
    model = Stage
    fields = ["kind", "starts_at", "ends_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Tender)
class TenderAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "work_unit", "status", "budget_year", "hps"]
    list_filter = ["status", "method", "category", "budget_year"]
    search_fields = ["code", "name_key"]
    inlines = [StageInline]


@admin.register(ScheduleChange)
class ScheduleChangeAdmin(ReadOnlyAdmin):
    list_display = ["tender", "status", "requested_by", "requested_at", "decided_by", "decided_at"]
    list_filter = ["status"]


@admin.register(TenderTransition)
class TenderTransitionAdmin(ReadOnlyAdmin):
    list_display = ["tender", "kind", "from_state", "to_state", "by", "at"]
    list_filter = ["kind"]

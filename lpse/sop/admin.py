"""Read-only admin for the SOP registry and cases: edits go through the SOP pages and
services, which keep revisions and the audit chain (SOP-1, AUD-1)."""

from __future__ import annotations

from django.contrib import admin

from .models import Case, Procedure, ProcedureRevision, Step, StepRun


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class StepInline(ReadOnlyInline):
    model = Step
    fields = ["number", "group", "description", "executors", "time_text", "standard_kind"]


@admin.register(Procedure)
class ProcedureAdmin(ReadOnlyAdmin):
    list_display = ["code", "short_title", "chapter", "revision", "updated_at"]
    list_filter = ["chapter"]
    search_fields = ["code", "title", "activity"]
    inlines = [StepInline]


@admin.register(ProcedureRevision)
class ProcedureRevisionAdmin(ReadOnlyAdmin):
    list_display = ["procedure", "number", "created_at", "created_by", "note"]
    list_select_related = ["procedure", "created_by"]
    list_filter = ["procedure"]


class StepRunInline(ReadOnlyInline):
    model = StepRun
    fields = ["step", "started_at", "started_by", "ended_at", "ended_by", "due_at", "note"]


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "procedure", "status", "opened_at", "closed_at"]
    list_select_related = ["procedure"]
    list_filter = ["status", "procedure"]
    search_fields = ["title", "object_id"]
    inlines = [StepRunInline]


@admin.register(StepRun)
class StepRunAdmin(ReadOnlyAdmin):
    list_display = ["case", "step", "started_at", "ended_at", "due_at"]
    list_select_related = ["case__procedure", "step"]

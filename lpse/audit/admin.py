"""Read-only admin for the audit chain: events can be looked at, never changed (AUD-1)."""

from django.contrib import admin

from .models import AuditEvent, ChainHead


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["seq", "at", "actor_repr", "action", "target_repr", "ip"]
    list_filter = ["action"]
    search_fields = ["actor_repr", "action", "target_repr", "summary"]
    date_hierarchy = "at"
    list_select_related = ["target_type"]
    show_full_result_count = False


@admin.register(ChainHead)
class ChainHeadAdmin(ReadOnlyAdmin):
    list_display = ["seq", "hash"]

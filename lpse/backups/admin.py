"""Read-only admin views: every change goes through the services (AUD-1)."""

from django.contrib import admin

from .models import BackupRun, Medium


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BackupRun)
class BackupRunAdmin(ReadOnlyAdmin):
    list_display = ["backup_id", "started_at", "status", "medium", "members", "verify_result"]
    list_filter = ["status", "verify_result"]


@admin.register(Medium)
class MediumAdmin(ReadOnlyAdmin):
    list_display = ["label", "location", "location_since"]

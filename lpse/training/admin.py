"""Read-only admin views: every change goes through the services (AUD-1)."""

from django.contrib import admin

from .models import Letter, TrainingRequest, TrainingResource


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TrainingRequest)
class TrainingRequestAdmin(ReadOnlyAdmin):
    list_display = ["requested_at", "work_unit", "audience", "participant_count", "status"]
    list_filter = ["status", "audience"]


@admin.register(Letter)
class LetterAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "request", "issued_at", "sent_at"]


@admin.register(TrainingResource)
class TrainingResourceAdmin(ReadOnlyAdmin):
    list_display = ["kind", "name", "is_active"]

"""Read-only admin views: every change goes through the services (AUD-1)."""

from django.contrib import admin

from .models import BusinessField, Vendor, Verification, VerificationChecklistItem


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Vendor)
class VendorAdmin(ReadOnlyAdmin):
    list_display = ["registration_number", "name", "tax_id", "status", "verification_deadline"]
    list_filter = ["status", "is_demo"]
    search_fields = ["registration_number", "tax_id", "search_name"]


@admin.register(Verification)
class VerificationAdmin(ReadOnlyAdmin):
    list_display = ["vendor", "verifier", "started_at", "ended_at", "outcome"]


admin.site.register(BusinessField, ReadOnlyAdmin)
admin.site.register(VerificationChecklistItem, ReadOnlyAdmin)

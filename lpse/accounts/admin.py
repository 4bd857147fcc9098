"""Django admin for accounts: superusers only (staff use the staff pages, SEC-1)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User, UserRole, WorkUnit


@admin.register(WorkUnit)
class WorkUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "short_name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name", "short_name"]


class UserRoleInline(admin.TabularInline):
    model = UserRole
    fk_name = "user"
    extra = 0
    readonly_fields = ["granted_at", "granted_by"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "work_unit", "is_active"]
    list_filter = ["is_active", "is_superuser", "is_demo", "role_rows__role"]
    list_select_related = ["work_unit"]
    search_fields = ["username", "email", "first_name", "last_name"]
    autocomplete_fields = ["work_unit"]
    inlines = [UserRoleInline]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("LPSE"), {"fields": ("phone", "work_unit", "is_demo")}),
    )


@admin.register(UserRole)
class UserRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "granted_at", "granted_by"]
    list_filter = ["role"]
    list_select_related = ["user", "granted_by"]
    search_fields = ["user__username"]
    raw_id_fields = ["user", "granted_by"]

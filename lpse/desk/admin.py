"""Read-only admin views: every change goes through the services (AUD-1)."""

from django.contrib import admin

from lpse.vendors.admin import ReadOnlyAdmin

from .models import Article, Escalation, SupportGrant, Ticket, Topic


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ["reference", "subject", "channel", "requester_type", "status", "received_at"]
    list_filter = ["status", "channel", "requester_type", "kind"]
    search_fields = ["reference", "search_name", "requester_email"]


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "lkpp_reference", "status", "sent_at", "answered_at"]


@admin.register(Topic)
class TopicAdmin(ReadOnlyAdmin):
    list_display = ["name", "order", "is_active"]


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ["title", "topic", "is_published", "is_canned", "updated_at"]


@admin.register(SupportGrant)
class SupportGrantAdmin(ReadOnlyAdmin):
    list_display = ["vendor", "scope", "granted_at", "expires_at", "revoked_at"]

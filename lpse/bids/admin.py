from django.contrib import admin

from .models import Bid, BidOpening, BidTransition, Opening, TenderKey, TusUpload


@admin.register(TenderKey)
class TenderKeyAdmin(admin.ModelAdmin):
    list_display = ["tender", "mode", "threshold", "share_count", "created_at"]
    exclude = ["encrypted_private_key"]
    readonly_fields = ["tender", "mode", "certificate_pem", "certificate_sha256", "created_by"]


@admin.register(Bid)
class BidAdmin(admin.ModelAdmin):
    list_display = ["receipt_number", "tender", "participant", "status", "source", "received_at"]
    list_filter = ["status", "source"]
    exclude = ["receipt_signature"]
    readonly_fields = [f.name for f in Bid._meta.fields if f.name != "receipt_signature"]


@admin.register(Opening)
class OpeningAdmin(admin.ModelAdmin):
    list_display = ["tender", "status", "method", "opened_count", "failed_count", "started_at"]


@admin.register(BidOpening)
class BidOpeningAdmin(admin.ModelAdmin):
    list_display = ["bid", "outcome", "failure_code", "at"]


@admin.register(TusUpload)
class TusUploadAdmin(admin.ModelAdmin):
    list_display = ["id", "tender", "user", "length", "offset", "status", "updated_at"]


@admin.register(BidTransition)
class BidTransitionAdmin(admin.ModelAdmin):
    list_display = ["tender", "kind", "object_id", "from_state", "to_state", "by", "at"]

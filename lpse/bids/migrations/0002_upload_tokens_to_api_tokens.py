"""Upload tokens become API tokens (GEN-3, BID-2): one kind of token for scripts.

Each `UploadToken` row is copied to `api.ApiToken` with the same SHA-256 of the
same secret format ("lpse_" + random), so vendors' existing tokens keep working,
with the scopes bids:write and bids:read; then the old table goes.
"""

from django.db import migrations

SCOPES = ["bids:write", "bids:read"]
#: The secret itself was never stored, so its first characters are unknown.
UNKNOWN_PREFIX = "lpse_…"


def move_upload_tokens(apps, schema_editor):
    UploadToken = apps.get_model("bids", "UploadToken")
    ApiToken = apps.get_model("api", "ApiToken")
    taken = set(ApiToken.objects.values_list("token_hash", flat=True))
    rows = [
        ApiToken(
            user_id=row.user_id,
            name=(row.label or "lpse-seal")[:100],
            prefix=UNKNOWN_PREFIX,
            token_hash=row.token_sha256,
            scopes=list(SCOPES),
            created_at=row.created_at,
            last_used_at=row.last_used_at,
            revoked_at=row.revoked_at,
        )
        for row in UploadToken.objects.order_by("pk")
        if row.token_sha256 not in taken
    ]
    ApiToken.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("bids", "0001_initial"),
        ("api", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(move_upload_tokens, migrations.RunPython.noop),
        migrations.DeleteModel(name="UploadToken"),
    ]

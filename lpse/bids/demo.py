"""Demo tender keys (BID-4): `lpse demo` gives each running demo tender whose upload
stage has not ended a server key, so demo vendors can upload sealed bids at once.

The key ceremony is backdated to an hour before the upload stage (keys are made before
it starts) and every demo Pokja member's passphrase is the shared demo password, which
`lpse demo` prints. Only demo tenders are touched.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from lpse.tenders.choices import StageKind, TenderStatus
from lpse.tenders.models import Tender

from .key_services import create_server_key
from .models import TenderKey


def create_demo_keys(*, password: str | None) -> list[str]:
    """Create the missing keys; returns lines to print. Without the password, nothing."""
    if not password:
        return []
    now = timezone.now()
    lines = []
    tenders = Tender.objects.filter(is_demo=True, status=TenderStatus.ANNOUNCED).exclude(
        pk__in=TenderKey.objects.values("tender_id")
    )
    for tender in tenders.prefetch_related("stages", "members__user").order_by("code"):
        upload = tender.stage(StageKind.BID_UPLOAD)
        members = list(tender.members.all())
        if upload is None or upload.ends_at <= now or not members:
            continue
        chair = next((m for m in members if m.is_chair), members[0])
        threshold = min(2, len(members))
        create_server_key(
            tender,
            threshold=threshold,
            passphrases={m.user_id: password for m in members},
            by=chair.user,
            at=min(now, upload.starts_at - timedelta(hours=1)),
        )
        lines.append(
            f"  {tender.code}  kunci {threshold} dari {len(members)} anggota Pokja; "
            "frasa sandi setiap anggota = kata sandi demo"
        )
    return lines

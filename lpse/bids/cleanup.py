"""Removes what interrupted uploads and crashes leave behind (BID-2): temp files, stale
resumable uploads, sealed files no bid refers to, opened areas of openings that never
committed. Run hourly by the task queue and by `lpse bids_cleanup`."""

from __future__ import annotations

import shutil
import time
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from . import storage
from .choices import TusStatus
from .models import Bid, Opening, TusUpload


def cleanup(*, stale_hours: int | None = None, grace_seconds: int = 3600) -> dict[str, int]:
    """Returns counts of what was removed. Files younger than `grace_seconds` (uploads in
    progress) are left alone, except with grace_seconds=0."""
    stale_hours = settings.LPSE_BID_STALE_HOURS if stale_hours is None else stale_hours
    now = time.time()
    counts = {"temp": 0, "tus": 0, "sealed": 0, "opened": 0}

    def old(path, seconds) -> bool:
        try:
            return now - path.stat().st_mtime >= seconds
        except FileNotFoundError:
            return False

    root = storage.root()
    for path in (root / storage.TMP).glob("*") if (root / storage.TMP).is_dir() else []:
        if old(path, grace_seconds):
            storage.remove_quietly(path)
            counts["temp"] += 1
    cutoff = timezone.now() - timedelta(hours=stale_hours)
    for upload in TusUpload.objects.filter(status=TusStatus.OPEN, updated_at__lt=cutoff):
        storage.remove_quietly(storage.tus_path(upload.id))
        TusUpload.objects.filter(pk=upload.pk).update(
            status=TusStatus.ABORTED, error="stale", updated_at=timezone.now()
        )
        counts["tus"] += 1
    tus_dir = root / storage.TUS
    if tus_dir.is_dir():
        live = {
            str(u)
            for u in TusUpload.objects.filter(status=TusStatus.OPEN).values_list("id", flat=True)
        }
        for path in tus_dir.glob("*.part"):
            if path.stem not in live and old(path, grace_seconds):
                storage.remove_quietly(path)
                counts["tus"] += 1
    sealed_dir = root / storage.SEALED
    if sealed_dir.is_dir():
        referenced = set(Bid.objects.values_list("sealed_name", flat=True))
        for path in sealed_dir.glob("*/*"):
            name = str(path.relative_to(root))
            if name not in referenced and old(path, grace_seconds):
                storage.remove_quietly(path)
                counts["sealed"] += 1
    opened_root = root / storage.OPENED
    if opened_root.is_dir():
        openings = {str(pk) for pk in Opening.objects.values_list("pk", flat=True)}
        for path in opened_root.glob("*/*"):
            if path.is_dir() and path.name not in openings and old(path, grace_seconds):
                shutil.rmtree(path, ignore_errors=True)
                counts["opened"] += 1
    return counts

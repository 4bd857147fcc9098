"""Retention on a medium (BAK-3): keep a daily/weekly/monthly set, delete the other
manifests, then delete objects no kept manifest references. Never the reverse."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from . import manifest, store
from .destinations import open_destination
from .errors import BackupError
from .keep import RULES, parse_keep

__all__ = ["RULES", "PruneReport", "parse_keep", "prune", "select_kept"]


def _bucket(rule: str, when: datetime):
    local = timezone.localtime(when)
    if rule == "last":
        return when
    if rule == "daily":
        return local.date()
    if rule == "weekly":
        return local.isocalendar()[:2]
    if rule == "monthly":
        return (local.year, local.month)
    return local.year


def select_kept(backups: list[tuple[str, datetime]], keep: dict[str, int]) -> set[str]:
    """Ids to keep: per rule, the newest backup of each of the newest N periods; and
    always the newest backup of all."""
    ordered = sorted(backups, key=lambda item: item[1], reverse=True)
    kept = {ordered[0][0]} if ordered else set()
    for rule, count in keep.items():
        seen = []
        for backup_id, when in ordered:
            bucket = _bucket(rule, when)
            if bucket in seen:
                continue
            if len(seen) >= count:
                break
            seen.append(bucket)
            kept.add(backup_id)
    return kept


@dataclass
class PruneReport:
    kept: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    interrupted_deleted: list[str] = field(default_factory=list)
    objects_deleted: int = 0
    bytes_freed: int = 0


def prune(target: str, keep: dict[str, int]) -> PruneReport:
    destination = open_destination(target)
    destination.ensure_readable()
    report = PruneReport()
    with destination.lock():
        entries = manifest.entries(destination)
        damaged = [e for e in entries if not e.complete and e.error.startswith("Manifes")]
        if damaged:
            raise BackupError(
                "Ada manifes rusak di media ini; pembersihan dibatalkan agar tidak ada isi yang "
                "terhapus: " + "; ".join(e.error for e in damaged)
            )
        complete = [e for e in entries if e.complete]
        kept = select_kept([(e.backup_id, e.created_at) for e in complete], keep)
        report.kept = sorted(kept)
        for entry in complete:
            if entry.backup_id not in kept:
                # The manifest goes first: a half-deleted backup then counts as interrupted.
                destination.remove(manifest.manifest_name(entry.backup_id))
                destination.sync_dirs({f"{manifest.BACKUPS}/{entry.backup_id}"})
                destination.remove_tree(f"{manifest.BACKUPS}/{entry.backup_id}")
                report.deleted.append(entry.backup_id)
        # Under the lock no backup is being written: a folder without manifest is dead.
        for entry in entries:
            if not entry.complete:
                destination.remove_tree(f"{manifest.BACKUPS}/{entry.backup_id}")
                report.interrupted_deleted.append(entry.backup_id)
        destination.sync_dirs({manifest.BACKUPS})
        referenced = {
            member["sha256"]
            for entry in complete
            if entry.backup_id in kept
            for member in entry.manifest["members"]
        }
        packs = {
            member["pack"]
            for entry in complete
            if entry.backup_id in kept
            for member in entry.manifest["members"]
            if member.get("pack")
        }
        for name in list(destination.walk_files(store.PACKS)):
            base = name.rsplit("/", 1)[-1]
            # A pack goes only when no kept backup uses any object in it.
            if base.startswith(".tmp-") or name not in packs:
                report.bytes_freed += destination.size(name)
                destination.remove(name)
                report.objects_deleted += 1
        for name in list(destination.walk_files(store.OBJECTS)):
            base = name.rsplit("/", 1)[-1]
            sha256 = base.split(".", 1)[0]
            if base.startswith(".tmp-") or sha256 not in referenced:
                report.bytes_freed += destination.size(name)
                destination.remove(name)
                report.objects_deleted += 1
    return report

"""`lpse load_work_units`: the regency's work units (SKPD) from data/work_units.yaml."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lpse.accounts.models import WorkUnit

DATA_FILE = Path(__file__).resolve().parents[2] / "data" / "work_units.yaml"


class Command(BaseCommand):
    help = "Muat atau perbarui daftar satuan kerja (SKPD) Kabupaten Tangerang."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DATA_FILE)

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        try:
            rows = yaml.safe_load(path.read_text(encoding="utf-8"))["work_units"]
        except (OSError, KeyError, TypeError, yaml.YAMLError) as exc:
            raise CommandError(f"{path}: cannot read work units: {exc}") from exc
        created = updated = 0
        for row in rows:
            try:
                code, name = str(row["code"]), str(row["name"])
            except (KeyError, TypeError) as exc:
                raise CommandError(f"{path}: every work unit needs code and name: {row!r}") from exc
            _unit, was_created = WorkUnit.objects.update_or_create(
                code=code,
                defaults={
                    "name": name,
                    "short_name": str(row.get("short_name", "")),
                    "is_active": True,
                },
            )
            created += was_created
            updated += not was_created
        self.stdout.write(f"Satuan kerja: {created} baru, {updated} diperbarui.")

"""`lpse facility_new_cycle`: create the current Lampiran V maintenance cycle (MNT-1)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from lpse.sop.models import Procedure

from ...checklist_services import SOP_CODE, create_cycle, report_overdue


class Command(BaseCommand):
    help = "Create the current maintenance cycle of SOP 5.1 (Lampiran V) and report overdue items."

    def handle(self, *args, **options):
        if not Procedure.objects.filter(code=SOP_CODE).exists():
            raise CommandError("SOP 5.1 is not loaded: run `lpse load_sops` first.")
        cycle, created = create_cycle()
        state = "created" if created else "already exists"
        self.stdout.write(
            f"Cycle {cycle.starts_on:%Y-%m-%d} (due {cycle.due_on:%Y-%m-%d}) {state}: "
            f"{cycle.items.count()} items."
        )
        reported = report_overdue()
        if reported:
            self.stdout.write(f"{reported} overdue items reported.")

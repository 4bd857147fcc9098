"""`lpse load_sops`: the SOP registry from the data files under lpse/sop/data (SOP-1).

Idempotent: missing procedures are created as revision 1; a procedure the head
of LPSE has revised is never overwritten (it is reported); `--force` re-syncs a
procedure still at revision 1 that differs from its file.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lpse.sop.content import ContentError
from lpse.sop.services import DATA_DIR, load_procedures


class Command(BaseCommand):
    help = "Muat registri SOP dari berkas data (Lampiran Perbup Tangerang 40/2011)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=DATA_DIR, help="Folder berkas *.yaml.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Samakan SOP yang belum direvisi (revisi 1) dengan berkasnya.",
        )

    def handle(self, *args, **options) -> None:
        try:
            results = load_procedures(options["dir"], force=options["force"])
        except (ContentError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        counts: dict[str, int] = {}
        for result in results:
            counts[result.action] = counts.get(result.action, 0) + 1
            if result.action == "unchanged":
                if options["verbosity"] >= 2:
                    self.stdout.write(str(result))
            elif result.action in ("differs", "kept_revised"):
                self.stdout.write(self.style.WARNING(str(result)))
            else:
                self.stdout.write(str(result))
        self.stdout.write(
            "Registri SOP: {created} baru, {unchanged} tetap, {resynced} disamakan, "
            "{differs} berbeda dari berkas, {kept} direvisi Kepala LPSE.".format(
                created=counts.get("created", 0),
                unchanged=counts.get("unchanged", 0),
                resynced=counts.get("resynced", 0),
                differs=counts.get("differs", 0),
                kept=counts.get("kept_revised", 0),
            )
        )

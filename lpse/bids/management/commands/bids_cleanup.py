"""`lpse bids_cleanup`: remove orphan temp files and stale uploads of sealed bids (BID-2)."""

from django.core.management.base import BaseCommand

from lpse.bids.cleanup import cleanup


class Command(BaseCommand):
    help = "Hapus berkas sementara, unggahan terputus dan amplop tanpa penawaran (BID-2)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--grace-seconds",
            type=int,
            default=3600,
            help="Berkas lebih muda dari ini dibiarkan (unggahan yang masih berjalan).",
        )
        parser.add_argument("--stale-hours", type=int, default=None)

    def handle(self, *args, grace_seconds, stale_hours, **options):
        counts = cleanup(stale_hours=stale_hours, grace_seconds=grace_seconds)
        self.stdout.write(
            "sementara={temp} tus={tus} tersegel={sealed} dibuka={opened}".format(**counts)
        )

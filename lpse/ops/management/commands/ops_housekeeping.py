"""`lpse ops_housekeeping`: downsample old samples and send due incident reminders."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from lpse.ops.incidents import send_reminders
from lpse.ops.retention import downsample


class Command(BaseCommand):
    help = "Merata-ratakan sampel lama per jam, menghapus yang kedaluwarsa, mengirim pengingat."

    def handle(self, *args, **options) -> None:
        folded, deleted = downsample()
        reminded = send_reminders()
        self.stdout.write(
            f"{folded} sampel dirata-ratakan per jam, {deleted} sampel per jam dihapus, "
            f"{reminded} pengingat insiden."
        )

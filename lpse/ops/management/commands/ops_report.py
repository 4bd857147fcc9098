"""`lpse ops_report`: e-mail the daily capacity report now (Pasal 12(1), MON-1)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from lpse.ops.capacity import send_capacity_report


class Command(BaseCommand):
    help = "Mengirim laporan kapasitas harian ke administrator sistem sekarang."

    def handle(self, *args, **options) -> None:
        count = send_capacity_report()
        self.stdout.write(f"Laporan kapasitas dikirim ke {count} administrator sistem.")

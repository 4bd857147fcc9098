"""`lpse vendors_remind_expire`: verification reminders and expiry of late registrations (REG-3)."""

from django.core.management.base import BaseCommand

from lpse.vendors.services import remind_and_expire


class Command(BaseCommand):
    help = "Kirim pengingat verifikasi dan tandai pendaftaran yang lewat batas sebagai kedaluwarsa."

    def handle(self, *args, **options):
        result = remind_and_expire()
        self.stdout.write(
            f"Pengingat dikirim: {result.reminded}; pendaftaran kedaluwarsa: {result.expired}"
        )

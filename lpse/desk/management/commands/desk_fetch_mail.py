"""`lpse desk_fetch_mail`: read the helpdesk mailbox now (the worker does it every few minutes)."""

from django.core.management.base import BaseCommand, CommandError

from lpse.desk.mail_intake import fetch_configured, read_maildir


class Command(BaseCommand):
    help = (
        "Membaca e-mail baru ke alamat helpdesk (Maildir LPSE_DESK_MAILDIR dan/atau IMAP "
        "LPSE_DESK_IMAP_URL) menjadi tiket atau balasan tiket."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--maildir", help="Baca Maildir ini saja (bukan dari pengaturan).")

    def handle(self, *args, maildir: str | None = None, **options):
        from django.conf import settings

        if maildir:
            result = read_maildir(maildir)
        elif not (settings.LPSE_DESK_MAILDIR or settings.LPSE_DESK_IMAP_URL):
            raise CommandError(
                "Kotak surat helpdesk belum diatur: isi LPSE_DESK_MAILDIR atau LPSE_DESK_IMAP_URL."
            )
        else:
            result = fetch_configured()
        self.stdout.write(f"E-mail helpdesk: {result}")
        if result.failed:
            raise CommandError(f"{result.failed} e-mail gagal diproses; lihat log.")

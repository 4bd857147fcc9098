"""`lpse audit verify`: walk the audit chain and report the first broken link (AUD-1)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lpse.audit.chain import PAGE_SIZE, verify_chain


class Command(BaseCommand):
    help = "Audit chain tools. `verify` checks every event's hash and link (AUD-1)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{verify}")
        verify = sub.add_parser(
            "verify",
            help="Recompute every hash in seq order; exit 1 at the first broken link.",
        )
        verify.add_argument(
            "--page-size",
            type=int,
            default=PAGE_SIZE,
            help=f"events read per query (default {PAGE_SIZE})",
        )

    def handle(self, *args, subcommand: str, page_size: int = PAGE_SIZE, **options):
        if subcommand == "verify":
            if page_size < 1:
                raise CommandError("--page-size must be at least 1")
            report = verify_chain(page_size=page_size)
            if not report.ok:
                self.stderr.write(str(report))
                self.stderr.write(
                    _("%(count)s peristiwa lolos sebelum itu; hash baik terakhir #%(seq)s %(hash)s")
                    % {"count": report.count, "seq": report.head_seq, "hash": report.head_hash}
                )
                raise CommandError(_("verifikasi rantai audit gagal"), returncode=1)
            self.stdout.write(str(report))

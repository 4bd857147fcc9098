"""`lpse setup`: bring an installation up to date, idempotently (GEN-2).

Migrations, cache table, static files, reference data (work units) and the SOP
registry, then the first administrator. `./run` calls it before serving; it is
safe to run on every start and keeps existing data.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from lpse.accounts.models import User
from lpse.accounts.services import ensure_first_admin


class Command(BaseCommand):
    help = "Migrasi basis data, data referensi, registri SOP dan administrator pertama."

    def handle(self, *args, **options) -> None:
        verbosity = options["verbosity"]
        quiet = {"verbosity": max(verbosity - 1, 0)}
        self.stdout.write(f"Data: {settings.DATA_DIR}  Basis data: {_db_label()}")
        call_command("migrate", interactive=False, **quiet)
        call_command("createcachetable", **quiet)
        call_command("collectstatic", interactive=False, **quiet)
        call_command("load_work_units", **quiet)
        call_command("load_sops", **quiet)

        username = os.environ.get("LPSE_ADMIN_USER", "admin")
        email = os.environ.get("LPSE_ADMIN_EMAIL", settings.LPSE_EMAIL)
        password = os.environ.get("LPSE_ADMIN_PASSWORD") or None
        if password is not None and len(password) < 12:
            raise CommandError("LPSE_ADMIN_PASSWORD must be at least 12 characters long")
        existed = User.objects.filter(is_superuser=True).exists()
        user, generated = ensure_first_admin(username=username, email=email, password=password)
        if existed:
            self.stdout.write(f"Administrator {user.username} sudah ada; tidak diubah.")
        elif generated:
            self.stdout.write(
                self.style.WARNING(
                    "\nAdministrator pertama dibuat. Kata sandi dicetak sekali ini saja:\n"
                    f"  Nama pengguna: {user.username}\n  Kata sandi:    {generated}\n"
                )
            )
        else:
            self.stdout.write(
                f"Administrator pertama {user.username} dibuat dengan kata sandi dari"
                " LPSE_ADMIN_PASSWORD."
            )
        self.stdout.write(self.style.SUCCESS("Siap."))


def _db_label() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"SQLite {db['NAME']}"
    return f"PostgreSQL {db.get('HOST') or 'localhost'}/{db['NAME']}"

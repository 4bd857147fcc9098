"""`lpse demo`: realistic Indonesian sample staff for a fresh instance, marked as demo.

Every user it creates has `is_demo=True`, a user name starting with `demo_`,
and the dashboard shows them a "DATA DEMO" badge. One shared password is
printed once (or taken from --password). Running it again creates nothing
twice. It refuses to touch an instance that already holds real users (other
than the first administrator) unless --force is given.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lpse.accounts.choices import Role
from lpse.accounts.models import User, UserRole, WorkUnit
from lpse.audit.services import record, snapshot

PREFIX = "demo_"


@dataclass(frozen=True)
class DemoPerson:
    username: str
    first_name: str
    last_name: str
    roles: tuple[Role, ...]
    #: Words to find the person's work unit by name (first match wins); empty: none.
    unit_keywords: tuple[str, ...] = ()


#: LPSE staff sit in the communication and informatics office that runs the LPSE
#: (Lampiran II 2.4: Ka. Disinfokom); the agency admin, committee and PPK in the
#: work units that buy. The LKPP monitor belongs to no regency unit.
LPSE_UNIT = ("komunikasi", "informatika", "kominfo")
#: The regency's public-works office, the largest buyer.
WORKS_UNIT = ("bina marga", "pekerjaan umum")
PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson("demo_kepala", "Hendra", "Gunawan", (Role.HEAD,), LPSE_UNIT),
    DemoPerson("demo_verifikator1", "Rina", "Marlina", (Role.VERIFIER,), LPSE_UNIT),
    DemoPerson("demo_verifikator2", "Agus", "Setiawan", (Role.VERIFIER,), LPSE_UNIT),
    DemoPerson("demo_helpdesk1", "Dewi", "Anggraini", (Role.HELPDESK,), LPSE_UNIT),
    DemoPerson("demo_helpdesk2", "Rizky", "Pratama", (Role.HELPDESK,), LPSE_UNIT),
    DemoPerson("demo_pelatih", "Yudi", "Hermawan", (Role.TRAINER,), LPSE_UNIT),
    DemoPerson("demo_adminsistem", "Fajar", "Nugroho", (Role.SYSADMIN,), LPSE_UNIT),
    DemoPerson("demo_adminaplikasi", "Maya", "Puspitasari", (Role.APPADMIN,), LPSE_UNIT),
    DemoPerson("demo_adminagency", "Bambang", "Susilo", (Role.AGENCY_ADMIN,), WORKS_UNIT),
    DemoPerson("demo_pokja1", "Iwan", "Kurniawan", (Role.COMMITTEE,), WORKS_UNIT),
    DemoPerson("demo_pokja2", "Nurul", "Hidayah", (Role.COMMITTEE,), ("pendidikan",)),
    DemoPerson("demo_pokja3", "Teguh", "Prasetyo", (Role.COMMITTEE,), ("kesehatan",)),
    DemoPerson("demo_ppk", "Sri", "Wahyuni", (Role.PPK,), WORKS_UNIT),
    DemoPerson("demo_lkpp", "Andi", "Saputra", (Role.LKPP_MONITOR,)),
    DemoPerson("demo_penyedia", "Joko", "Susanto", (Role.VENDOR,)),
)


class Command(BaseCommand):
    help = (
        "Mengisi instalasi baru dengan data demo (staf contoh setiap peran, bertanda DATA DEMO). "
        "Jangan dijalankan di server produksi."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--password",
            help="Kata sandi bersama untuk semua akun demo (bawaan: dibuat acak dan dicetak).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Tetap jalankan walaupun sudah ada pengguna nyata selain administrator pertama.",
        )

    def handle(self, *args, password: str | None = None, force: bool = False, **options):
        real = _real_users()
        if real and not force:
            names = ", ".join(real[:5]) + (" ..." if len(real) > 5 else "")
            raise CommandError(
                f"Instalasi ini sudah berisi pengguna nyata ({names}). Data demo hanya untuk "
                "instalasi baru; gunakan --force bila Anda yakin."
            )
        if password is not None:
            try:
                validate_password(password)
            except ValidationError as exc:
                raise CommandError("--password: " + " ".join(exc.messages)) from exc
        if not WorkUnit.objects.exists():
            call_command("load_work_units", verbosity=0)

        created, shared_password = create_demo_users(password=password)

        rows = User.objects.filter(username__in=[p.username for p in PEOPLE]).select_related(
            "work_unit"
        )
        by_name = {user.username: user for user in rows}
        self.stdout.write("Akun demo (DATA DEMO):")
        for person in PEOPLE:
            user = by_name[person.username]
            roles = ", ".join(str(role.label) for role in person.roles)
            unit = user.work_unit.name if user.work_unit else "-"
            mark = " (baru)" if person.username in created else ""
            self.stdout.write(
                f"  {user.username:<20} {user.get_full_name():<22} {roles}  [{unit}]{mark}"
            )
        if shared_password is None:
            self.stdout.write(
                "Semua akun demo sudah ada; kata sandinya tidak diubah "
                "(gunakan --password untuk menggantinya)."
            )
        elif password is None:
            self.stdout.write(
                self.style.WARNING(
                    "\nKata sandi bersama semua akun demo (dicetak sekali ini saja):\n"
                    f"  {shared_password}\n"
                )
            )
        else:
            self.stdout.write("Kata sandi semua akun demo diatur dari --password.")
        self.stdout.write(
            "Staf wajib memasang aplikasi autentikator (TOTP) saat pertama kali masuk, "
            "kecuali LPSE_REQUIRE_2FA=0."
        )
        from lpse.vendors.demo import create_demo_vendors

        vendor_lines = create_demo_vendors(
            verifier=User.objects.filter(username="demo_verifikator1").first(),
            password=password or shared_password,
        )
        if vendor_lines:
            self.stdout.write("Pendaftar penyedia demo (DATA DEMO, semua tahap):")
            for line in vendor_lines:
                self.stdout.write(line)
        from lpse.tenders.demo import create_demo_tenders

        tender_lines = create_demo_tenders(password=password or shared_password)
        if tender_lines:
            self.stdout.write("Tender demo (DATA DEMO, berbagai tahap):")
            for line in tender_lines:
                self.stdout.write(line)
        from lpse.bids.demo import create_demo_keys

        key_lines = create_demo_keys(password=password or shared_password)
        if key_lines:
            self.stdout.write("Kunci tender demo untuk penawaran tersegel (DATA DEMO):")
            for line in key_lines:
                self.stdout.write(line)
        from lpse.desk.demo import create_demo_desk

        desk_lines = create_demo_desk()
        if desk_lines:
            self.stdout.write("Tiket helpdesk demo (DATA DEMO):")
            for line in desk_lines:
                self.stdout.write(line)
        from lpse.training.demo import create_demo_trainings

        training_lines = create_demo_trainings()
        if training_lines:
            self.stdout.write("Permohonan pelatihan demo (DATA DEMO, SOP 2.3):")
            for line in training_lines:
                self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Selesai: {len(created)} akun demo baru."))


def _real_users() -> list[str]:
    """User names of non-demo users other than the first administrator."""
    first_admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    real = User.objects.filter(is_demo=False)
    if first_admin is not None:
        real = real.exclude(pk=first_admin.pk)
    return list(real.order_by("username").values_list("username", flat=True))


def _work_unit(keywords: tuple[str, ...], units: list[WorkUnit]) -> WorkUnit | None:
    for keyword in keywords:
        for unit in units:
            if keyword in unit.name.lower():
                return unit
    return None


@transaction.atomic
def create_demo_users(*, password: str | None = None) -> tuple[list[str], str | None]:
    """Create the demo people that are missing; returns (new user names, password set).

    The shared password is applied to every demo account when one is given or
    when an account had to be created (a generated one then); otherwise
    existing accounts keep theirs and the password returned is None.
    """
    existing = {
        user.username: user
        for user in User.objects.filter(username__in=[p.username for p in PEOPLE])
    }
    clash = [name for name, user in existing.items() if not user.is_demo]
    if clash:
        raise CommandError(
            f"Nama pengguna {', '.join(sorted(clash))} sudah dipakai akun nyata; "
            "data demo tidak dibuat."
        )
    missing = [person for person in PEOPLE if person.username not in existing]
    if password is None and missing:
        password = secrets.token_urlsafe(12)
    units = list(WorkUnit.objects.filter(is_active=True).order_by("name"))
    created = []
    for person in missing:
        unit = _work_unit(person.unit_keywords, units)
        user = User(
            username=person.username,
            first_name=person.first_name,
            last_name=person.last_name,
            email=f"{person.username.removeprefix(PREFIX)}@demo.lpse.invalid",
            work_unit=unit,
            is_demo=True,
        )
        user.set_password(password)
        user.save()
        UserRole.objects.bulk_create([UserRole(user=user, role=role) for role in person.roles])
        record(
            "accounts.demo_user_create",
            actor=None,
            target=user,
            after={
                **snapshot(user, ["username", "first_name", "last_name", "work_unit", "is_demo"]),
                "roles": sorted(str(role) for role in person.roles),
            },
            summary=f"Akun demo {user.username} dibuat oleh perintah lpse demo",
        )
        created.append(user.username)
    if password is not None:
        for user in existing.values():
            user.set_password(password)
            user.save(update_fields=["password"])
        if existing:
            record(
                "accounts.demo_password_reset",
                actor=None,
                summary=f"Kata sandi {len(existing)} akun demo diganti oleh perintah lpse demo",
            )
    return created, password

"""`lpse backup create|verify|restore|prune|list` (BAK-1..BAK-3)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from lpse.backups import encryption, engine, restore, retention, services
from lpse.backups.errors import BackupError


def _read_secret_file(path: str | None, what: str) -> str | None:
    if not path:
        return None
    try:
        text = Path(path).read_text().strip()
    except OSError as exc:
        raise CommandError(f"{what}: berkas {path} tidak terbaca: {exc.strerror}") from None
    if not text:
        raise CommandError(f"{what}: berkas {path} kosong.")
    return text


def _private_key(path: str | None):
    if not path:
        return None
    try:
        return encryption.load_private_key(Path(path).read_bytes())
    except OSError as exc:
        raise CommandError(f"Kunci privat {path} tidak terbaca: {exc.strerror}") from None


def _mb(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


class Command(BaseCommand):
    help = "Cadangan LPSE: buat, periksa, pulihkan, bersihkan dan daftar cadangan di media."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="AKSI")

        create = sub.add_parser("create", help="Buat cadangan ke media (folder terpasang).")
        create.add_argument("--to", required=True, metavar="PATH", help="Folder media cadangan.")
        create.add_argument("--label", help="Label media (tertulis pada media).")
        create.add_argument(
            "--include-secrets",
            action="store_true",
            help="Sertakan SECRET_KEY dan kunci CA LPSE (simpan media di tempat aman!).",
        )
        group = create.add_mutually_exclusive_group()
        group.add_argument(
            "--encrypt-passphrase-file",
            metavar="F",
            help="Enkripsi dengan frasa sandi di berkas F.",
        )
        group.add_argument(
            "--encrypt-to",
            metavar="PUBKEY",
            help="Enkripsi ke kunci publik RSA / sertifikat (PEM).",
        )
        create.add_argument("--no-verify", action="store_true", help="Jangan periksa setelahnya.")

        for name, text in (
            ("verify", "Baca ulang cadangan dan periksa setiap sidik SHA-256."),
            ("restore", "Pulihkan cadangan ke instalasi kosong."),
        ):
            action = sub.add_parser(name, help=text)
            action.add_argument("path", metavar="PATH")
            action.add_argument("backup_id", nargs="?", metavar="ID")
            action.add_argument("--passphrase-file", metavar="F")
            action.add_argument("--decrypt-key", metavar="PRIVKEY", help="Kunci privat RSA (PEM).")
            if name == "restore":
                action.add_argument(
                    "--force", action="store_true", help="Timpa basis data/berkas yang sudah ada."
                )

        prune = sub.add_parser("prune", help="Terapkan retensi dan hapus objek tak terpakai.")
        prune.add_argument("path", metavar="PATH")
        prune.add_argument("--keep", default=None, help="Contoh: daily=7,weekly=4,monthly=12")

        listing = sub.add_parser("list", help="Daftar cadangan di media.")
        listing.add_argument("path", metavar="PATH")

    def handle(self, *args, **options):
        action = options["action"]
        try:
            getattr(self, f"_{action}")(options)
        except BackupError as exc:
            raise CommandError(str(exc)) from None

    def _create(self, options):
        passphrase = _read_secret_file(options["encrypt_passphrase_file"], "Frasa sandi")
        public_key = None
        if options["encrypt_to"]:
            try:
                public_key = encryption.load_public_key(Path(options["encrypt_to"]).read_bytes())
            except OSError as exc:
                raise CommandError(f"Kunci publik tidak terbaca: {exc.strerror}") from None
        _run, data = services.run_backup(
            options["to"],
            label=options["label"],
            include_secrets=options["include_secrets"],
            passphrase=passphrase,
            public_key=public_key,
        )
        totals = data["totals"]
        self.stdout.write(
            f"Cadangan {data['id']} selesai di {options['to']} (media {data['medium']['label']}): "
            f"{totals['members']} anggota, {_mb(totals['size'])} data, "
            f"{totals['new_objects']} objek baru ({_mb(totals['new_stored_size'])} ditulis)."
        )
        if data["includes_secrets"]:
            self.stderr.write(
                "PERHATIAN: cadangan ini berisi SECRET_KEY dan kunci CA; simpan medianya terkunci."
            )
        if not options["no_verify"]:
            report = services.verify(
                options["to"], data["id"], passphrase=passphrase, show_progress=None
            )
            self._print_report(report)

    def _print_report(self, report):
        for problem in report.problems:
            self.stderr.write(f"  {problem.code.upper():8} {problem.member}: {problem.message}")
        if report.ok:
            extra = (
                "" if report.contents_checked else " (isi terenkripsi tidak dibuka: tanpa kunci)"
            )
            self.stdout.write(
                f"Pemeriksaan {report.backup_id}: UTUH, {report.members} anggota, "
                f"{_mb(report.bytes_checked)} dibaca{extra}."
            )
        else:
            raise CommandError(
                f"Pemeriksaan {report.backup_id}: {len(report.problems)} anggota rusak atau hilang."
            )

    def _verify(self, options):
        report = services.verify(
            options["path"],
            options["backup_id"],
            passphrase=_read_secret_file(options["passphrase_file"], "Frasa sandi"),
            private_key=_private_key(options["decrypt_key"]),
            store_result=_database_reachable(),
        )
        self._print_report(report)

    def _restore(self, options):
        report = restore.restore_backup(
            options["path"],
            options["backup_id"],
            force=options["force"],
            passphrase=_read_secret_file(options["passphrase_file"], "Frasa sandi"),
            private_key=_private_key(options["decrypt_key"]),
        )
        self.stdout.write(
            f"Cadangan {report.backup_id} dipulihkan: basis data dan {report.files} berkas "
            f"({_mb(report.bytes)})."
        )
        for note in report.notes:
            self.stdout.write(f"  {note}")

    def _prune(self, options):
        try:
            keep = retention.parse_keep(options["keep"] or settings.LPSE_BACKUP_KEEP)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        report = retention.prune(options["path"], keep)
        self.stdout.write(
            f"Disimpan {len(report.kept)} cadangan; dihapus {len(report.deleted)} cadangan dan "
            f"{len(report.interrupted_deleted)} cadangan terputus; {report.objects_deleted} objek "
            f"({_mb(report.bytes_freed)}) dibebaskan."
        )

    def _list(self, options):
        medium, entries = engine.list_backups(options["path"])
        self.stdout.write(
            f"Media {medium['label']} ({medium['medium_id']}), enkripsi: "
            f"{medium['encryption']['mode']}"
        )
        interrupted = 0
        for entry in entries:
            when = entry.created_at.isoformat(timespec="seconds") if entry.created_at else "?"
            if entry.complete:
                totals = entry.manifest["totals"]
                self.stdout.write(
                    f"  {entry.backup_id}  {when}  lengkap    {totals['members']:>7} anggota  "
                    f"{_mb(totals['size']):>12}"
                )
            else:
                interrupted += 1
                self.stdout.write(f"  {entry.backup_id}  {when}  TIDAK LENGKAP  {entry.error}")
        if interrupted:
            self.stderr.write(
                f"{interrupted} cadangan tidak lengkap (terputus); tidak dapat dipulihkan. "
                "`lpse backup prune` menghapusnya."
            )


def _database_reachable() -> bool:
    from django.db import connection

    try:
        connection.ensure_connection()
        return "backups_backuprun" in connection.introspection.table_names()
    except DatabaseError:
        return False

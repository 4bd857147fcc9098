"""What goes into a backup and where it comes back to (BAK-1): the database
snapshot, the stored files' roots, the configuration."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection

from .errors import BackupError

SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSPHRASE|TOKEN|_KEY$|CREDENTIAL", re.IGNORECASE)
#: Environment variables kept in the configuration member (never the secret ones).
ENV_PREFIXES = ("LPSE_", "DATABASE_URL", "REDIS_URL", "SMTP_URL")


class SourceError(BackupError):
    """The database or a file root cannot be read or written; Indonesian message."""


# --- stored files ----------------------------------------------------------------------
#: Folders of a root that hold only unfinished work (the sealed bids' uploads in progress).
EXCLUDED = {"bids": ("tmp", "tus")}


def skipped_dirs(roots: dict[str, Path], root_name: str) -> set[Path]:
    """Other roots nested inside `root_name`, and its folders of unfinished work."""
    skip = {path for name, path in roots.items() if name != root_name}
    skip |= {(roots[root_name] / sub).resolve() for sub in EXCLUDED.get(root_name, ())}
    return skip


def file_roots(*, include_secrets: bool) -> dict[str, Path]:
    """Named directories whose files are backed up: documents and generated PDFs
    (MEDIA_ROOT), sealed bids, any LPSE_BACKUP_EXTRA_DIRS; with secrets also the
    LPSE certificate authority's key."""
    data = Path(settings.DATA_DIR)
    roots = {
        "media": Path(settings.MEDIA_ROOT),
        "bids": Path(getattr(settings, "LPSE_BIDS_DIR", data / "bids")),
    }
    for index, extra in enumerate(settings.LPSE_BACKUP_EXTRA_DIRS, start=1):
        roots[f"extra{index}"] = Path(extra)
    if include_secrets:
        roots["ca"] = Path(getattr(settings, "LPSE_CA_DIR", data / "ca"))
    return {name: path.resolve() for name, path in roots.items()}


def walk_root(root: Path, skip: set[Path]):
    """(relative posix path, absolute path, stat) of every regular file under `root`,
    sorted, leaving out other roots nested inside it and temporary upload files."""
    if not root.is_dir():
        return
    skipped = {str(path) for path in skip}
    prefix = len(str(root)) + 1
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if os.path.join(directory, d) not in skipped)
        for name in sorted(files):
            if name.startswith((".upload-", ".tmp-")):
                continue
            path = os.path.join(directory, name)
            try:
                info = os.lstat(path)
            except FileNotFoundError:
                continue
            if not stat.S_ISREG(info.st_mode):
                continue
            yield path[prefix:].replace(os.sep, "/"), Path(path), info


def root_is_empty(root: Path) -> bool:
    return not root.exists() or not any(root.rglob("*"))


# --- database ----------------------------------------------------------------------------
def engine_name() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _pg_env() -> dict[str, str]:
    conf = connection.settings_dict
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if conf.get(key):
            env[var] = str(conf[key])
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = str(conf["PASSWORD"])
    if conf.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = conf["OPTIONS"]["sslmode"]
    env["PGDATABASE"] = conf["NAME"]
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise SourceError(
            f"Program {name} tidak ditemukan; pasang klien PostgreSQL (paket postgresql-client) "
            "dengan versi sama atau lebih baru dari server."
        )
    return path


def check_pg_dump_version() -> None:
    """pg_dump must be at least the server's major version (it refuses otherwise)."""
    output = subprocess.run(
        [_tool("pg_dump"), "--version"], capture_output=True, text=True, check=False
    ).stdout
    match = re.search(r"(\d+)(?:\.(\d+))?", output)
    connection.ensure_connection()
    server_major = connection.pg_version // 10000
    if not match or int(match.group(1)) < server_major:
        raise SourceError(
            f"pg_dump ({output.strip()}) lebih lama dari server PostgreSQL {server_major}; "
            f"pasang postgresql-client-{server_major} atau lebih baru."
        )


def dump_database(directory: Path) -> tuple[Path, str]:
    """A consistent snapshot of the database into `directory`; (file, member name)."""
    directory.mkdir(parents=True, exist_ok=True)
    if engine_name() == "postgresql":
        check_pg_dump_version()
        target = directory / "database.pgdump"
        # Custom format, uncompressed: zstd compresses it better and faster afterwards.
        result = subprocess.run(
            [_tool("pg_dump"), "-Fc", "-Z", "0", "--no-owner", "-f", str(target)],
            env=_pg_env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise SourceError(f"pg_dump gagal: {result.stderr.strip()}")
        return target, "database/database.pgdump"
    if connection.in_atomic_block:
        # The backup API would wait forever for our own open write transaction.
        raise SourceError("Snapshot SQLite tidak dapat dibuat di dalam transaksi yang terbuka.")
    target = directory / "database.sqlite3"
    target.unlink(missing_ok=True)
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        # The online backup API: a consistent copy while the site keeps writing.
        connection.connection.backup(destination)
    finally:
        destination.close()
    return target, "database/database.sqlite3"


def database_is_empty() -> bool:
    return not connection.introspection.table_names()


def restore_database(dump: Path, member_name: str, *, force: bool) -> None:
    """Load a snapshot into the configured database (empty unless `force`)."""
    dumped_engine = "postgresql" if member_name.endswith(".pgdump") else "sqlite"
    if dumped_engine != engine_name():
        raise SourceError(
            f"Cadangan ini berisi basis data {dumped_engine}, sedangkan instalasi ini memakai "
            f"{engine_name()}; pulihkan ke instalasi dengan mesin basis data yang sama."
        )
    if dumped_engine == "postgresql":
        arguments = [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
        if force:
            arguments += ["--clean", "--if-exists"]
        else:
            arguments += ["--single-transaction"]
        connection.close()
        env = _pg_env()
        result = subprocess.run(
            [*arguments, "-d", env["PGDATABASE"], str(dump)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise SourceError(f"pg_restore gagal: {result.stderr.strip()}")
        return
    source = sqlite3.connect(dump)
    try:
        connection.ensure_connection()
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


# --- configuration ---------------------------------------------------------------------------
def _is_secret(name: str) -> bool:
    return bool(SECRET_NAME.search(name))


def _plain(value):
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def configuration(*, include_secrets: bool) -> bytes:
    """The settings and environment needed to rebuild the installation, as JSON.
    Secret values (keys, passwords, tokens, URLs with passwords) only when asked."""
    names = sorted(name for name in dir(settings) if name.startswith("LPSE_"))
    data = {
        "settings": {
            name: _plain(getattr(settings, name))
            for name in names
            if include_secrets or not _is_secret(name)
        },
        "database_engine": engine_name(),
        "data_dir": str(settings.DATA_DIR),
        "media_root": str(settings.MEDIA_ROOT),
        "time_zone": settings.TIME_ZONE,
        "environment": {},
    }
    for name, value in sorted(os.environ.items()):
        if not name.startswith(ENV_PREFIXES):
            continue
        secret = _is_secret(name) or re.search(r"://[^/@]*:[^/@]*@", value)
        if secret and not include_secrets:
            continue
        data["environment"][name] = value
    if include_secrets:
        data["secret_key"] = settings.SECRET_KEY
    return json.dumps(data, indent=2, sort_keys=True).encode()

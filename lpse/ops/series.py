"""The catalogue of metrics the probes record (MON-1..MON-4, MON-6, MON-7).

Every value is stored in its base unit (bytes, seconds, ratios 0-1) under a
series key: the metric name plus its labels, written like Prometheus
(`filesystem_used_ratio{mountpoint="/"}`). `/metrics` exports them as
`lpse_<name>`; the console shows them in the display unit of the catalogue.
Labels are bounded by configuration (mount points, interfaces, targets), never
by user input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import Direction

GIB = 1024**3
MIB = 1024**2
DAY = 86400
HOUR = 3600


@dataclass(frozen=True)
class Unit:
    """How a base-unit value is shown: multiplied by `scale`, followed by `symbol`."""

    code: str
    scale: float
    symbol: str
    decimals: int = 1


RATIO = Unit("ratio", 100, "%")
BYTES = Unit("bytes", 1 / GIB, "GiB", 2)
RATE = Unit("bytes_per_second", 8 / 1_000_000, "Mbit/s", 3)
SECONDS = Unit("seconds", 1000, "ms", 0)
HOURS = Unit("hours", 1 / HOUR, _("jam"), 1)
DAYS = Unit("days", 1 / DAY, _("hari"), 1)
COUNT = Unit("count", 1, "", 0)
LOAD = Unit("load", 1, "", 2)
UP = Unit("up", 1, "", 0)  # 1 answers, 0 does not


@dataclass(frozen=True)
class Metric:
    name: str
    kind: str  # the probe kind that records it
    label: str | Promise
    help: str  # English HELP line of /metrics
    unit: Unit
    labels: tuple[str, ...] = ()
    counter: bool = False
    #: (direction, warning, critical, margin) in base units; None = no default threshold.
    default_threshold: tuple[str, float | None, float | None, float] | None = None
    extra: dict = field(default_factory=dict)

    @property
    def exported_name(self) -> str:
        return f"lpse_{self.name}"


A, B = Direction.ABOVE, Direction.BELOW

METRICS: tuple[Metric, ...] = (
    # --- host (MON-1)
    Metric("filesystem_size_bytes", "host", _("Ukuran sistem berkas"),
           "Size of the filesystem in bytes.", BYTES, ("mountpoint",)),
    Metric("filesystem_free_bytes", "host", _("Ruang kosong"),
           "Bytes available to unprivileged users.", BYTES, ("mountpoint",)),
    Metric("filesystem_used_ratio", "host", _("Disk terpakai"),
           "Used fraction of the filesystem (0-1).", RATIO, ("mountpoint",),
           default_threshold=(A, 0.80, 0.90, 0.02)),
    Metric("filesystem_inodes_used_ratio", "host", _("Inode terpakai"),
           "Used fraction of the filesystem's inodes (0-1).", RATIO, ("mountpoint",),
           default_threshold=(A, 0.80, 0.90, 0.02)),
    Metric("filesystem_full_in_seconds", "host", _("Perkiraan disk penuh dalam"),
           "Seconds until the filesystem is full at the recent growth rate (linear fit).",
           HOURS, ("mountpoint",), default_threshold=(B, 24 * HOUR, 4 * HOUR, HOUR)),
    Metric("memory_total_bytes", "host", _("RAM total"), "Physical memory in bytes.", BYTES),
    Metric("memory_available_bytes", "host", _("RAM tersedia"),
           "Memory available without swapping, in bytes.", BYTES),
    Metric("memory_used_ratio", "host", _("RAM terpakai"),
           "Used fraction of physical memory (0-1).", RATIO,
           default_threshold=(A, 0.90, 0.95, 0.02)),
    Metric("swap_used_ratio", "host", _("Swap terpakai"),
           "Used fraction of swap space (0-1; 0 without swap).", RATIO),
    Metric("cpu_used_ratio", "host", _("CPU terpakai"),
           "Busy fraction of all CPUs over the sampling instant (0-1).", RATIO),
    Metric("load1", "host", _("Beban 1 menit"), "Load average over 1 minute.", LOAD),
    Metric("load5", "host", _("Beban 5 menit"), "Load average over 5 minutes.", LOAD),
    Metric("load15", "host", _("Beban 15 menit"), "Load average over 15 minutes.", LOAD),
    Metric("network_receive_bytes_total", "host", _("Byte diterima"),
           "Bytes received on the interface since boot.", BYTES, ("interface",), counter=True),
    Metric("network_transmit_bytes_total", "host", _("Byte dikirim"),
           "Bytes sent on the interface since boot.", BYTES, ("interface",), counter=True),
    Metric("network_receive_packets_total", "host", _("Paket diterima"),
           "Packets received on the interface since boot.", COUNT, ("interface",), counter=True),
    Metric("network_transmit_packets_total", "host", _("Paket dikirim"),
           "Packets sent on the interface since boot.", COUNT, ("interface",), counter=True),
    Metric("network_receive_bytes_per_second", "host", _("Bandwidth masuk"),
           "Receive rate between the last two samples, bytes per second.", RATE,
           ("interface",)),
    Metric("network_transmit_bytes_per_second", "host", _("Bandwidth keluar"),
           "Transmit rate between the last two samples, bytes per second.", RATE,
           ("interface",)),
    # --- website (MON-2)
    Metric("website_up", "website", _("Situs menjawab"),
           "1 when the page answered with a 2xx/3xx status, else 0.", UP, ("check",),
           default_threshold=(B, None, 0.5, 0)),
    Metric("website_response_seconds", "website", _("Waktu tanggap situs"),
           "Time to the full response, seconds.", SECONDS, ("check",)),
    Metric("website_tls_cert_remaining_seconds", "website", _("Sisa masa berlaku sertifikat TLS"),
           "Seconds until the site's TLS certificate expires.", DAYS,
           default_threshold=(B, 21 * DAY, 7 * DAY, 0)),
    # --- outbound connectivity (MON-2, Pasal 12(3))
    Metric("outbound_up", "outbound", _("Koneksi internet keluar"),
           "1 when the outbound target answered, else 0.", UP, ("target",),
           default_threshold=(B, 0.5, None, 0)),
    Metric("outbound_response_seconds", "outbound", _("Waktu tanggap tujuan luar"),
           "Time to the response of the outbound target, seconds.", SECONDS, ("target",)),
    # --- database (MON-2, MON-4)
    Metric("database_up", "database", _("Basis data menjawab"),
           "1 when the database answered a query, else 0.", UP,
           default_threshold=(B, None, 0.5, 0)),
    Metric("database_response_seconds", "database", _("Waktu tanggap basis data"),
           "Time of a trivial query, seconds.", SECONDS),
    Metric("database_size_bytes", "database", _("Ukuran basis data"),
           "Size of the database (PostgreSQL) or its files (SQLite), bytes.", BYTES),
    Metric("database_users", "database", _("Jumlah pengguna"),
           "Rows of the user table.", COUNT),
    Metric("database_long_transactions", "database", _("Transaksi berjalan lama"),
           "Sessions running one statement or transaction longer than the limit.", COUNT,
           default_threshold=(A, 1, 5, 0)),
    Metric("database_idle_in_transaction", "database", _("Sesi menganggur dalam transaksi"),
           "Sessions idle inside a transaction longer than the limit.", COUNT,
           default_threshold=(A, 1, 5, 0)),
    Metric("database_lock_waits", "database", _("Sesi menunggu kunci"),
           "Sessions waiting for a lock.", COUNT, default_threshold=(A, 5, 20, 0)),
    # --- task queue (MON-2)
    Metric("queue_pending_tasks", "queue", _("Tugas menunggu"),
           "Tasks waiting in the queue.", COUNT, default_threshold=(A, 100, 1000, 10)),
    Metric("queue_scheduled_tasks", "queue", _("Tugas terjadwal"),
           "Tasks scheduled for later.", COUNT),
    Metric("queue_heartbeat_age_seconds", "queue", _("Umur detak pekerja"),
           "Seconds since the queue consumer's last heartbeat.", SECONDS),
    Metric("queue_consumer_up", "queue", _("Pekerja antrean hidup"),
           "1 when the consumer's heartbeat is recent, else 0.", UP,
           default_threshold=(B, None, 0.5, 0)),
    # --- mail (MON-2)
    Metric("mail_up", "mail", _("Server mail menjawab"),
           "1 when the SMTP server answered EHLO and NOOP, else 0.", UP,
           default_threshold=(B, None, 0.5, 0)),
    Metric("mail_response_seconds", "mail", _("Waktu tanggap server mail"),
           "Time of connect, EHLO and NOOP, seconds.", SECONDS),
    # --- access and intrusion watch (MON-3)
    Metric("access_active_sessions", "access", _("Sesi aktif"),
           "Unexpired login sessions.", COUNT),
    Metric("access_logins_hourly", "access", _("Login per jam"),
           "Successful logins in the last hour.", COUNT),
    Metric("access_failed_logins_hourly", "access", _("Login gagal per jam"),
           "Failed logins in the last hour.", COUNT, default_threshold=(A, 20, 100, 0)),
    Metric("access_lockouts_hourly", "access", _("Penguncian per jam"),
           "User name and address pairs locked out in the last hour.", COUNT,
           default_threshold=(A, 3, 10, 0)),
    Metric("access_max_source_failures_hourly", "access",
           _("Login gagal terbanyak dari satu alamat"),
           "Failed logins of the worst single client address in the last hour.", COUNT,
           default_threshold=(A, 10, 30, 0)),
    Metric("access_admin_logins_outside_worktime_hourly", "access",
           _("Login admin di luar jam kerja"),
           "Logins of administrators outside working hours in the last hour.", COUNT,
           default_threshold=(A, 1, None, 0)),
    Metric("auth_logins_total", "access", _("Total login"),
           "Successful logins recorded in the audit log.", COUNT, counter=True),
    Metric("auth_login_failures_total", "access", _("Total login gagal"),
           "Failed logins recorded in the audit log.", COUNT, counter=True),
    # --- backups (BAK-1, Pasal 14: at least every 7 x 24 hours)
    Metric("backup_age_seconds", "backup", _("Umur cadangan terakhir yang lolos pemeriksaan"),
           "Seconds since the last verified backup started (since the first attempt if none).",
           HOURS, default_threshold=(A, None, settings.LPSE_BACKUP_MAX_AGE_HOURS * HOUR, HOUR)),
    Metric("backup_last_run_ok", "backup", _("Cadangan terakhir berhasil"),
           "1 when the last finished backup run succeeded and did not fail verification.", UP,
           default_threshold=(B, None, 0.5, 0)),
    Metric("backup_configured", "backup", _("Tujuan cadangan terjadwal diatur"),
           "1 when LPSE_BACKUP_TARGET is set, else 0.", UP,
           default_threshold=(B, 0.5, None, 0)),
)  # fmt: skip

BY_NAME: dict[str, Metric] = {metric.name: metric for metric in METRICS}

_KEY = re.compile(r"^(?P<name>[a-z0-9_]+)(?:\{(?P<labels>.*)\})?$")
_LABEL = re.compile(r'([a-z_]+)="((?:[^"\\]|\\.)*)"')


def key(name: str, **labels: str) -> str:
    """The series key of `name` with `labels` (sorted; quotes and backslashes escaped)."""
    if not labels:
        return name
    inner = ",".join(
        f'{label}="{str(value).replace(chr(92), chr(92) * 2).replace(chr(34), chr(92) + chr(34))}"'
        for label, value in sorted(labels.items())
    )
    return f"{name}{{{inner}}}"


def parse(series_key: str) -> tuple[str, dict[str, str]]:
    """(name, labels) of a series key."""
    match = _KEY.match(series_key)
    if not match:
        return series_key, {}
    labels = {
        label: value.replace('\\"', '"').replace("\\\\", "\\")
        for label, value in _LABEL.findall(match.group("labels") or "")
    }
    return match.group("name"), labels


def metric_of(series_key: str) -> Metric | None:
    return BY_NAME.get(parse(series_key)[0])


def display(metric: Metric | None, value: float | None) -> str:
    """A value in the metric's display unit, e.g. "81.3 %", "12.40 GiB", "—"."""
    if value is None:
        return "—"
    if metric is None:
        return f"{value:g}"
    if metric.unit is UP:
        return str(_("ya")) if value >= 0.5 else str(_("tidak"))
    shown = value * metric.unit.scale
    return f"{number(shown, metric.unit.decimals)} {metric.unit.symbol}".strip()


def number(value: float, decimals: int) -> str:
    """A number in the active language's format (Indonesian: 1.234,5)."""
    return formats.number_format(round(value, decimals), decimals, force_grouping=True)


def describe(series_key: str) -> str:
    """A human name of a series: the metric label and its label values."""
    name, labels = parse(series_key)
    metric = BY_NAME.get(name)
    label = str(metric.label) if metric else name
    if labels:
        label += " (" + ", ".join(labels.values()) + ")"
    return label

"""The head's one-page monthly summary (RPT-1, SOP-3 headline): read-only aggregates.

Every section compares the month with the month before. Each section costs one or two
aggregate queries over both months together (a conditional COUNT per month), so the whole
summary is a fixed number of queries whatever the volume of data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from lpse.accounts.choices import Role
from lpse.backups.choices import GOOD_RESULTS, RunStatus
from lpse.backups.models import BackupRun
from lpse.bids.choices import OpeningOutcome
from lpse.bids.failure_models import FailedOpeningRequest
from lpse.bids.models import BidOpening
from lpse.desk import selectors as desk_selectors
from lpse.ops import selectors as ops_selectors
from lpse.ops.choices import Level
from lpse.ops.models import Incident
from lpse.ops.series import describe as describe_series
from lpse.sop import selectors as sop_selectors
from lpse.tenders.choices import ScheduleChangeStatus
from lpse.tenders.models import ScheduleChange, Tender
from lpse.training.choices import RequestStatus
from lpse.training.models import TrainingRequest, TrainingSession
from lpse.vendors.choices import VerificationOutcome
from lpse.vendors.models import Vendor, Verification

from .months import Period

#: Who reads the monthly summary: the head it is made for, the application administrator
#: who prepares the head's reports, and LKPP's monitor, who reads everything and changes
#: nothing. Superusers pass too (role_required).
SUMMARY_ROLES = (Role.HEAD, Role.APPADMIN, Role.LKPP_MONITOR)


@dataclass(frozen=True)
class Metric:
    """One number of the summary for the month and the month before."""

    key: str
    label: str
    current: float | int | None
    previous: float | int | None
    #: "" for counts, "%" for shares (0..100), "avg" for averages (one decimal).
    kind: str = ""

    @property
    def delta(self) -> float | int | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous

    def text(self, value) -> str:
        if value is None:
            return "-"
        if self.kind == "%":
            return f"{value:.1f}%".replace(".", ",")
        if self.kind == "avg":
            return f"{value:.1f}".replace(".", ",")
        return str(value)

    @property
    def current_text(self) -> str:
        return self.text(self.current)

    @property
    def previous_text(self) -> str:
        return self.text(self.previous)

    @property
    def delta_text(self) -> str:
        delta = self.delta
        if delta is None:
            return "-"
        if self.kind in ("%", "avg"):
            return (
                ("+" if delta > 0 else "")
                + self.text(delta).rstrip("%")
                + (" pp" if self.kind == "%" else "")
            )
        return f"{delta:+d}" if delta else "0"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    metrics: list[Metric] = field(default_factory=list)


@dataclass(frozen=True)
class Breakdown:
    """Counts by a category in the month (tickets by topic, channel, requester type)."""

    key: str
    title: str
    rows: list[tuple[str, int]]


@dataclass(frozen=True)
class MonthlySummary:
    period: Period
    sections: list[Section]
    breakdowns: list[Breakdown]
    ratings: dict[int, int]  # satisfaction 1..5 -> tickets rated so in the month
    uptime: list[Metric]  # per check, in percent
    sop: list[Metric]  # SOP-3: share of steps within standard per procedure, in percent
    sop_overall: Metric
    last_verified_backup: BackupRun | None

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)

    def metric(self, section: str, key: str) -> Metric:
        return next(metric for metric in self.section(section).metrics if metric.key == key)


def _two_months(
    queryset: QuerySet, period: Period, specs: dict[str, tuple[str, Q | None]]
) -> dict[str, tuple[int, int]]:
    """{key: (this month, previous month)} of COUNTs whose `field` falls in each month, with
    an optional extra condition; one query over both months."""
    counts = {}
    for key, (field_name, extra) in specs.items():
        for suffix, start, end in (
            ("cur", period.start, period.end),
            ("prev", period.previous_start, period.start),
        ):
            condition = Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})
            if extra is not None:
                condition &= extra
            counts[f"{key}__{suffix}"] = Count("pk", filter=condition)
    row = queryset.aggregate(**counts)
    return {key: (row[f"{key}__cur"], row[f"{key}__prev"]) for key in specs}


def _metrics(labels: dict[str, str], counts: dict[str, tuple[int, int]]) -> list[Metric]:
    return [Metric(key, labels[key], *counts[key]) for key in labels]


def _registrations(period: Period) -> Section:
    vendors = _two_months(
        Vendor.objects.all(),
        period,
        {
            "registered": ("registered_at", None),
            "verified": ("verified_at", None),
            "expired": ("expired_at", None),
        },
    )
    sessions = _two_months(
        Verification.objects.all(),
        period,
        {
            "sessions": ("ended_at", None),
            "rejected": ("ended_at", Q(outcome=VerificationOutcome.REJECTED)),
            "incomplete": ("ended_at", Q(outcome=VerificationOutcome.INCOMPLETE)),
        },
    )
    labels = {
        "registered": _("Pendaftaran penyedia baru"),
        "sessions": _("Sesi verifikasi di meja"),
        "verified": _("Penyedia terverifikasi"),
        "incomplete": _("Verifikasi belum lengkap"),
        "rejected": _("Verifikasi ditolak"),
        "expired": _("Pendaftaran kedaluwarsa"),
    }
    return Section(
        "registrations",
        _("Pendaftaran dan verifikasi penyedia"),
        _metrics(labels, vendors | sessions),
    )


def _desk(period: Period) -> tuple[Section, list[Breakdown], dict[int, int]]:
    current = desk_selectors.report(period.start, period.end)
    previous = desk_selectors.report(period.previous_start, period.start)
    metrics = [
        Metric("tickets", _("Tiket helpdesk diterima"), current.total, previous.total),
        Metric(
            "outside_hours",
            _("Tiket di luar jam kerja"),
            current.outside_hours,
            previous.outside_hours,
        ),
        Metric("rated", _("Tiket dinilai penanya"), current.rated, previous.rated),
        Metric(
            "rating",
            _("Rata-rata kepuasan (1-5)"),
            current.average_rating,
            previous.average_rating,
            "avg",
        ),
        Metric(
            "escalations",
            _("Tiket diteruskan ke LKPP"),
            current.escalations,
            previous.escalations,
        ),
    ]
    breakdowns = [
        Breakdown(
            "topic",
            _("Tiket per topik"),
            [(row["topic__name"], row["n"]) for row in current.by_topic],
        ),
        Breakdown(
            "channel",
            _("Tiket per saluran"),
            [(str(row["label"]), row["n"]) for row in current.by_channel],
        ),
        Breakdown(
            "requester",
            _("Tiket per jenis penanya"),
            [(str(row["label"]), row["n"]) for row in current.by_requester],
        ),
    ]
    return Section("desk", _("Helpdesk"), metrics), breakdowns, current.ratings


def _training(period: Period) -> Section:
    requests = _two_months(
        TrainingRequest.objects.all(), period, {"requests": ("requested_at", None)}
    )
    held = Q(request__status=RequestStatus.HELD)
    sessions = _two_months(
        TrainingSession.objects.all(),
        period,
        {
            "held": ("starts_at", held),
            "not_held": ("starts_at", Q(request__status=RequestStatus.NOT_HELD)),
        },
    )
    attended = TrainingSession.objects.aggregate(
        cur=Sum(
            "request__attended_count",
            filter=held & Q(starts_at__gte=period.start, starts_at__lt=period.end),
        ),
        prev=Sum(
            "request__attended_count",
            filter=held & Q(starts_at__gte=period.previous_start, starts_at__lt=period.start),
        ),
    )
    labels = {
        "requests": _("Permohonan pelatihan masuk"),
        "held": _("Pelatihan terlaksana"),
        "not_held": _("Pelatihan tidak terlaksana"),
    }
    metrics = _metrics(labels, requests | sessions)
    metrics.append(
        Metric(
            "participants",
            _("Peserta hadir"),
            attended["cur"] or 0,
            attended["prev"] or 0,
        )
    )
    return Section("training", _("Pelatihan"), metrics)


def _tenders(period: Period) -> Section:
    tenders = _two_months(
        Tender.objects.all(),
        period,
        {
            "announced": ("announced_at", None),
            "closed": ("closed_at", None),
            "cancelled": ("cancelled_at", None),
        },
    )
    changes = _two_months(
        ScheduleChange.objects.all(),
        period,
        {
            "changes": ("requested_at", None),
            "approved": ("decided_at", Q(status=ScheduleChangeStatus.APPROVED)),
            "refused": ("decided_at", Q(status=ScheduleChangeStatus.REFUSED)),
        },
    )
    labels = {
        "announced": _("Tender diumumkan"),
        "closed": _("Tender selesai"),
        "cancelled": _("Tender batal"),
        "changes": _("Permohonan perubahan jadwal"),
        "approved": _("Perubahan jadwal disetujui"),
        "refused": _("Perubahan jadwal ditolak"),
    }
    return Section("tenders", _("Tender dan perubahan jadwal"), _metrics(labels, tenders | changes))


def _failures(period: Period) -> Section:
    files = _two_months(
        BidOpening.objects.all(),
        period,
        {"failed_files": ("at", Q(outcome=OpeningOutcome.FAILED))},
    )
    requests = _two_months(
        FailedOpeningRequest.objects.all(),
        period,
        {
            "filed": ("filed_at", None),
            "escalated": ("escalated_at", None),
            "closed": ("closed_at", None),
        },
    )
    labels = {
        "failed_files": _("Berkas penawaran gagal dibuka"),
        "filed": _("Permohonan penanganan dari Pokja"),
        "escalated": _("Diteruskan ke LKPP"),
        "closed": _("Permohonan selesai"),
    }
    return Section(
        "failures", _("Pembukaan gagal dan eskalasi ke LKPP"), _metrics(labels, files | requests)
    )


def _incidents(period: Period) -> Section:
    counts = _two_months(
        Incident.objects.all(),
        period,
        {
            "opened": ("opened_at", None),
            "critical": ("opened_at", Q(peak_level=Level.CRITICAL)),
            "warning": ("opened_at", Q(peak_level=Level.WARNING)),
            "closed": ("closed_at", None),
            "closed_critical": ("closed_at", Q(peak_level=Level.CRITICAL)),
            "closed_warning": ("closed_at", Q(peak_level=Level.WARNING)),
        },
    )
    labels = {
        "opened": _("Insiden dibuka"),
        "critical": _("Insiden kritis"),
        "warning": _("Insiden peringatan"),
        "closed": _("Insiden ditutup"),
        "closed_critical": _("Insiden kritis ditutup"),
        "closed_warning": _("Insiden peringatan ditutup"),
    }
    return Section("incidents", _("Insiden"), _metrics(labels, counts))


def _uptime(period: Period) -> list[Metric]:
    ratios: dict[str, dict] = {}
    for row in ops_selectors.uptime_of_months(period.month, period.previous):
        ratio = row.ratio
        percent = None if ratio is None else ratio * 100
        which = "current" if row.month == period.month else "previous"
        ratios.setdefault(row.series, {})[which] = percent
    return [
        Metric(key, describe_series(key), values.get("current"), values.get("previous"), "%")
        for key, values in sorted(ratios.items())
    ]


def _backups(period: Period) -> tuple[Section, BackupRun | None]:
    counts = _two_months(
        BackupRun.objects.all(),
        period,
        {
            "runs": ("started_at", None),
            "complete": ("started_at", Q(status=RunStatus.COMPLETE)),
            "failed": ("started_at", Q(status=RunStatus.FAILED)),
            "verified": (
                "started_at",
                Q(status=RunStatus.COMPLETE, verify_result__in=GOOD_RESULTS),
            ),
        },
    )
    labels = {
        "runs": _("Pencadangan dijalankan"),
        "complete": _("Pencadangan selesai"),
        "failed": _("Pencadangan gagal"),
        "verified": _("Lolos pemeriksaan"),
    }
    last = (
        BackupRun.objects.filter(
            status=RunStatus.COMPLETE, verify_result__in=GOOD_RESULTS, started_at__lt=period.end
        )
        .order_by("-started_at", "-pk")
        .first()
    )
    return Section("backups", _("Cadangan"), _metrics(labels, counts)), last


def _compliance(start: datetime, end: datetime) -> tuple[dict[str, tuple], tuple[int, int]]:
    rows: dict[str, tuple] = {}
    within_all = target_all = 0
    for item in sop_selectors.compliance_by_procedure(start, end):
        rows[item.procedure.code] = (item.procedure, item.within_share)
        within_all += item.within
        target_all += item.with_target
    return rows, (within_all, target_all)


def sop_share(start: datetime, end: datetime) -> float | None:
    """SOP-3: the share (0..1) of steps of every procedure finished within their standard in
    [start, end); None when no step with a standard finished."""
    _rows, (within, with_target) = _compliance(start, end)
    return within / with_target if with_target else None


def sop_headline(period: Period) -> tuple[list[Metric], Metric]:
    """SOP-3: per procedure, the share (percent) of steps finished within their standard in
    the month and the month before; and all procedures together."""
    current, current_all = _compliance(period.start, period.end)
    previous, previous_all = _compliance(period.previous_start, period.start)
    metrics = []
    for code in sorted(set(current) | set(previous), key=_code_key):
        procedure = (current.get(code) or previous.get(code))[0]
        now, before = current.get(code, (None, None))[1], previous.get(code, (None, None))[1]
        metrics.append(
            Metric(
                code,
                f"SOP {code} {procedure.title}",
                None if now is None else now * 100,
                None if before is None else before * 100,
                "%",
            )
        )
    overall = Metric(
        "overall",
        _("Semua SOP"),
        current_all[0] * 100 / current_all[1] if current_all[1] else None,
        previous_all[0] * 100 / previous_all[1] if previous_all[1] else None,
        "%",
    )
    return metrics, overall


def _code_key(code: str) -> tuple:
    return tuple(int(part) if part.isdigit() else 0 for part in code.split("."))


def monthly_summary(period: Period) -> MonthlySummary:
    """Everything on the head's monthly summary for `period`."""
    desk, breakdowns, ratings = _desk(period)
    backups, last_verified = _backups(period)
    sop, sop_overall = sop_headline(period)
    return MonthlySummary(
        period=period,
        sections=[
            _registrations(period),
            desk,
            _training(period),
            _tenders(period),
            _failures(period),
            _incidents(period),
            backups,
        ],
        breakdowns=breakdowns,
        ratings=ratings,
        uptime=_uptime(period),
        sop=sop,
        sop_overall=sop_overall,
        last_verified_backup=last_verified,
    )

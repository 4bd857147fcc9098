"""The Lampiran V maintenance table (SOP 5.1) as a recurring checklist (MNT-1).

Each cycle copies the steps of SOP 5.1 from the SOP registry into items, each
for the role the regulation names as its executor (`EXECUTOR_ROLES`). Items
the system observes itself are pre-filled from the operations console's
latest probe result (`lpse.ops.selectors.probe_status`), with a link to it.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lpse.accounts.choices import Role
from lpse.accounts.models import User
from lpse.audit.services import record
from lpse.core.calendar import add_working_days
from lpse.sop import services as sop_services
from lpse.sop.models import Procedure, Step

from . import selectors
from .choices import ItemStatus
from .models import MaintenanceCycle, MaintenanceItem

logger = logging.getLogger(__name__)

SOP_CODE = "5.1"

#: The executors ("Pelaksana") of the Lampiran V table, as the regulation writes them,
#: and the role of this system that does that work. The regulation's experts (software,
#: database, hardware, network, security) are the system administrator's duties here;
#: "Administrator SPSE" is the application administrator. Catalogue data is kept by the
#: LPSE's application administrator (vendors have no staff role to tick a checklist).
EXECUTOR_ROLES: dict[str, str] = {
    "Administrator SPSE": Role.APPADMIN,
    "Administrator Sistem": Role.SYSADMIN,
    "Admin Penyedia barang/jasa": Role.APPADMIN,
    "Ahli Software": Role.SYSADMIN,
    "Ahli Database": Role.SYSADMIN,
    "Hardware engineer": Role.SYSADMIN,
    "Ahli Sistem jaringan komunikasi": Role.SYSADMIN,
    "Ahli Sistem Keamanan": Role.SYSADMIN,
}
#: A step the source lists without an executor (1.b.2.i) goes to the system administrator.
DEFAULT_ROLE = Role.SYSADMIN

#: Items the system observes itself: SOP 5.1 item -> probe kind of the operations console.
OBSERVED_BY_PROBE: dict[str, str] = {
    "1.a.1": "website",  # website SPSE masih berjalan
    "1.a.2": "website",  # web server aplikasi masih aktif (health endpoint)
    "1.a.3": "access",  # user yang akses ke dalam sistem
    "1.a.5": "access",  # tidak ada hacker yang mencoba masuk
    "1.b.1.h": "host",  # media penyimpan data (harddisk)
    "1.b.1.i": "mail",  # mail server
    "1.b.2.f": "outbound",  # ISP
    "1.c.1": "backup",  # backup dan recovery data
    "1.c.2": "database",  # transaksi yang menggantung
    "1.c.3": "database",  # pertambahan data table_user
    "1.c.4": "host",  # pertambahan data file
    "3.A": "outbound",  # koneksi klien ke server
}


def role_for(executor_text: str) -> str:
    if not executor_text:
        return DEFAULT_ROLE
    role = EXECUTOR_ROLES.get(" ".join(executor_text.split()))
    if role is None:
        logger.warning("SOP 5.1 executor %r has no role; given to the sysadmin", executor_text)
        return DEFAULT_ROLE
    return role


def checklist_steps() -> list[Step]:
    """The tickable rows of SOP 5.1: group headings (1.b.1 Linux, 1.b.2 Windows) left out."""
    procedure = Procedure.objects.get(code=SOP_CODE)
    steps = list(procedure.steps.order_by("number"))
    groups = [step.group for step in steps]
    return [
        step
        for step in steps
        if not any(other.startswith(f"{step.group}.") for other in groups if other)
    ]


def probe_status(kind: str):
    """The latest probe result of the operations console, or None (no probe, no data)."""
    try:
        from lpse.ops.selectors import probe_status as ops_probe_status
    except ImportError:  # the operations console is not installed
        return None
    return ops_probe_status(kind)


def _prefill(item: MaintenanceItem) -> None:
    kind = OBSERVED_BY_PROBE.get(item.label, "")
    item.probe_kind = kind
    if not kind:
        return
    status = probe_status(kind)
    if status is None:
        item.observed_level = ""
        item.observed_summary = (
            _("Belum ada data cadangan (backup) yang tercatat sistem.")
            if kind == "backup"
            else _("Belum ada hasil pemantauan otomatis untuk butir ini.")
        )
        return
    item.observed_level = str(status.level)
    item.observed_summary = status.summary[:2000]
    item.observed_url = status.evidence_url or ""
    item.observed_at = status.at


def cycle_start_for(today: date) -> date:
    """Cycles start every LPSE_MAINTENANCE_CYCLE_DAYS days, counted from a fixed Monday."""
    anchor = date(2024, 1, 1)
    days = settings.LPSE_MAINTENANCE_CYCLE_DAYS
    return anchor + timedelta(days=((today - anchor).days // days) * days)


@transaction.atomic
def create_cycle(*, starts_on: date | None = None, by=None) -> tuple[MaintenanceCycle, bool]:
    """The cycle of `starts_on` (default: the current one) with its items; created once."""
    starts_on = starts_on or cycle_start_for(timezone.localdate())
    existing = MaintenanceCycle.objects.filter(starts_on=starts_on).first()
    if existing:
        return existing, False
    cycle = MaintenanceCycle.objects.create(
        starts_on=starts_on,
        due_on=add_working_days(starts_on, settings.LPSE_MAINTENANCE_EFFECTIVE_DAYS),
        created_by=by,
    )
    items = []
    for step in checklist_steps():
        executor = ", ".join(step.executors)
        item = MaintenanceItem(
            cycle=cycle,
            step=step,
            label=step.label,
            group_title=step.group_title,
            description=step.description,
            executor_text=executor,
            role=role_for(step.executors[0] if step.executors else ""),
        )
        _prefill(item)
        items.append(item)
    MaintenanceItem.objects.bulk_create(items)
    case = cycle.open_sop_case(
        by=by, title=_("Pemeliharaan SPSE siklus %(start)s") % {"start": f"{starts_on:%d-%m-%Y}"}
    )
    for item in items:
        sop_services.start_step(case, item.step.number, by=by)
    record(
        "facility.cycle_created",
        actor=by,
        target=cycle,
        after={"starts_on": cycle.starts_on, "due_on": cycle.due_on, "items": len(items)},
        summary=_("Siklus pemeliharaan %(start)s (batas %(due)s) dibuat dengan %(n)d butir")
        % {
            "start": cycle.starts_on.strftime("%d-%m-%Y"),
            "due": cycle.due_on.strftime("%d-%m-%Y"),
            "n": len(items),
        },
    )
    return cycle, True


class ChecklistError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@transaction.atomic
def tick_item(item: MaintenanceItem, *, findings: str, follow_up: str, by, request=None):
    """Record that an item was checked, by a holder of its responsible role."""
    item = MaintenanceItem.objects.select_for_update().get(pk=item.pk)
    if not selectors.can_tick(by, item):
        raise ChecklistError(
            _("Butir ini menjadi tanggung jawab peran %(role)s.") % {"role": Role(item.role).label}
        )
    if item.status == ItemStatus.DONE:
        raise ChecklistError(_("Butir ini sudah diperiksa."))
    if not findings.strip():
        raise ChecklistError(_("Tuliskan temuan pemeriksaan."))
    item.status = ItemStatus.DONE
    item.findings = findings.strip()
    item.follow_up = follow_up.strip()
    item.done_at = timezone.now()
    item.done_by = by
    item.save(update_fields=["status", "findings", "follow_up", "done_at", "done_by"])
    case = item.cycle.sop_case
    if case is not None and case.is_open:
        sop_services.finish_step(
            case, item.step.number, by=by, at=item.done_at, note=item.findings[:500]
        )
        if not item.cycle.items.filter(status=ItemStatus.OPEN).exists():
            sop_services.close_case(
                case, by=by, outcome=_("Semua butir pemeliharaan siklus ini diperiksa.")
            )
    record(
        "facility.item_checked",
        actor=by,
        target=item,
        before={"status": ItemStatus.OPEN},
        after={"status": item.status, "findings": item.findings, "follow_up": item.follow_up},
        summary=_("Butir %(label)s siklus %(cycle)s diperiksa")
        % {"label": item.label, "cycle": item.cycle.starts_on.strftime("%d-%m-%Y")},
        request=request,
    )
    return item


@transaction.atomic
def report_overdue(today: date | None = None) -> int:
    """E-mail each responsible role its overdue items (once per cycle); returns the count.

    The same list is on the checklist page and, through the `facility/includes/
    overdue.html` partial, on the operations console."""
    overdue = list(selectors.overdue_items(today).filter(cycle__overdue_reported_at__isnull=True))
    if not overdue:
        return 0
    by_role: dict[str, list[MaintenanceItem]] = {}
    for item in overdue:
        by_role.setdefault(item.role, []).append(item)
    url = settings.SITE_URL + reverse("facility:checklist")
    for role, items in by_role.items():
        recipients = list(
            User.objects.filter(is_active=True, role_rows__role=role)
            .exclude(email="")
            .values_list("email", flat=True)
            .distinct()
        )
        if not recipients:
            continue
        lines = "\n".join(
            f"- {item.label} {item.description[:120]} ({_('batas')} {item.cycle.due_on:%d-%m-%Y})"
            for item in items
        )
        body = _(
            "Butir pemeliharaan SPSE (Lampiran V) berikut melewati batas waktu dan belum "
            "diperiksa oleh %(role)s:\n\n%(lines)s\n\nDaftar lengkap: %(url)s\n"
        ) % {"role": Role(role).label, "lines": lines, "url": url}
        subject = _("[%(lpse)s] %(n)d butir pemeliharaan terlambat") % {
            "lpse": settings.LPSE_NAME,
            "n": len(items),
        }
        transaction.on_commit(
            lambda subject=subject, body=body, recipients=recipients: send_mail(
                subject, body, None, recipients
            )
        )
    cycles = {item.cycle_id for item in overdue}
    MaintenanceCycle.objects.filter(pk__in=cycles).update(overdue_reported_at=timezone.now())
    record(
        "facility.overdue_reported",
        actor=None,
        after={"items": len(overdue), "roles": sorted(by_role)},
        summary=_("%(n)d butir pemeliharaan terlambat dilaporkan") % {"n": len(overdue)},
    )
    return len(overdue)

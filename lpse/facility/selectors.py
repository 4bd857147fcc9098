"""Reads and access checks of the facility app (MON-5, MNT-1, MNT-2, INF-1..INF-3)."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from lpse.accounts.choices import STAFF_ROLES, Role
from lpse.core.access import get_object_for_user, user_has_any_role

from .choices import ItemStatus, VisitStatus, WindowStatus
from .models import MaintenanceItem, MaintenanceWindow, News, Reading, VisitRequest

#: Who schedules maintenance windows (MON-5): the system administrator.
WINDOW_ROLES = (Role.SYSADMIN,)
#: Who sees the maintenance checklist and the overdue report (MNT-1).
CHECKLIST_ROLES = (Role.SYSADMIN, Role.APPADMIN, Role.HEAD)
#: Any staff member may ask to enter the server room, for themselves or for an outsider.
VISIT_REQUEST_ROLES = tuple(sorted(STAFF_ROLES))
#: The "pejabat yang berwenang di LPSE" of Pasal 11(4): the head of the LPSE.
VISIT_APPROVER_ROLES = (Role.HEAD,)
#: The custodian of the server room records entry and exit: the system administrator.
VISIT_GUARD_ROLES = (Role.SYSADMIN,)
VISIT_REPORT_ROLES = (Role.HEAD, Role.SYSADMIN)
#: Data-centre inspections (INF-2) and environment readings (INF-3).
FACILITY_ROLES = (Role.SYSADMIN,)
FACILITY_VIEW_ROLES = (Role.SYSADMIN, Role.HEAD)
#: Reference data of Lampiran V 1.a.6-11 (MNT-2): the SOP names the system administrator;
#: the application administrator and the head keep it too.
REFERENCE_ROLES = (Role.APPADMIN, Role.SYSADMIN, Role.HEAD)


# --- Maintenance windows (MON-5) ---------------------------------------------------


def banner_windows(now: datetime | None = None) -> list[MaintenanceWindow]:
    """Windows whose banner shows now: from `banner_hours` before the start to the end."""
    now = now or timezone.now()
    windows = MaintenanceWindow.objects.filter(
        status=WindowStatus.SCHEDULED, ends_at__gt=now
    ).order_by("starts_at")[:10]
    return [window for window in windows if window.banner_from <= now]


def read_only_window(now: datetime | None = None) -> MaintenanceWindow | None:
    """The running window that puts the site in read-only mode, if any."""
    now = now or timezone.now()
    return (
        MaintenanceWindow.objects.filter(
            status=WindowStatus.SCHEDULED, read_only=True, starts_at__lte=now, ends_at__gt=now
        )
        .order_by("ends_at")
        .last()
    )


def windows() -> QuerySet[MaintenanceWindow]:
    return MaintenanceWindow.objects.select_related("created_by", "closed_by")


def bid_upload_overlaps(starts_at: datetime, ends_at: datetime) -> list:
    """Bid upload stages of live tenders whose end falls inside [starts_at, ends_at]."""
    from lpse.tenders.choices import StageKind, TenderStatus
    from lpse.tenders.models import Stage

    return list(
        Stage.objects.filter(
            kind=StageKind.BID_UPLOAD,
            ends_at__gte=starts_at,
            ends_at__lte=ends_at,
            tender__status__in=[TenderStatus.DRAFT, TenderStatus.ANNOUNCED],
        )
        .select_related("tender")
        .order_by("ends_at")
    )


def upload_ends_in_window(tender_code: str, window: MaintenanceWindow) -> bool:
    """The tender's bid upload stage ends inside the window and is still running."""
    from lpse.tenders.choices import StageKind
    from lpse.tenders.models import Stage

    return Stage.objects.filter(
        tender__code=tender_code,
        kind=StageKind.BID_UPLOAD,
        ends_at__gte=max(window.starts_at, timezone.now()),
        ends_at__lte=window.ends_at,
    ).exists()


def is_bid_upload_url(view_name: str) -> bool:
    """A URL name listed in LPSE_MAINTENANCE_BID_UPLOAD_URLS ("bids:" = whole namespace)."""
    for entry in settings.LPSE_MAINTENANCE_BID_UPLOAD_URLS:
        if entry.endswith(":") and view_name.startswith(entry):
            return True
        if view_name == entry:
            return True
    return False


# --- Maintenance checklist (MNT-1) -------------------------------------------------------


def overdue_items(today: date | None = None) -> QuerySet[MaintenanceItem]:
    today = today or timezone.localdate()
    return (
        MaintenanceItem.objects.filter(status=ItemStatus.OPEN, cycle__due_on__lt=today)
        .select_related("cycle")
        .order_by("cycle__starts_on", "step__number")
    )


def overdue_summary(today: date | None = None) -> list[dict]:
    """Overdue items counted per cycle and responsible role, oldest cycle first."""
    from django.db.models import Count

    rows = (
        overdue_items(today)
        .order_by()
        .values("cycle_id", "cycle__starts_on", "cycle__due_on", "role")
        .annotate(count=Count("pk"))
        .order_by("cycle__starts_on", "role")
    )
    cycles: dict[int, dict] = {}
    for row in rows:
        entry = cycles.setdefault(
            row["cycle_id"],
            {
                "cycle_id": row["cycle_id"],
                "starts_on": row["cycle__starts_on"],
                "due_on": row["cycle__due_on"],
                "total": 0,
                "roles": [],
            },
        )
        entry["total"] += row["count"]
        entry["roles"].append((Role(row["role"]).label, row["count"]))
    return list(cycles.values())


def can_tick(user, item: MaintenanceItem) -> bool:
    """Only a holder of the item's responsible role ticks it."""
    return user_has_any_role(user, (item.role,))


def get_item_for_user(user, pk: int) -> MaintenanceItem:
    def scope(queryset, viewer):
        if user_has_any_role(viewer, CHECKLIST_ROLES):
            return queryset
        return queryset.none()

    return get_object_for_user(
        MaintenanceItem.objects.select_related("cycle", "done_by"), user, scope, pk=pk
    )


# --- Server-room visits (INF-1) ----------------------------------------------------------


def visits_for(user) -> QuerySet[VisitRequest]:
    """Approvers, guards and report readers see every request; others their own."""
    queryset = VisitRequest.objects.select_related("visitor", "requested_by", "decided_by")
    if user_has_any_role(user, VISIT_APPROVER_ROLES + VISIT_GUARD_ROLES + VISIT_REPORT_ROLES):
        return queryset
    return queryset.filter(requested_by=user)


def get_visit_for_user(user, pk: int) -> VisitRequest:
    return get_object_for_user(
        VisitRequest.objects.all(), user, lambda queryset, viewer: visits_for(viewer), pk=pk
    )


def can_decide(user, visit: VisitRequest) -> bool:
    """An approver, never on a request they filed or that lets themselves in."""
    return (
        visit.status == VisitStatus.REQUESTED
        and user_has_any_role(user, VISIT_APPROVER_ROLES)
        and user.pk not in (visit.requested_by_id, visit.visitor_id)
    )


def can_guard(user, visit: VisitRequest) -> bool:
    return visit.status in (VisitStatus.APPROVED, VisitStatus.INSIDE) and user_has_any_role(
        user, VISIT_GUARD_ROLES
    )


def visits_in_room(start: datetime, end: datetime) -> QuerySet[VisitRequest]:
    """Who was in the server room at some moment of [start, end): entered before the end,
    and not left before the start (still inside counts)."""
    from django.db.models import Q

    return (
        VisitRequest.objects.filter(entered_at__isnull=False, entered_at__lt=end)
        .filter(Q(left_at__isnull=True) | Q(left_at__gte=start))
        .select_related("entry_by", "exit_by", "decided_by", "visitor")
        .order_by("entered_at", "pk")
    )


# --- Environment (INF-3) and news (MNT-2) -------------------------------------------------


def latest_readings() -> list[Reading]:
    """The latest reading of every place and quantity (few rows: one per sensor channel)."""
    seen: dict[tuple[str, str], Reading] = {}
    pairs = Reading.objects.values_list("place", "quantity").distinct()
    for place, quantity in pairs:
        reading = (
            Reading.objects.filter(place=place, quantity=quantity).order_by("-at", "-pk").first()
        )
        if reading:
            seen[(place, quantity)] = reading
    return [seen[key] for key in sorted(seen)]


def published_news(limit: int = 5) -> list[News]:
    return list(
        News.objects.filter(is_published=True, published_at__lte=timezone.now()).order_by(
            "-published_at", "-pk"
        )[:limit]
    )

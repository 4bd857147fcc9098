"""Access and intrusion watch (MON-3, Lampiran V.1.a.3-5): active sessions, logins,
failed logins and lockouts per hour, the client address with most failures, and
administrators logging in outside working hours.

Logins and failed logins come from the audit log (`auth.login`,
`auth.login_failed`, written by lpse.audit.receivers); lockouts from django-axes'
attempt table (rows at the failure limit).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lpse.accounts.choices import Role
from lpse.core.calendar import is_working_time

from .. import series
from .base import Result

KIND = "access"
LABEL = gettext_lazy("Akses dan penyusupan")
DEFAULT_INTERVAL = 300
WINDOW = timedelta(hours=1)
ADMIN_ROLES = (Role.SYSADMIN, Role.APPADMIN, Role.HEAD)
TOP_SOURCES = 5


def failures_by_source(since):
    from lpse.audit.models import AuditEvent

    return (
        AuditEvent.objects.filter(action="auth.login_failed", at__gte=since)
        .values("ip")
        .annotate(failures=Count("pk"))
        .order_by("-failures", "ip")
    )


def collect(previous=None) -> Result:
    from axes.models import AccessAttempt

    from lpse.accounts.models import User
    from lpse.audit.models import AuditEvent

    now = timezone.now()
    since = now - WINDOW
    result = Result()
    logins = AuditEvent.objects.filter(action="auth.login", at__gte=since)
    failed = AuditEvent.objects.filter(action="auth.login_failed", at__gte=since)
    sources = list(failures_by_source(since)[:TOP_SOURCES])
    admins = set(
        User.objects.filter(role_rows__role__in=ADMIN_ROLES).values_list("pk", flat=True)
    ) | set(User.objects.filter(is_superuser=True).values_list("pk", flat=True))
    off_hours = [
        (username, at)
        for actor_id, username, at in logins.values_list("actor_id", "actor_repr", "at")
        if actor_id in admins and not is_working_time(at)
    ]
    lockouts = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).count()
    values = {
        "access_active_sessions": Session.objects.filter(expire_date__gt=now).count(),
        "access_logins_hourly": logins.count(),
        "access_failed_logins_hourly": failed.count(),
        "access_lockouts_hourly": lockouts,
        "access_max_source_failures_hourly": sources[0]["failures"] if sources else 0,
        "access_admin_logins_outside_worktime_hourly": len(off_hours),
        "auth_logins_total": AuditEvent.objects.filter(action="auth.login").count(),
        "auth_login_failures_total": AuditEvent.objects.filter(action="auth.login_failed").count(),
    }
    result.values = {series.key(name): float(value) for name, value in values.items()}
    result.detail = {
        "sources": [[row["ip"] or "-", row["failures"]] for row in sources],
        "off_hours": [[username, at.isoformat()] for username, at in off_hours],
    }
    result.summary = _(
        "%(sessions)d sesi aktif; satu jam terakhir: %(logins)d login, %(failed)d gagal, "
        "%(lockouts)d terkunci."
    ) % {
        "sessions": values["access_active_sessions"],
        "logins": values["access_logins_hourly"],
        "failed": values["access_failed_logins_hourly"],
        "lockouts": lockouts,
    }
    return result

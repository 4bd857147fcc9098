"""Incidents (MON-2): one open incident per condition key, opened, escalated and closed
by `report_condition`, with e-mails to the responsible roles and reminders.

Other apps (the facility's environment readings, maintenance checklists) call
`lpse.ops.services.report_condition` too; hysteresis is the caller's business
(the ops thresholds apply it in `lpse.ops.thresholds.evaluate`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from lpse.accounts.choices import Role
from lpse.audit.services import record

from .choices import LEVEL_TRANSITIONS, SEVERITY, IncidentStatus, Level
from .models import Incident, IncidentTransition


def _recipients(roles) -> list[str]:
    from lpse.accounts.models import User

    return sorted(
        set(
            User.objects.filter(is_active=True, role_rows__role__in=list(roles))
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def incident_url(incident: Incident) -> str:
    return settings.SITE_URL + reverse("ops:incident", args=[incident.pk])


def _queue_email(incident: Incident, event: str) -> None:
    """Render the mail now (in Indonesian), send it after commit through the task queue."""
    to = _recipients(incident.roles)
    if not to:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "incident": incident,
            "event": event,
            "url": incident_url(incident),
            "LPSE_NAME": settings.LPSE_NAME,
        }
        subject = render_to_string("ops/email/incident_subject.txt", context).strip()
        body = render_to_string("ops/email/incident_body.txt", context)
    from .tasks import send_ops_email

    transaction.on_commit(lambda: send_ops_email(subject, body, to))


def _move(incident: Incident, from_level: str, to_level: str, *, value, at, note: str = "") -> None:
    if to_level not in LEVEL_TRANSITIONS[from_level]:
        raise ValueError(f"incident {incident.key}: {from_level or '-'} -> {to_level} not allowed")
    incident.save()
    IncidentTransition.objects.create(
        incident=incident, from_level=from_level, to_level=to_level, at=at, value=value, note=note
    )


def _snapshot(incident: Incident) -> dict:
    return {
        "key": incident.key,
        "status": incident.status,
        "level": incident.level,
        "value": incident.value,
    }


@transaction.atomic
def report_condition(
    key: str,
    *,
    level: Level | str,
    title: str,
    value: float | None = None,
    detail: str = "",
    evidence_url: str = "",
    roles: tuple[str, ...] = (Role.SYSADMIN,),
    at: datetime | None = None,
) -> Incident | None:
    """Tell the incident register the current state of condition `key`.

    WARNING/CRITICAL opens an incident if none is open for `key` (e-mail), or
    escalates/de-escalates the open one (escalation e-mails, a de-escalation
    only writes its transition row); OK closes the open one (e-mail). Repeating
    the same level only refreshes the value: no alert storm. Returns the
    incident (open or just closed), or None when all is well and nothing was open.
    """
    level = Level(level)
    at = at or timezone.now()
    key = key[:200]
    incident = Incident.objects.select_for_update().filter(key=key, status="open").first()
    if incident is None and level == Level.OK:
        return None
    if incident is None:
        incident = Incident(
            key=key,
            level=level,
            peak_level=level,
            title=title[:300],
            value=value,
            detail=detail,
            evidence_url=evidence_url[:500],
            roles=[str(role) for role in roles],
            opened_at=at,
            last_seen_at=at,
            last_notified_at=at,
        )
        try:
            with transaction.atomic():
                _move(incident, "", level, value=value, at=at, note=detail[:300])
        except IntegrityError:
            # Another worker opened it between our read and our insert: report to that one.
            return report_condition(
                key, level=level, title=title, value=value, detail=detail,
                evidence_url=evidence_url, roles=roles, at=at,
            )  # fmt: skip
        _queue_email(incident, "opened")
        record(
            "ops.incident_opened",
            actor=None,
            target=incident,
            after=_snapshot(incident),
            summary=incident.title,
        )
        return incident

    before = _snapshot(incident)
    incident.value = value
    incident.last_seen_at = at
    if detail:
        incident.detail = detail
    if evidence_url:
        incident.evidence_url = evidence_url[:500]
    if level == incident.level:
        incident.save(update_fields=["value", "last_seen_at", "detail", "evidence_url"])
        return incident

    previous = incident.level
    incident.level = level
    if level == Level.OK:
        incident.status = IncidentStatus.CLOSED
        incident.closed_at = at
        event, action = "closed", "ops.incident_closed"
    elif SEVERITY[level] > SEVERITY[previous]:
        incident.title = title[:300]
        incident.peak_level = level
        incident.last_notified_at = at
        incident.acknowledged_at = None  # worse than what was taken on: remind again
        event, action = "escalated", "ops.incident_escalated"
    else:
        incident.title = title[:300]
        event, action = "", "ops.incident_deescalated"
    _move(incident, previous, level, value=value, at=at, note=detail[:300])
    if event:
        _queue_email(incident, event)
    record(
        action,
        actor=None,
        target=incident,
        before=before,
        after=_snapshot(incident),
        summary=incident.title,
    )
    return incident


def send_reminders(*, now: datetime | None = None) -> int:
    """E-mail again about incidents open longer than the reminder interval since the last
    mail (MON-2); returns how many reminders were queued."""
    now = now or timezone.now()
    every = timedelta(minutes=settings.LPSE_OPS_REMINDER_MINUTES)
    sent = 0
    due = Incident.objects.filter(
        status="open", acknowledged_at__isnull=True, last_notified_at__lte=now - every
    )
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            incident = Incident.objects.select_for_update().get(pk=pk)
            if (
                not incident.is_open
                or incident.acknowledged_at
                or incident.last_notified_at > now - every
            ):
                continue
            incident.last_notified_at = now
            incident.reminders_sent += 1
            incident.save(update_fields=["last_notified_at", "reminders_sent"])
            _queue_email(incident, "reminder")
            sent += 1
    return sent


@transaction.atomic
def acknowledge_incident(incident: Incident, *, note: str, by, request=None) -> Incident:
    """The sysadmin takes an open incident on (with a note): reminders stop until it
    escalates or closes. Audited."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Tulis apa yang sedang dilakukan.")})
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if not incident.is_open:
        raise ValidationError(_("Insiden ini sudah selesai."))
    before = {
        "acknowledged_at": incident.acknowledged_at,
        "acknowledgement": incident.acknowledgement,
    }
    incident.acknowledged_at = timezone.now()
    incident.acknowledged_by = by
    incident.acknowledgement = note[:300]
    incident.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement"])
    record(
        "ops.incident_acknowledged",
        actor=by,
        target=incident,
        before=before,
        after={"acknowledged_at": incident.acknowledged_at, "acknowledgement": note[:300]},
        summary=incident.title,
        request=request,
    )
    return incident

"""The sysadmin's settings of the console: probe schedules, thresholds, metrics tokens.
Atomic and audited (AUD-1)."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lpse.audit.services import record, snapshot

from .choices import Direction
from .models import MetricsToken, ProbeConfig, Threshold

MIN_INTERVAL = 30
MAX_INTERVAL = 24 * 3600
TOKEN_PREFIX = "lpsem_"  # noqa: S105 - a marker, not a secret


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def update_probe_config(
    config: ProbeConfig, *, enabled: bool, interval_seconds: int, by, request=None
) -> ProbeConfig:
    """Switch a probe on/off and set its interval (30 s to 24 h)."""
    if not MIN_INTERVAL <= interval_seconds <= MAX_INTERVAL:
        raise ValidationError(
            {
                "interval_seconds": _("Selang harus antara %(min)s dan %(max)s detik.")
                % {"min": MIN_INTERVAL, "max": MAX_INTERVAL}
            }
        )
    config = ProbeConfig.objects.select_for_update().get(pk=config.pk)
    fields = ["enabled", "interval_seconds"]
    before = snapshot(config, fields)
    config.enabled = enabled
    config.interval_seconds = interval_seconds
    config.save(update_fields=fields)
    record(
        "ops.probe_configured",
        actor=by,
        target=config,
        before=before,
        after=snapshot(config, fields),
        summary=config.kind,
        request=request,
    )
    return config


@transaction.atomic
def update_threshold(
    threshold: Threshold,
    *,
    warning: float | None,
    critical: float | None,
    margin: float,
    enabled: bool,
    by,
    request=None,
) -> Threshold:
    """Change a metric's bounds (base units). Critical must be worse than warning."""
    errors = {}
    if warning is None and critical is None and enabled:
        errors["warning"] = _("Isi batas peringatan atau batas kritis (atau nonaktifkan).")
    if warning is not None and critical is not None:
        if threshold.direction == Direction.ABOVE and critical < warning:
            errors["critical"] = _("Batas kritis harus sama atau lebih tinggi dari peringatan.")
        if threshold.direction == Direction.BELOW and critical > warning:
            errors["critical"] = _("Batas kritis harus sama atau lebih rendah dari peringatan.")
    if margin < 0:
        errors["margin"] = _("Margin pemulihan tidak boleh negatif.")
    if errors:
        raise ValidationError(errors)
    threshold = Threshold.objects.select_for_update().get(pk=threshold.pk)
    fields = ["warning", "critical", "margin", "enabled"]
    before = snapshot(threshold, fields)
    threshold.warning = warning
    threshold.critical = critical
    threshold.margin = margin
    threshold.enabled = enabled
    threshold.save(update_fields=fields)
    record(
        "ops.threshold_changed",
        actor=by,
        target=threshold,
        before=before,
        after=snapshot(threshold, fields),
        summary=threshold.metric,
        request=request,
    )
    return threshold


@transaction.atomic
def issue_metrics_token(*, name: str, by, request=None) -> tuple[MetricsToken, str]:
    """A new bearer token for /metrics (MON-6). Returns the token row and the secret,
    which is shown once and never stored (only its SHA-256)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Beri nama token, misalnya 'Prometheus LKPP'.")})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = MetricsToken.objects.create(
        name=name[:100], token_hash=token_hash(secret), prefix=secret[:8], created_by=by
    )
    record(
        "ops.metrics_token_issued",
        actor=by,
        target=token,
        after={"name": token.name, "prefix": token.prefix},
        summary=token.name,
        request=request,
    )
    return token, secret


@transaction.atomic
def revoke_metrics_token(token: MetricsToken, *, by, request=None) -> MetricsToken:
    token = MetricsToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError(_("Token ini sudah dicabut."))
    token.revoked_at = timezone.now()
    token.revoked_by = by
    token.save(update_fields=["revoked_at", "revoked_by"])
    record(
        "ops.metrics_token_revoked",
        actor=by,
        target=token,
        before={"active": True},
        after={"active": False},
        summary=token.name,
        request=request,
    )
    return token

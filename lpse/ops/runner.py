"""Running the probes (MON-1..MON-4): store one ProbeRun per run, apply the thresholds,
count uptime. Called every minute by the `ops_tick` periodic task and by
`lpse ops_probe`."""

from __future__ import annotations

import logging
import time
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import series, thresholds
from .choices import Level, worst
from .incidents import report_condition
from .models import Heartbeat, ProbeConfig, ProbeRun, UptimeMonth
from .probes import REGISTRY
from .probes.base import Result

logger = logging.getLogger(__name__)
PROBE_PREFIX = "probe:"


def ensure_configs() -> dict[str, ProbeConfig]:
    """One ProbeConfig per registered kind (created with the kind's default interval)."""
    configs = {config.kind: config for config in ProbeConfig.objects.all()}
    missing = [
        ProbeConfig(kind=kind, interval_seconds=module.DEFAULT_INTERVAL)
        for kind, module in REGISTRY.items()
        if kind not in configs
    ]
    if missing:
        ProbeConfig.objects.bulk_create(missing, ignore_conflicts=True)
        configs = {config.kind: config for config in ProbeConfig.objects.all()}
    return configs


def beat(now: datetime | None = None) -> None:
    """The consumer's heartbeat (the queue probe and /readyz read it)."""
    Heartbeat.objects.update_or_create(name="consumer", defaults={"at": now or timezone.now()})


def _count_uptime(values: dict[str, float], at: datetime) -> None:
    month = timezone.localdate(at).replace(day=1)
    for series_key, value in values.items():
        if not series.parse(series_key)[0].endswith("_up"):
            continue
        up = 1 if value >= 0.5 else 0
        updated = UptimeMonth.objects.filter(series=series_key, month=month).update(
            runs=F("runs") + 1, up_runs=F("up_runs") + up
        )
        if not updated:
            try:
                with transaction.atomic():
                    UptimeMonth.objects.create(series=series_key, month=month, runs=1, up_runs=up)
            except IntegrityError:
                UptimeMonth.objects.filter(series=series_key, month=month).update(
                    runs=F("runs") + 1, up_runs=F("up_runs") + up
                )


def run_probe(kind: str) -> ProbeRun:
    """Run one probe now; store it; open/close incidents from its values. Summaries and
    incident titles are stored in the default language (Indonesian, GEN-1)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _run_probe(kind)


def _run_probe(kind: str) -> ProbeRun:
    module = REGISTRY[kind]
    previous = ProbeRun.objects.filter(kind=kind).order_by("-at", "-pk").first()
    started = time.perf_counter()
    try:
        result = module.collect(previous)
    except Exception as exc:  # a probe bug must not stop the other probes
        logger.exception("Probe %s failed", kind)
        result = Result(ok=False, summary=_("Pemeriksaan gagal: %(error)s") % {"error": exc})
    duration = int((time.perf_counter() - started) * 1000)
    now = timezone.now()
    thresholds.ensure_defaults()
    with transaction.atomic():
        level = thresholds.apply(kind, result.values)
        probe_level = Level.OK if result.ok else Level.WARNING
        report_condition(
            PROBE_PREFIX + kind,
            level=probe_level,
            title=_("Pemeriksaan %(probe)s tidak lengkap") % {"probe": module.LABEL},
            detail=result.summary if not result.ok else "",
        )
        run = ProbeRun.objects.create(
            kind=kind,
            at=now,
            ok=result.ok,
            level=worst([level, probe_level]),
            duration_ms=duration,
            values=result.values,
            summary=result.summary[:300],
            detail=result.detail,
        )
        _count_uptime(result.values, now)
        ProbeConfig.objects.filter(kind=kind).update(last_run_at=now)
    return run


def run_due(now: datetime | None = None) -> list[ProbeRun]:
    """Run every enabled probe whose interval has passed since its last run."""
    now = now or timezone.now()
    runs = []
    for kind, config in ensure_configs().items():
        if kind not in REGISTRY or not config.enabled:
            continue
        # A few seconds of slack: the minute tick must not skip a 60 s probe.
        if config.last_run_at and (now - config.last_run_at).total_seconds() < (
            config.interval_seconds - 5
        ):
            continue
        # Claim the run: with several consumers (or a tick overlapping the previous
        # one) only the worker whose conditional update succeeds runs the probe.
        claimed = ProbeConfig.objects.filter(pk=config.pk, last_run_at=config.last_run_at).update(
            last_run_at=now
        )
        if claimed:
            runs.append(run_probe(kind))
    return runs


def run_all(kinds: list[str] | None = None) -> list[ProbeRun]:
    """Run the given (or all enabled) probes now, whatever their schedule."""
    configs = ensure_configs()
    selected = kinds or [kind for kind in REGISTRY if configs[kind].enabled]
    return [run_probe(kind) for kind in selected]

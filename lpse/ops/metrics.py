"""`/metrics` in the Prometheus text format (MON-6, Pasal 12(6)).

A custom prometheus-client collector reads the latest stored run of every probe
from the database on each scrape: no per-process state, so every application
server answers the same. Names follow the Prometheus conventions: an `lpse_`
prefix, base units (bytes, seconds, ratios 0-1), `_total` counters, labels only
from configuration (mount points, interfaces, targets, probe kinds).

Access: `Authorization: Bearer <token>` with a token the system administrator
issued on the console; only its SHA-256 is stored.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from . import series
from .choices import IncidentStatus, Level
from .config_services import token_hash
from .models import Heartbeat, Incident, MetricsToken
from .probes import REGISTRY

LAST_USED_EVERY = timedelta(minutes=1)


class LatestSamplesCollector:
    """Exports the latest values of every probe kind, read from the database."""

    def collect(self):
        from .selectors import latest_runs

        runs = latest_runs()
        families = {}
        for metric in series.METRICS:
            family_class = CounterMetricFamily if metric.counter else GaugeMetricFamily
            name = metric.exported_name
            if metric.counter:
                name = name.removesuffix("_total")
            families[metric.name] = family_class(name, metric.help, labels=list(metric.labels))
        for run in runs.values():
            for series_key, value in sorted(run.values.items()):
                name, labels = series.parse(series_key)
                metric = series.BY_NAME.get(name)
                if metric is None or value is None or set(labels) != set(metric.labels):
                    continue
                families[name].add_metric([labels[label] for label in metric.labels], value)
        yield from (family for family in families.values() if family.samples)

        success = GaugeMetricFamily(
            "lpse_probe_success",
            "1 when the probe's last run measured everything.",
            labels=["kind"],
        )
        last = GaugeMetricFamily(
            "lpse_probe_last_run_timestamp_seconds",
            "Unix time of the probe's last run.",
            labels=["kind"],
        )
        duration = GaugeMetricFamily(
            "lpse_probe_duration_seconds", "Wall time of the probe's last run.", labels=["kind"]
        )
        for kind in REGISTRY:
            run = runs.get(kind)
            if run is None:
                continue
            success.add_metric([kind], 1.0 if run.ok else 0.0)
            last.add_metric([kind], run.at.timestamp())
            duration.add_metric([kind], run.duration_ms / 1000)
        yield success
        yield last
        yield duration

        open_counts = dict(
            Incident.objects.filter(status=IncidentStatus.OPEN)
            .values("level")
            .annotate(n=Count("pk"))
            .values_list("level", "n")
        )
        incidents = GaugeMetricFamily(
            "lpse_incidents_open", "Open incidents by level.", labels=["level"]
        )
        for level in (Level.WARNING, Level.CRITICAL):
            incidents.add_metric([str(level)], float(open_counts.get(level, 0)))
        yield incidents

        beat = Heartbeat.objects.filter(name="consumer").values_list("at", flat=True).first()
        yield GaugeMetricFamily(
            "lpse_queue_heartbeat_timestamp_seconds",
            "Unix time of the task-queue consumer's last heartbeat (0: never).",
            value=beat.timestamp() if beat else 0.0,
        )
        # From the backup register: the start of the last backup that passed verification.
        from lpse.backups.selectors import last_success_timestamp

        yield GaugeMetricFamily(
            "lpse_backup_last_success_timestamp_seconds",
            "Unix time of the last successful (verified) backup (0: none recorded).",
            value=last_success_timestamp(),
        )


def render_metrics() -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(LatestSamplesCollector())
    return generate_latest(registry)


def _token(request: HttpRequest) -> MetricsToken | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return MetricsToken.objects.filter(
        token_hash=token_hash(secret.strip()), revoked_at__isnull=True
    ).first()


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    token = _token(request)
    if token is None:
        response = HttpResponse(
            _("Token tidak sah atau sudah dicabut.") + "\n",
            status=401,
            content_type="text/plain; charset=utf-8",
        )
        response["WWW-Authenticate"] = 'Bearer realm="lpse-metrics"'
        return response
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        MetricsToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return HttpResponse(render_metrics(), content_type=CONTENT_TYPE_LATEST)

"""The host (MON-1): per filesystem use/free bytes and inodes, RAM, swap, CPU, load,
network bytes/packets per interface and the bandwidth from counter deltas, and the
projected time until each filesystem is full from the recent trend."""

from __future__ import annotations

import os
import time
from datetime import timedelta

import psutil
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import series
from ..trend import seconds_until_full
from .base import Result

KIND = "host"
LABEL = gettext_lazy("Server (host)")
DEFAULT_INTERVAL = 60
#: History used for the "full within" projection, and the least it needs.
TREND_WINDOW = timedelta(hours=6)
TREND_MIN_POINTS = 5
#: A few samples seconds apart would turn any write burst into "full in minutes".
TREND_MIN_SPAN = timedelta(minutes=30)
#: Pseudo and read-only filesystems that never fill up by our doing.
SKIP_FSTYPES = {"squashfs", "iso9660", "tmpfs", "devtmpfs", "overlay", "proc", "sysfs", "nsfs"}
SKIP_INTERFACES = ("lo", "veth", "docker", "br-", "virbr")
MAX_INTERFACES = 16


def watched_paths() -> list[str]:
    """LPSE_OPS_FILESYSTEMS, else every mounted disk (one path per device) plus the
    filesystem holding the data directory."""
    if settings.LPSE_OPS_FILESYSTEMS:
        return list(dict.fromkeys(settings.LPSE_OPS_FILESYSTEMS))
    paths, devices = [], set()
    for part in psutil.disk_partitions(all=False):
        if part.fstype in SKIP_FSTYPES or part.device in devices:
            continue
        devices.add(part.device)
        paths.append(part.mountpoint)
    data_dir = str(settings.DATA_DIR)
    if not any(data_dir == path or data_dir.startswith(path.rstrip("/") + "/") for path in paths):
        paths.append(data_dir)
    return paths


def _filesystems(result: Result) -> dict[str, tuple[float, float]]:
    """Values per watched path; returns {path: (used bytes, usable capacity)}."""
    usage = {}
    for path in watched_paths():
        try:
            disk = psutil.disk_usage(path)
            stat = os.statvfs(path)
        except OSError as exc:
            result.ok = False
            result.detail.setdefault("errors", []).append(f"{path}: {exc.strerror}")
            continue
        capacity = float(disk.used + disk.free)  # what users can fill (root's reserve excluded)
        result.values[series.key("filesystem_size_bytes", mountpoint=path)] = float(disk.total)
        result.values[series.key("filesystem_free_bytes", mountpoint=path)] = float(disk.free)
        result.values[series.key("filesystem_used_ratio", mountpoint=path)] = (
            disk.used / capacity if capacity else 0.0
        )
        if stat.f_files:
            used_inodes = stat.f_files - stat.f_ffree
            result.values[series.key("filesystem_inodes_used_ratio", mountpoint=path)] = (
                used_inodes / (used_inodes + stat.f_favail) if used_inodes + stat.f_favail else 0.0
            )
        usage[path] = (float(disk.used), capacity)
    return usage


def _trend(result: Result, usage: dict[str, tuple[float, float]]) -> None:
    from ..models import ProbeRun

    now = timezone.now()
    history = (
        ProbeRun.objects.filter(kind=KIND, at__gte=now - TREND_WINDOW, ok=True)
        .order_by("at")
        .values_list("at", "values")
    )
    points: dict[str, list[tuple[float, float]]] = {path: [] for path in usage}
    for at, values in history:
        for path in usage:
            size = values.get(series.key("filesystem_size_bytes", mountpoint=path))
            free = values.get(series.key("filesystem_free_bytes", mountpoint=path))
            ratio = values.get(series.key("filesystem_used_ratio", mountpoint=path))
            if free is not None and ratio is not None and ratio < 1 and size is not None:
                capacity = free / (1 - ratio) if ratio < 1 else size
                points[path].append((at.timestamp(), capacity - free))
    for path, (used, capacity) in usage.items():
        series_points = [*points[path], (now.timestamp(), used)]
        span = series_points[-1][0] - series_points[0][0]
        if len(series_points) < TREND_MIN_POINTS or span < TREND_MIN_SPAN.total_seconds():
            continue
        seconds = seconds_until_full(series_points, capacity, now.timestamp())
        if seconds is not None:
            result.values[series.key("filesystem_full_in_seconds", mountpoint=path)] = seconds


def _interfaces():
    counters = psutil.net_io_counters(pernic=True)
    names = [name for name in sorted(counters) if not name.startswith(SKIP_INTERFACES)]
    return {name: counters[name] for name in names[:MAX_INTERFACES]}


def _network(result: Result, previous) -> None:
    now = time.time()
    before = previous.values if previous is not None else {}
    elapsed = now - previous.at.timestamp() if previous is not None else 0
    for name, io in _interfaces().items():
        for metric, value in (
            ("network_receive_bytes_total", io.bytes_recv),
            ("network_transmit_bytes_total", io.bytes_sent),
            ("network_receive_packets_total", io.packets_recv),
            ("network_transmit_packets_total", io.packets_sent),
        ):
            result.values[series.key(metric, interface=name)] = float(value)
        for total, rate in (
            ("network_receive_bytes_total", "network_receive_bytes_per_second"),
            ("network_transmit_bytes_total", "network_transmit_bytes_per_second"),
        ):
            old = before.get(series.key(total, interface=name))
            new = result.values[series.key(total, interface=name)]
            # A counter that went down was reset (reboot, interface re-created): no rate.
            if old is not None and elapsed > 0 and new >= old:
                result.values[series.key(rate, interface=name)] = (new - old) / elapsed


def collect(previous=None) -> Result:
    result = Result()
    usage = _filesystems(result)
    _trend(result, usage)
    memory = psutil.virtual_memory()
    result.values["memory_total_bytes"] = float(memory.total)
    result.values["memory_available_bytes"] = float(memory.available)
    result.values["memory_used_ratio"] = (
        (memory.total - memory.available) / memory.total if memory.total else 0.0
    )
    swap = psutil.swap_memory()
    result.values["swap_used_ratio"] = swap.used / swap.total if swap.total else 0.0
    result.values["cpu_used_ratio"] = psutil.cpu_percent(interval=0.2) / 100
    load1, load5, load15 = psutil.getloadavg()
    result.values.update({"load1": load1, "load5": load5, "load15": load15})
    _network(result, previous)
    fullest = max(
        (
            (value, series.parse(key)[1]["mountpoint"])
            for key, value in result.values.items()
            if key.startswith("filesystem_used_ratio")
        ),
        default=None,
    )
    result.summary = _("RAM %(ram).0f %%, beban %(load).2f%(disk)s") % {
        "ram": result.values["memory_used_ratio"] * 100,
        "load": load1,
        "disk": (
            _(", disk terpenuh %(path)s %(used).0f %%")
            % {"path": fullest[1], "used": fullest[0] * 100}
            if fullest
            else ""
        ),
    }
    return result

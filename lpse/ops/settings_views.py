"""The system administrator's settings of the console: probe schedules, thresholds and
/metrics tokens (MON-1..MON-4, MON-6). Changes are audited by the services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lpse.core.access import role_required

from . import series, services, thresholds
from .forms import ProbeConfigForm, ThresholdForm, TokenForm
from .models import MetricsToken, ProbeConfig, Threshold
from .probes import REGISTRY
from .runner import ensure_configs
from .selectors import EDIT_ROLES, READ_ROLES, can_edit


def _to_base(value: float | None, scale: float) -> float | None:
    return None if value is None else value / scale


def _threshold_rows():
    thresholds.ensure_defaults()
    rows = []
    for threshold in Threshold.objects.all():
        metric = series.BY_NAME.get(threshold.metric)
        if metric is None:
            continue
        scale = metric.unit.scale

        def shown(value, scale=scale):
            return None if value is None else round(value * scale, 6)

        rows.append(
            {
                "threshold": threshold,
                "metric": metric,
                "warning": shown(threshold.warning),
                "critical": shown(threshold.critical),
                "margin": shown(threshold.margin),
            }
        )
    return rows


@role_required(*READ_ROLES)
@require_http_methods(["GET"])
def settings_page(request: HttpRequest) -> HttpResponse:
    configs = ensure_configs()
    probes = [
        {"config": configs[kind], "label": module.LABEL}
        for kind, module in REGISTRY.items()
        if kind in configs
    ]
    return render(
        request,
        "ops/settings.html",
        {"probes": probes, "thresholds": _threshold_rows(), "can_edit": can_edit(request.user)},
    )


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@role_required(*EDIT_ROLES)
@require_POST
def probe_update(request: HttpRequest, pk: int) -> HttpResponse:
    config = get_object_or_404(ProbeConfig, pk=pk)
    form = ProbeConfigForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("ops:settings")
    try:
        services.update_probe_config(
            config,
            enabled=form.cleaned_data["enabled"],
            interval_seconds=form.cleaned_data["interval_seconds"],
            by=request.user,
            request=request,
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Pengaturan pemeriksaan %(kind)s disimpan.") % {
            "kind": config.kind
        })  # fmt: skip
    return redirect("ops:settings")


@role_required(*EDIT_ROLES)
@require_POST
def threshold_update(request: HttpRequest, pk: int) -> HttpResponse:
    threshold = get_object_or_404(Threshold, pk=pk)
    metric = series.BY_NAME.get(threshold.metric)
    form = ThresholdForm(request.POST)
    if metric is None or not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("ops:settings")
    scale = metric.unit.scale
    data = form.cleaned_data
    try:
        services.update_threshold(
            threshold,
            warning=_to_base(data["warning"], scale),
            critical=_to_base(data["critical"], scale),
            margin=_to_base(data["margin"], scale) or 0.0,
            enabled=data["enabled"],
            by=request.user,
            request=request,
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Ambang batas %(metric)s disimpan.") % {
            "metric": metric.label
        })  # fmt: skip
    return redirect("ops:settings")


@role_required(*EDIT_ROLES)
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """Issue and revoke /metrics tokens (MON-6); a new token is shown once."""
    form = TokenForm(request.POST or None)
    secret = ""
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = services.issue_metrics_token(
                name=form.cleaned_data["name"], by=request.user, request=request
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            form = TokenForm()
    return render(
        request,
        "ops/tokens.html",
        {"form": form, "secret": secret, "tokens": MetricsToken.objects.select_related(
            "created_by", "revoked_by"
        )},
    )  # fmt: skip


@role_required(*EDIT_ROLES)
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(MetricsToken, pk=pk)
    try:
        services.revoke_metrics_token(token, by=request.user, request=request)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Token %(name)s dicabut.") % {"name": token.name})
    return redirect("ops:tokens")

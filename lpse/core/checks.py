"""Deployment checks of our own, run by `lpse check --deploy` (SEC-4)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_two_factor(app_configs, **kwargs):
    if not settings.LPSE_REQUIRE_2FA:
        return [
            Warning(
                "LPSE_REQUIRE_2FA is off: staff can log in without TOTP.",
                hint="Set LPSE_REQUIRE_2FA=1 (the default) outside local evaluation.",
                id="lpse.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_https(app_configs, **kwargs):
    if not settings.HTTPS:
        return [
            Warning(
                "LPSE_SITE_URL is not https://: cookies are not marked secure and HSTS is off.",
                hint="Serve the system over HTTPS and set LPSE_SITE_URL=https://...",
                id="lpse.W002",
            )
        ]
    return []


@register()
def check_working_hours(app_configs, **kwargs):
    """A malformed LPSE_WORKING_HOURS / LPSE_VERIFICATION_HOURS stops start-up (SOP-4)."""
    from django.core.exceptions import ImproperlyConfigured

    from . import calendar

    errors = []
    for reader in (calendar.working_hours, calendar.verification_hours):
        try:
            reader()
        except ImproperlyConfigured as exc:
            errors.append(Error(str(exc), id="lpse.E001"))
    return errors

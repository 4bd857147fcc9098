"""Mail server (MON-2): SMTP connect, EHLO and NOOP to EMAIL_HOST:EMAIL_PORT."""

from __future__ import annotations

import smtplib
import ssl
import time

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import series
from .base import Result

KIND = "mail"
LABEL = gettext_lazy("Server mail")
DEFAULT_INTERVAL = 300


def _configured() -> bool:
    return settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"


def collect(previous=None) -> Result:
    result = Result()
    if not _configured():
        result.summary = _("Mail tidak dikirim lewat SMTP (SMTP_URL kosong); tidak diperiksa.")
        return result
    host, port = settings.EMAIL_HOST, int(settings.EMAIL_PORT)
    timeout = settings.LPSE_OPS_TIMEOUT_SECONDS
    started = time.perf_counter()
    try:
        if getattr(settings, "EMAIL_USE_SSL", False):
            smtp = smtplib.SMTP_SSL(
                host, port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
        try:
            code, _message = smtp.ehlo()
            if code != 250:
                raise smtplib.SMTPResponseException(code, b"EHLO refused")
            code, _message = smtp.noop()
            if code != 250:
                raise smtplib.SMTPResponseException(code, b"NOOP refused")
        finally:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        seconds = time.perf_counter() - started
        result.values[series.key("mail_up")] = 0.0
        result.values[series.key("mail_response_seconds")] = seconds
        result.summary = _("Server mail %(host)s:%(port)s tidak menjawab (%(error)s).") % {
            "host": host, "port": port, "error": type(exc).__name__,
        }  # fmt: skip
        return result
    seconds = time.perf_counter() - started
    result.values[series.key("mail_up")] = 1.0
    result.values[series.key("mail_response_seconds")] = seconds
    result.summary = _("Server mail %(host)s:%(port)s menjawab dalam %(ms).0f ms.") % {
        "host": host, "port": port, "ms": seconds * 1000,
    }  # fmt: skip
    return result

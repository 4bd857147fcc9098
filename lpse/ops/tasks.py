"""Periodic work of the operations console, run by the task queue (MON-1..MON-4).

Every minute `ops_tick` writes the consumer's heartbeat and runs the probes that
are due by their configured interval. The consumer's scheduler also enqueues an
every-minute task as soon as it starts, so the first round runs at start-up and
the console shows live data at once; each function is also a management command
(`lpse ops_probe`, `lpse ops_report`, `lpse ops_housekeeping`).
"""

from __future__ import annotations

from django.core.mail import send_mail
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task(retries=3, retry_delay=60)
def send_ops_email(subject: str, body: str, to: list[str]) -> None:
    send_mail(subject, body, None, to, fail_silently=False)


@db_periodic_task(crontab(minute="*"))
def ops_tick() -> None:
    """Heartbeat of the consumer, then every probe whose interval has passed."""
    from .runner import beat, run_due

    beat()
    run_due()


@db_periodic_task(crontab(minute="*/5"))
def ops_reminders() -> None:
    """Remind the responsible roles of incidents still open (MON-2)."""
    from .incidents import send_reminders

    send_reminders()


@db_periodic_task(crontab(hour="0", minute="5"))
def ops_daily_capacity_report() -> None:
    """07:05 WIB (00:05 UTC): the capacity report to the system administrators (Pasal 12(1))."""
    from .capacity import send_capacity_report

    send_capacity_report()


@db_periodic_task(crontab(hour="20", minute="40"))
def ops_housekeeping() -> None:
    """03:40 WIB: average raw runs older than the raw retention into hourly rows; drop old ones."""
    from .retention import downsample

    downsample()

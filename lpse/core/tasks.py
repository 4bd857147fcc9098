"""Periodic housekeeping run by the task queue (also plain management commands)."""

from django.core.management import call_command
from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="2", minute="15"))
def clear_expired_sessions() -> None:
    """Delete expired sessions every night, so the session table does not grow forever."""
    call_command("clearsessions")

"""Full verification of the audit chain, off the request path (AUD-1)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from lpse.accounts.models import User

from .services import verify_and_record


@db_task()
def verify_chain_for(user_id: int) -> None:
    """Asked for from the audit page: walks every event (about 40 s per million)."""
    verify_and_record(by=User.objects.filter(pk=user_id).first())


@db_periodic_task(crontab(hour="3", minute="30"))
def verify_chain_nightly() -> None:
    """Every night, so a tampered row is noticed within a day even if nobody looks."""
    verify_and_record(by=None)

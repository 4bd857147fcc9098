"""Receipt e-mails and the hourly cleanup of interrupted uploads (BID-2)."""

from __future__ import annotations

from django.core.mail import EmailMessage
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task(retries=3, retry_delay=60)
def send_receipt_email(bid_id: int, addresses: list[str]) -> None:
    from .models import Bid
    from .receipts import render_email

    bid = Bid.objects.select_related("tender", "participant__vendor", "key").get(pk=bid_id)
    subject, text = render_email(bid)
    message = EmailMessage(subject=subject, body=text, to=addresses)
    message.attach(f"{bid.receipt_number}.json", bid.receipt_json.encode(), "application/json")
    message.attach(
        f"{bid.receipt_number}.p7s", bytes(bid.receipt_signature), "application/pkcs7-signature"
    )
    message.send()


@db_periodic_task(crontab(minute="40", hour="*"))
def cleanup_bid_uploads() -> None:
    """Hourly: remove orphan temp files, stale resumable uploads, unreferenced sealed files."""
    from .cleanup import cleanup

    cleanup()


# Failed openings (ERR-1): imported here so the consumer registers their tasks.
from .failure_tasks import notify_staff, send_lkpp_escalation  # noqa: E402, F401

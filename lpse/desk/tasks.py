"""Helpdesk e-mails leave through the task queue; the helpdesk mailbox is read periodically."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task(retries=3, retry_delay=60)
def send_desk_email(subject: str, text: str, to: str, message_id: str) -> None:
    """Send one rendered e-mail; replies come back to the helpdesk address."""
    headers = {"Auto-Submitted": "auto-generated"} if not message_id else {}
    if message_id:
        headers["Message-ID"] = message_id
    EmailMessage(
        subject=subject,
        body=text,
        to=[to],
        reply_to=[settings.LPSE_DESK_EMAIL],
        headers=headers,
    ).send()


@db_periodic_task(crontab(minute=f"*/{settings.LPSE_DESK_MAIL_MINUTES}"))
def fetch_desk_mail() -> None:
    """Every few minutes: new e-mails to the helpdesk become tickets or replies (DESK-2)."""
    from .mail_intake import fetch_configured

    fetch_configured()

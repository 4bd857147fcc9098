"""Vendor e-mails leave through the task queue after commit; reminders and expiry run daily."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task(retries=3, retry_delay=60)
def send_vendor_email(subject: str, text: str, html: str, to: str) -> None:
    """Send one e-mail already rendered (Indonesian text + HTML) by the caller."""
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()


@db_periodic_task(crontab(minute="15", hour="*"))
def remind_and_expire_registrations() -> None:
    """Hourly: reminders before the verification deadline, expiry after it (REG-3)."""
    from .services import remind_and_expire

    remind_and_expire()

"""Account e-mails leave through the task queue, after the change has committed."""

from __future__ import annotations

from django.core.mail import EmailMessage
from huey.contrib.djhuey import db_task


@db_task(retries=3, retry_delay=60)
def send_account_email(subject: str, body: str, to: str) -> None:
    """Send one plain-text e-mail already rendered (in Indonesian) by the caller."""
    EmailMessage(subject=subject, body=body, to=[to]).send()

"""Training letters leave by e-mail through the task queue, after commit (TRN-3)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext
from huey.contrib.djhuey import db_task


@db_task(retries=3, retry_delay=60)
def send_training_letter(letter_id: int) -> None:
    """E-mail one letter with its PDF attached to its recipient."""
    from . import letters
    from .models import Letter

    letter = Letter.objects.select_related("request__work_unit").get(pk=letter_id)
    training = letter.request
    body = gettext(
        "Yth. %(to)s,\n\nTerlampir %(kind)s nomor %(number)s untuk pelatihan aplikasi SPSE "
        "%(unit)s (%(audience)s).\n\nSalam,\n%(lpse)s\n%(email)s\n"
    ) % {
        "to": letter.recipient,
        "kind": letter.get_kind_display().lower(),
        "number": letter.number,
        "unit": training.work_unit.name,
        "audience": training.get_audience_display(),
        "lpse": settings.LPSE_NAME,
        "email": settings.LPSE_EMAIL,
    }
    message = EmailMessage(
        subject=f"[{settings.LPSE_NAME}] {letter.get_kind_display()} {letter.number}",
        body=body,
        to=[letter.recipient],
    )
    message.attach(
        letter.file_name, letters.path_of(letter.stored_name).read_bytes(), "application/pdf"
    )
    message.send()

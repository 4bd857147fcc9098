"""Demo training requests for `lpse demo`, one in each stage of SOP 2.3 (TRN-1..TRN-4).

They are filed by the demo agency admin and PPK (is_demo users) through the real
services, so every step, letter number and audit event is genuine; the contact
addresses are under demo.lpse.invalid so no letter reaches a real office. Only
future dates are used (the services refuse the past). Running it again creates
nothing twice.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from lpse.accounts.choices import Role
from lpse.accounts.models import User
from lpse.sop.models import Procedure
from lpse.sop.services import load_procedures

from . import scheduling, services
from .choices import Audience, LetterKind
from .models import TrainingRequest

#: (filer, audience, stage, participants) - stage: submitted | confirmed | replied | assigned
DEMO_REQUESTS = (
    (
        "demo_adminagency",
        Audience.VENDOR,
        "assigned",
        ["CV Sumber Makmur (DEMO)", "PT Karya Bersama Konstruksi (DEMO)", "PT Tirta Abadi (DEMO)"],
    ),
    ("demo_ppk", Audience.AGENCY, "replied", ["Sri Wahyuni", "Iwan Kurniawan"]),
    ("demo_adminagency", Audience.AGENCY, "confirmed", ["Bambang Susilo", "Teguh Prasetyo"]),
    ("demo_ppk", Audience.VENDOR, "submitted", []),
)


def create_demo_trainings() -> list[str]:
    """Create the demo requests if none exist yet; returns lines to print."""
    if TrainingRequest.objects.filter(requested_by__is_demo=True).exists():
        return []
    if not Procedure.objects.filter(code=TrainingRequest.SOP_CODE).exists():
        load_procedures()
    users = {user.username: user for user in User.objects.filter(is_demo=True)}
    helpdesk = users.get("demo_helpdesk1")
    trainer = users.get("demo_pelatih")
    if helpdesk is None or trainer is None or not trainer.has_role(Role.TRAINER):
        return []
    tomorrow = timezone.localdate() + timedelta(days=1)
    lines = []
    for number, (filer, audience, stage, names) in enumerate(DEMO_REQUESTS, start=1):
        user = users.get(filer)
        if user is None or user.work_unit is None:
            continue
        slots = scheduling.propose_slots(audience, start=tomorrow, count=1, trainer=trainer)
        if not slots:
            continue
        slot = slots[0]
        training = services.file_request(
            work_unit=user.work_unit,
            audience=audience,
            letter_number=f"DEMO/{number:03d}/{user.work_unit.code}/{tomorrow.year}",
            letter_date=timezone.localdate(),
            letter_text=(
                "Dengan hormat, bersama ini kami mohon pelatihan penggunaan aplikasi SPSE "
                f"untuk {Audience(audience).label.lower()} di lingkungan {user.work_unit.name}. "
                "(CONTOH DEMO)"
            ),
            wanted_date=slot.day,
            participant_count=max(len(names), 5),
            participant_names=names,
            contact_name=user.get_full_name() or user.username,
            contact_phone="021-5550000",
            contact_email=f"{user.username}@demo.lpse.invalid",
            by=user,
        )
        if stage != "submitted":
            services.confirm_by_phone(
                training, by=helpdesk, call_minutes=3, agreed_date=slot.day, note="Contoh demo"
            )
        if stage in ("replied", "assigned"):
            services.schedule_session(
                training,
                by=helpdesk,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                room=slot.room,
                server=slot.server,
                trainer=slot.trainer,
            )
            kinds = [LetterKind.REPLY] + ([LetterKind.ASSIGNMENT] if stage == "assigned" else [])
            for kind in kinds:
                services.send_letter(
                    services.issue_letter(training, kind, by=helpdesk), by=helpdesk
                )
        training.refresh_from_db()
        lines.append(
            f"  {training.work_unit.name[:40]:<40} {training.get_audience_display():<30} "
            f"{slot.day:%d-%m-%Y}  {training.get_status_display()}"
        )
    return lines

"""Demo applicants for `lpse demo`: one registration in every state, clearly marked (REG-1..REG-6).

Every vendor it makes has `is_demo=True`, a User ID starting with `demo_`, a
name ending in "(DEMO)" and an e-mail under demo.invalid, so nothing reaches
a real company. They go through the real services (audit events, SOP cases);
only the dates of the pending ones are moved to spread the deadlines.
Running it again creates nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from lpse.accounts.models import User
from lpse.core import calendar
from lpse.sop.models import Procedure, StepRun
from lpse.sop.services import load_procedures

from . import services
from .models import BusinessField, Vendor, VerificationChecklistItem


@dataclass(frozen=True)
class DemoVendor:
    username: str
    name: str
    legal_form: str
    number: int
    state: str  # pending | near_expiry | expired | rejected | verified | activated
    days_ago: int = 0
    fields: tuple[str, ...] = ("K-41011",)


DEMO_VENDORS: tuple[DemoVendor, ...] = (
    DemoVendor("demo_karya_bersama", "PT Karya Bersama Konstruksi", "pt", 1, "pending", 0),
    DemoVendor("demo_sumber_makmur", "CV Sumber Makmur", "cv", 2, "pending", 2, ("B-46510",)),
    DemoVendor(
        "demo_tirta_abadi", "PT Tirta Abadi Teknik", "pt", 3, "near_expiry", 8, ("JK-71102",)
    ),
    DemoVendor(
        "demo_bina_usaha", "Koperasi Bina Usaha", "koperasi", 4, "expired", 14, ("JL-81210",)
    ),
    DemoVendor("demo_cahaya_timur", "CV Cahaya Timur", "cv", 5, "rejected", 0, ("B-46691",)),
    DemoVendor(
        "demo_mitra_sarana", "PT Mitra Sarana Informatika", "pt", 6, "verified", 0, ("JK-62020",)
    ),
    DemoVendor(
        "demo_penyedia_jaya",
        "PT Penyedia Jaya Mandiri",
        "pt",
        7,
        "activated",
        0,
        ("K-42101", "B-46499"),
    ),
)


def _data(demo: DemoVendor) -> dict:
    return {
        "name": f"{demo.name} (DEMO)",
        "legal_form": demo.legal_form,
        "tax_id": f"99{demo.number:013d}",
        "business_id": f"99{demo.number:011d}",
        "address": f"Jl. Contoh Demo No. {demo.number}, Tigaraksa",
        "city": "Kabupaten Tangerang",
        "phone": f"021-555000{demo.number}",
        "director_name": "Direktur Demo",
        "director_id_number": f"360300000000{demo.number:04d}",
        "business_fields": list(BusinessField.objects.filter(code__in=demo.fields)),
        "username": demo.username,
    }


def _backdate(vendor: Vendor, days: int) -> None:
    """Move a pending demo registration `days` calendar days into the past."""
    if not days:
        return
    registered = vendor.registered_at - timedelta(days=days)
    deadline = calendar.working_deadline(registered, services.VERIFICATION_DAYS)
    Vendor.objects.filter(pk=vendor.pk).update(
        registered_at=registered, verification_deadline=deadline
    )
    for run in StepRun.objects.filter(case__in=vendor.sop_cases).select_related("step"):
        run.started_at -= timedelta(days=days)
        if run.ended_at:
            run.ended_at -= timedelta(days=days)
        if run.step.number == 7:
            run.due_at = deadline
        run.save(update_fields=["started_at", "ended_at", "due_at"])
    vendor.refresh_from_db()


def create_demo_vendors(
    *, verifier: User | None, password: str | None, demos: tuple[DemoVendor, ...] = DEMO_VENDORS
) -> list[str]:
    """Create the demo applicants (`demos`) that do not exist yet; returns lines to print."""
    if not Procedure.objects.filter(code=Vendor.SOP_CODE).exists():
        load_procedures()
    lines = []
    items = list(VerificationChecklistItem.objects.filter(active=True))
    for demo in demos:
        if User.objects.filter(username=demo.username).exists():
            continue
        with transaction.atomic():
            email = f"{demo.username.replace('_', '.')}@demo.invalid"
            _confirmation, raw = services.request_confirmation(email)
            vendor = services.register_vendor(raw, _data(demo))
            User.objects.filter(pk=vendor.user_id).update(is_demo=True)
            Vendor.objects.filter(pk=vendor.pk).update(is_demo=True)
            _backdate(vendor, demo.days_ago)
            if demo.state == "expired":
                services.expire_vendor(vendor.pk, now=timezone.now())
            elif demo.state in ("rejected", "verified", "activated") and verifier is not None:
                verification = services.open_verification(vendor, by=verifier)
                complete = demo.state != "rejected"
                _verification, code = services.decide_verification(
                    verification,
                    outcome="complete" if complete else "rejected",
                    checks=[services.CheckInput(item, complete) for item in items],
                    originals_seen=complete,
                    reasons="" if complete else "Akta pendirian tidak sesuai NPWP (contoh demo).",
                    by=verifier,
                )
                if demo.state == "activated" and password and code:
                    services.activate(demo.username, code, password)
        vendor.refresh_from_db()
        lines.append(
            f"  {demo.username:<20} {vendor.registration_number}  {vendor.get_status_display()}"
            + (" (aktif)" if vendor.activated_at else "")
        )
    return lines

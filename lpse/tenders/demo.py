"""Demo tenders for `lpse demo`: one tender in each part of its life, clearly marked (BID-1,
BID-6, ERR-3).

Every tender is made by the demo Pokja members through the real services (codes,
transitions, audit events, SOP 3.5 cases), with `at=` moments in the past so that
the schedules put each one in a different stage today: a draft, one in document
download, one in bid upload with an answered question and an applied schedule
change plus a pending one for the head of LPSE, one in evaluation, one in the
objection period with a winner, a closed one and a cancelled one. Names end in
"(DEMO)", `is_demo` is set, and the participating companies are demo vendors with
e-mails under demo.invalid. Running it again creates nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from lpse.accounts.models import User, WorkUnit
from lpse.vendors.demo import DemoVendor, create_demo_vendors
from lpse.vendors.models import Vendor

from . import changes, participation, services
from . import schedule as rules
from .choices import Category, DocumentKind, EvaluationOutcome, Method, StageKind
from .models import Tender

#: Companies that take part in the demo tenders (verified and activated by `lpse demo`).
TENDER_VENDORS = (
    DemoVendor(
        "demo_graha_beton", "PT Graha Beton Perkasa", "pt", 21, "activated", 0, ("K-42101",)
    ),
    DemoVendor("demo_medika_prima", "CV Medika Prima", "cv", 22, "activated", 0, ("B-46691",)),
    DemoVendor(
        "demo_rekayasa_nusantara",
        "PT Rekayasa Nusantara Konsultan",
        "pt",
        23,
        "activated",
        0,
        ("JK-71102",),
    ),
)

#: A one-page PDF standing in for the tender document (clearly a demo).
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
    b"/Resources << /Font << /F1 5 0 R >> >> >> endobj\n"
    b"4 0 obj << /Length 62 >> stream\n"
    b"BT /F1 18 Tf 72 770 Td (DOKUMEN PEMILIHAN - DATA DEMO) Tj ET\n"
    b"endstream endobj\n5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


@dataclass(frozen=True)
class DemoTender:
    name: str
    pokja: str
    unit_keywords: tuple[str, ...]
    method: str
    category: str
    hps: str
    #: the stage running today (None: the whole schedule is over, or not started for a draft)
    stage: str | None
    state: str  # draft | running | closed | cancelled
    location: str
    #: an applied and a pending schedule change (SOP 3.5)
    schedule_changes: bool = False


DEMO_TENDERS: tuple[DemoTender, ...] = (
    DemoTender(
        "Pengadaan Komputer Laboratorium SMP Negeri 1 Tigaraksa",
        "demo_pokja2",
        ("pendidikan",),
        Method.TENDER,
        Category.GOODS,
        "845000000",
        None,
        "draft",
        "Kecamatan Tigaraksa",
    ),
    DemoTender(
        "Rehabilitasi Jalan Raya Pasar Kemis - Sindang Jaya",
        "demo_pokja1",
        ("bina marga", "pekerjaan umum"),
        Method.TENDER,
        Category.CONSTRUCTION,
        "4750000000",
        StageKind.DOWNLOAD,
        "running",
        "Kecamatan Pasar Kemis\nKecamatan Sindang Jaya",
    ),
    DemoTender(
        "Pembangunan Gedung Puskesmas Kecamatan Cisoka",
        "demo_pokja3",
        ("kesehatan",),
        Method.TENDER,
        Category.CONSTRUCTION,
        "6320000000",
        StageKind.BID_UPLOAD,
        "running",
        "Kecamatan Cisoka",
        schedule_changes=True,
    ),
    DemoTender(
        "Jasa Konsultansi Perencanaan Drainase Kawasan Perkotaan Curug",
        "demo_pokja1",
        ("bina marga", "pekerjaan umum"),
        Method.SELECTION,
        Category.CONSULTANCY,
        "1180000000",
        StageKind.EVALUATION,
        "running",
        "Kecamatan Curug",
    ),
    DemoTender(
        "Pengadaan Obat dan Bahan Medis Habis Pakai Puskesmas",
        "demo_pokja3",
        ("kesehatan",),
        Method.TENDER,
        Category.GOODS,
        "2150000000",
        StageKind.OBJECTION,
        "running",
        "Gudang Farmasi Dinas Kesehatan, Tigaraksa",
    ),
    DemoTender(
        "Pemeliharaan Gedung Kantor Dinas Pendidikan",
        "demo_pokja2",
        ("pendidikan",),
        Method.TENDER,
        Category.OTHER_SERVICES,
        "575000000",
        None,
        "closed",
        "Kecamatan Tigaraksa",
    ),
    DemoTender(
        "Pengadaan Mebel Sekolah Dasar Negeri",
        "demo_pokja2",
        ("pendidikan",),
        Method.TENDER,
        Category.GOODS,
        "690000000",
        StageKind.CLARIFICATION,
        "cancelled",
        "Kabupaten Tangerang",
    ),
)


def demo_schedule(start: datetime) -> list[rules.Row]:
    """A valid schedule starting at `start`: 1-day stages around an upload stage one working
    day longer than the configured minimum."""
    day = timedelta(days=1)
    rows = [
        rules.Row(StageKind.ANNOUNCEMENT, start, start + day),
        rules.Row(StageKind.DOWNLOAD, start + day, start + 2 * day),
        rules.Row(StageKind.CLARIFICATION, start + 2 * day, start + 3 * day),
    ]
    upload_start = start + 3 * day
    upload_end = max(
        rules.upload_minimum_end(upload_start, rules.min_upload_days() + 1), upload_start + 7 * day
    )
    rows.append(rules.Row(StageKind.BID_UPLOAD, upload_start, upload_end))
    rows.append(rules.Row(StageKind.BID_OPENING, upload_end, upload_end + timedelta(hours=4)))
    evaluation = upload_end + timedelta(hours=4)
    rows.append(rules.Row(StageKind.EVALUATION, evaluation, evaluation + 3 * day))
    winner = evaluation + 3 * day
    rows.append(rules.Row(StageKind.WINNER_ANNOUNCEMENT, winner, winner + day))
    rows.append(rules.Row(StageKind.OBJECTION, winner + day, winner + 4 * day))
    rows.append(rules.Row(StageKind.CONTRACT, winner + 4 * day, winner + 8 * day))
    return rows


def _unit(keywords: tuple[str, ...]) -> WorkUnit | None:
    units = list(WorkUnit.objects.filter(is_active=True).order_by("name"))
    for word in keywords:
        for unit in units:
            if word in unit.name.lower():
                return unit
    return units[0] if units else None


def _upload(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")


def _stage(rows, kind) -> rules.Row:
    return next(row for row in rows if row.kind == kind)


def _at(row: rules.Row, hours: float = 1) -> datetime:
    return row.starts_at + timedelta(hours=hours)


def create_demo_tenders(*, password: str | None) -> list[str]:
    """Create the demo tenders that do not exist yet; returns lines to print."""
    verifier = User.objects.filter(username="demo_verifikator1").first()
    lines = create_demo_vendors(verifier=verifier, password=password, demos=TENDER_VENDORS)
    users = {u.username: u for u in User.objects.filter(is_demo=True)}
    ppk = users.get("demo_ppk")
    head = users.get("demo_kepala")
    companies = [
        vendor for vendor in Vendor.objects.filter(is_demo=True).order_by("pk") if vendor.can_bid
    ]
    if ppk is None or head is None:
        return lines
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    for number, demo in enumerate(DEMO_TENDERS, start=1):
        name = f"{demo.name} (DEMO)"
        pokja = users.get(demo.pokja)
        unit = _unit(demo.unit_keywords)
        if pokja is None or unit is None or Tender.objects.filter(name=name).exists():
            continue
        created = _create(demo, name, number, pokja, ppk, unit, companies, head, now)
        tender = Tender.objects.prefetch_related("stages").get(pk=created.pk)
        lines.append(f"  {tender.code}  {tender.stage_label():<36} {name}")
    return lines


def demo_start(demo: DemoTender, now: datetime) -> datetime:
    """When the schedule starts so that today falls 40% into the demo's stage (a draft
    starts in three days; a closed tender ended a day ago)."""
    if demo.state == "draft":
        return now + timedelta(days=3)
    start = now
    for _attempt in range(3):  # the upload stage's length depends on the working days
        rows = demo_schedule(start)
        if demo.stage is None:
            target = rows[-1].ends_at + timedelta(days=1)
        else:
            stage = _stage(rows, demo.stage)
            target = stage.starts_at + (stage.ends_at - stage.starts_at) * 0.4
        start = (start - (target - now)).replace(minute=0, second=0, microsecond=0)
    return start


def _create(demo, name, number, pokja, ppk, unit, companies, head, now) -> Tender:
    start = demo_start(demo, now)
    rows = demo_schedule(start)
    created = start - timedelta(days=2)
    hps = Decimal(demo.hps)
    tender = services.create_tender(
        {
            "name": name,
            "work_unit": unit,
            "budget_year": start.year,
            "ceiling": hps * Decimal("1.1"),
            "hps": hps,
            "method": demo.method,
            "category": demo.category,
            "qualification": "post",
            "qualification_requirements": (
                "Memiliki NIB dengan KBLI sesuai pekerjaan\nMemiliki NPWP dan telah "
                "memenuhi kewajiban perpajakan tahun terakhir\nPengalaman paling kurang "
                "satu pekerjaan sejenis dalam 4 tahun terakhir"
            ),
            "location": demo.location,
            "description": f"Contoh paket demo nomor {number}: {demo.name}.",
            "ppk": ppk,
        },
        by=pokja,
        accept_pact=True,
        at=created,
    )
    services.accept_pact(tender, by=ppk, at=created + timedelta(hours=3))
    services.save_schedule(tender, rows, by=pokja)
    services.upload_document(
        tender,
        _upload(f"dokumen-pemilihan-demo-{number}.pdf"),
        title="Dokumen Pemilihan (DEMO)",
        kind=DocumentKind.TENDER_DOCUMENT,
        by=pokja,
        at=created,
    )
    if demo.state == "draft":
        return tender
    services.announce_tender(tender, by=pokja, at=start)
    tender = Tender.objects.prefetch_related("stages").get(pk=tender.pk)
    if demo.state == "cancelled":
        _join_all(tender, companies[:1], _at(_stage(rows, StageKind.DOWNLOAD)), now)
        services.cancel_tender(
            tender,
            "Anggaran dialihkan untuk penanganan bencana (contoh demo).",
            by=pokja,
            at=min(now, _at(_stage(rows, StageKind.CLARIFICATION), 2)),
        )
        return tender
    _join_all(tender, companies, _at(_stage(rows, StageKind.DOWNLOAD)), now)
    participants = list(tender.participants.select_related("vendor").order_by("pk"))
    _clarification(tender, rows, pokja, participants, now)
    if demo.schedule_changes:
        _schedule_changes(tender, pokja, head, now)
        return tender
    _evaluate_and_finish(tender, rows, pokja, participants, now, close=demo.state == "closed")
    return tender


def _join_all(tender, companies, at, now) -> None:
    if at > now:
        return
    for index, company in enumerate(companies):
        participation.join_tender(
            tender,
            company,
            accept_pact=True,
            by=company.user,
            at=at + timedelta(minutes=17 * index),
        )


def _clarification(tender, rows, pokja, participants, now) -> None:
    stage = _stage(rows, StageKind.CLARIFICATION)
    if not participants or _at(stage, 3) > now:
        return
    question = participation.ask_question(
        participants[0],
        "Apakah pengalaman pekerjaan sejenis boleh berupa subkontrak? (contoh demo)",
        by=participants[0].vendor.user,
        at=_at(stage, 1),
    )
    participation.answer_question(
        question,
        "Boleh, bila dibuktikan dengan kontrak dan berita acara serah terima (contoh demo).",
        by=pokja,
        at=_at(stage, 3),
    )


def _schedule_changes(tender, pokja, head, now) -> None:
    """An applied change (upload extended by two days) and a pending one for the head."""
    tender = Tender.objects.prefetch_related("stages").get(pk=tender.pk)
    current = rules.rows_of(tender.stages.all())
    asked = now - timedelta(hours=5)
    applied = changes.request_change(
        tender,
        _extend_from(current, StageKind.BID_UPLOAD, timedelta(days=2)),
        "Lokasi pemberian penjelasan lapangan tergenang banjir; waktu upload ditambah 2 hari "
        "(contoh demo).",
        by=pokja,
        at=asked,
    )
    changes.receive_change(applied, by=head, at=asked + timedelta(hours=1))
    changes.approve_change(applied, by=head, at=asked + timedelta(hours=1, minutes=20))
    tender = Tender.objects.prefetch_related("stages").get(pk=tender.pk)
    current = rules.rows_of(tender.stages.all())
    changes.request_change(
        tender,
        _extend_from(current, StageKind.EVALUATION, timedelta(days=1)),
        "Dua anggota Pokja mengikuti pelatihan LKPP pada jadwal evaluasi (contoh demo).",
        by=pokja,
        at=now - timedelta(minutes=40),
    )


def _extend_from(rows, kind, delta) -> list[rules.Row]:
    position = StageKind.ORDER.index(kind)
    out = []
    for row in rows:
        index = StageKind.ORDER.index(row.kind)
        if index == position:
            out.append(rules.Row(row.kind, row.starts_at, row.ends_at + delta))
        elif index > position:
            out.append(rules.Row(row.kind, row.starts_at + delta, row.ends_at + delta))
        else:
            out.append(row)
    return out


def _evaluate_and_finish(tender, rows, pokja, participants, now, *, close: bool) -> None:
    evaluation = _stage(rows, StageKind.EVALUATION)
    if not participants or _at(evaluation, 2) > now:
        return
    base = tender.hps
    for index, participant in enumerate(participants):
        if _at(evaluation, 2 + index) > now:
            break
        passed = index != 1
        price = (base * Decimal(str(0.92 + 0.03 * index))).quantize(Decimal("1.00"))
        participation.record_evaluation(
            participant,
            bid_price=price,
            corrected_price=price,
            qualification_passed=passed,
            technical_passed=passed if passed else None,
            price_passed=passed if passed else None,
            outcome=EvaluationOutcome.PASSED if passed else EvaluationOutcome.FAILED,
            reasons="" if passed else "Tidak melampirkan bukti pengalaman sejenis (contoh demo).",
            rank=None,
            by=pokja,
            at=_at(evaluation, 2 + index),
        )
    winner_stage = _stage(rows, StageKind.WINNER_ANNOUNCEMENT)
    if _at(winner_stage, 2) > now:
        return
    participation.announce_winner(participants[0], by=pokja, at=_at(winner_stage, 2))
    objection_stage = _stage(rows, StageKind.OBJECTION)
    if len(participants) > 1 and _at(objection_stage, 5) <= now:
        objection = participation.file_objection(
            participants[1],
            "Kami keberatan: bukti pengalaman telah kami unggah pada data kualifikasi "
            "(contoh demo).",
            by=participants[1].vendor.user,
            at=_at(objection_stage, 3),
        )
        participation.answer_objection(
            objection,
            "Sanggahan tidak diterima: berkas yang diunggah bukan pekerjaan sejenis (contoh demo).",
            by=pokja,
            at=_at(objection_stage, 5),
        )
    if close and objection_stage.ends_at <= now:
        services.close_tender(tender, by=pokja, at=objection_stage.ends_at + timedelta(hours=2))

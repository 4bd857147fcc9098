"""The training letters as PDFs (TRN-3): the reply to the work unit (surat jawaban)
and the trainer's assignment (surat tugas), on the LPSE letterhead with the
head's signature block, dated in Indonesian. Stored under MEDIA_ROOT by SHA-256."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation
from reportlab.lib.units import mm

from lpse.core import pdf

from .choices import LetterKind

STORE_DIR = "surat"


def letter_number(kind: str, year: int, sequence: int) -> str:
    template = (
        settings.LPSE_TRAINING_REPLY_NUMBER
        if kind == LetterKind.REPLY
        else settings.LPSE_TRAINING_ASSIGNMENT_NUMBER
    )
    return template.format(seq=sequence, year=year)


def _session_lines(session) -> list[tuple[str, str]]:
    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    return [
        ("Hari/tanggal", pdf.indonesian_date(start.date(), weekday=True)),
        ("Waktu", f"{start:%H.%M} - {end:%H.%M} WIB"),
        ("Tempat", f"{session.room.name}, {settings.LPSE_NAME}"),
        ("Server latihan", session.server.name),
    ]


def _rows(canvas, y: float, rows: list[tuple[str, str]]) -> float:
    canvas.setFont("Helvetica", 11)
    for label, value in rows:
        canvas.drawString(pdf.LEFT + 10 * mm, y, label)
        lines = pdf.wrap(value, pdf.RIGHT - pdf.LEFT - 55 * mm, size=11)
        canvas.drawString(pdf.LEFT + 45 * mm, y, f": {lines[0]}")
        for line in lines[1:]:
            y -= 6 * mm
            canvas.drawString(pdf.LEFT + 47 * mm, y, line)
        y -= 7 * mm
    return y


def _heading(canvas, y: float, letter, subject: str, to: list[str]) -> float:
    canvas.setFont("Helvetica", 11)
    day = timezone.localtime(letter.issued_at).date()
    canvas.drawRightString(
        pdf.RIGHT, y, f"{settings.LPSE_LETTER_PLACE}, {pdf.indonesian_date(day)}"
    )
    for label, value in (("Nomor", letter.number), ("Lampiran", "-"), ("Perihal", subject)):
        canvas.drawString(pdf.LEFT, y, label)
        canvas.drawString(pdf.LEFT + 25 * mm, y, f": {value}")
        y -= 6 * mm
    y -= 6 * mm
    canvas.drawString(pdf.LEFT, y, "Kepada Yth.")
    for line in to:
        y -= 6 * mm
        canvas.drawString(pdf.LEFT, y, line)
    canvas.drawString(pdf.LEFT, y - 6 * mm, "di Tempat")
    return y - 16 * mm


def _sign(canvas, y: float, letter, *, dated: bool) -> None:
    pdf.head_signature(
        canvas,
        y,
        place=settings.LPSE_LETTER_PLACE,
        day=timezone.localtime(letter.issued_at).date() if dated else None,
        title=settings.LPSE_HEAD_TITLE,
        name=letter.signer_name,
        nip=settings.LPSE_HEAD_NIP,
    )


def reply_pdf(letter) -> bytes:
    """Surat jawaban: the training is agreed, with its date, time, place and server."""
    request = letter.request
    session = request.session
    canvas, buffer = pdf.new_canvas(f"Surat Jawaban {letter.number}")
    y = pdf.letterhead(canvas)
    y = _heading(
        canvas,
        y,
        letter,
        "Jawaban permohonan pelatihan aplikasi SPSE",
        [f"Kepala {request.work_unit.name}", f"u.p. {request.contact_name}"],
    )
    letter_day = pdf.indonesian_date(request.letter_date)
    y = pdf.paragraph(
        canvas,
        y,
        f"Menindaklanjuti surat Saudara nomor {request.letter_number} tanggal {letter_day} "
        f"perihal permohonan pelatihan aplikasi SPSE, dengan hormat kami sampaikan bahwa "
        f"{settings.LPSE_NAME} bersedia menyelenggarakan pelatihan penggunaan aplikasi SPSE "
        f"bagi {request.get_audience_display()} sebanyak {request.participant_count} orang, "
        f"yang akan dilaksanakan pada:",
    )
    y = _rows(canvas, y - 2 * mm, _session_lines(session))
    y = pdf.paragraph(
        canvas,
        y - 2 * mm,
        "Peserta dimohon hadir 15 menit sebelum pelatihan dimulai dengan membawa User ID "
        "aplikasi SPSE masing-masing. Demikian kami sampaikan, atas perhatian dan kerja "
        "samanya kami ucapkan terima kasih.",
    )
    _sign(canvas, y - 8 * mm, letter, dated=False)
    pdf.footer(canvas, letter.number, 1, 1)
    return pdf.finish(canvas, buffer)


def assignment_pdf(letter) -> bytes:
    """Surat tugas: the head assigns the trainer to give the training (SOP 2.4 step 6)."""
    request = letter.request
    session = request.session
    trainer = session.trainer
    canvas, buffer = pdf.new_canvas(f"Surat Tugas {letter.number}")
    y = pdf.letterhead(canvas, "Surat Tugas", "")
    canvas.setFont("Helvetica", 11)
    canvas.drawCentredString(pdf.WIDTH / 2, y + 6 * mm, f"Nomor: {letter.number}")
    y = pdf.paragraph(
        canvas, y - 4 * mm, f"{settings.LPSE_HEAD_TITLE} dengan ini menugaskan kepada:"
    )
    y = _rows(
        canvas,
        y - 2 * mm,
        [
            ("Nama", trainer.get_full_name() or trainer.username),
            ("Jabatan", "Pelatih aplikasi SPSE"),
        ],
    )
    y = pdf.paragraph(
        canvas,
        y - 2 * mm,
        f"untuk melaksanakan pelatihan penggunaan aplikasi SPSE bagi "
        f"{request.get_audience_display()} dari {request.work_unit.name} sebanyak "
        f"{request.participant_count} orang, pada:",
    )
    y = _rows(canvas, y - 2 * mm, _session_lines(session))
    y = pdf.paragraph(
        canvas,
        y - 2 * mm,
        "Setelah melaksanakan tugas, yang bersangkutan mencatat kehadiran peserta dan hasil "
        "pelatihan dalam sistem LPSE. Surat tugas ini dibuat untuk dilaksanakan dengan penuh "
        "tanggung jawab.",
    )
    _sign(canvas, y - 8 * mm, letter, dated=True)
    pdf.footer(canvas, letter.number, 1, 1)
    return pdf.finish(canvas, buffer)


def draw(letter) -> bytes:
    """The letter's PDF, always in Indonesian (an official letter), whatever the language
    the officer reads the pages in."""
    with translation.override("id"):
        return reply_pdf(letter) if letter.kind == LetterKind.REPLY else assignment_pdf(letter)


def store(content: bytes) -> tuple[str, str]:
    """Write the PDF under MEDIA_ROOT by its SHA-256; returns (stored name, sha256)."""
    digest = hashlib.sha256(content).hexdigest()
    stored_name = f"{STORE_DIR}/{digest[:2]}/{digest}.pdf"
    final = Path(settings.MEDIA_ROOT) / stored_name
    if not final.exists():
        final.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(dir=final.parent, prefix=".letter-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(content)
            os.replace(temp_name, final)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
    return stored_name, digest


def path_of(stored_name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / stored_name

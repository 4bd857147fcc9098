"""Shared drawing of the LPSE's PDF documents with reportlab: letterhead, the
head's signature block, footer, and dates written the Indonesian way.

Used by the vendor forms (REG-1, REG-5) and the training letters (TRN-3).
Documents are drawn with `invariant=1`, so the same input gives the same bytes.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

WIDTH, HEIGHT = A4
LEFT = 20 * mm
RIGHT = WIDTH - 20 * mm

#: Month names of official letters: always Indonesian, whatever the reader's language.
MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
WEEKDAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def indonesian_date(day: date, *, weekday: bool = False) -> str:
    """ "29 November 2026", or "Minggu, 29 November 2026" with `weekday`."""
    text = f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"
    return f"{WEEKDAYS_ID[day.weekday()]}, {text}" if weekday else text


def new_canvas(title: str) -> tuple[Canvas, BytesIO]:
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=0)
    canvas.setTitle(title)
    canvas.setAuthor(settings.LPSE_NAME)
    return canvas, buffer


def letterhead(canvas: Canvas, title: str = "", number: str = "") -> float:
    """The kop surat (parent body, LPSE name, address, contacts, rule); with `title` also a
    centred document title and number. Returns the y where the body starts."""
    canvas.setFont("Helvetica-Bold", 13)
    canvas.drawCentredString(WIDTH / 2, HEIGHT - 20 * mm, settings.LPSE_PARENT.upper())
    canvas.setFont("Helvetica-Bold", 15)
    canvas.drawCentredString(WIDTH / 2, HEIGHT - 27 * mm, settings.LPSE_NAME.upper())
    canvas.setFont("Helvetica", 9)
    canvas.drawCentredString(WIDTH / 2, HEIGHT - 32 * mm, settings.LPSE_ADDRESS)
    contact = " | ".join(
        part for part in (settings.LPSE_EMAIL, settings.LPSE_PHONE, settings.LPSE_WEBSITE) if part
    )
    canvas.drawCentredString(WIDTH / 2, HEIGHT - 36 * mm, contact)
    canvas.setLineWidth(1.5)
    canvas.line(LEFT, HEIGHT - 39 * mm, RIGHT, HEIGHT - 39 * mm)
    if not title:
        return HEIGHT - 48 * mm
    canvas.setFont("Helvetica-Bold", 13)
    canvas.drawCentredString(WIDTH / 2, HEIGHT - 50 * mm, title.upper())
    canvas.setFont("Helvetica", 10)
    if number:
        canvas.drawCentredString(WIDTH / 2, HEIGHT - 56 * mm, _("Nomor dokumen: %s") % number)
    return HEIGHT - 68 * mm


def wrap(text: str, width: float, font: str = "Helvetica", size: float = 10) -> list[str]:
    """Split `text` into lines no wider than `width` points (paragraphs kept)."""
    lines: list[str] = []
    for paragraph in (text or "").splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}".strip()
            if line and stringWidth(candidate, font, size) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def paragraph(canvas: Canvas, y: float, text: str, *, size: float = 11, indent: float = 0) -> float:
    """Draw wrapped text from `y` down; returns the y below it."""
    canvas.setFont("Helvetica", size)
    for line in wrap(text, RIGHT - LEFT - indent, size=size):
        canvas.drawString(LEFT + indent, y, line)
        y -= size * 0.55 * mm  # one and a half lines
    return y


def head_signature(
    canvas: Canvas,
    y: float,
    *,
    place: str,
    day: date | None,
    title: str,
    name: str,
    nip: str = "",
) -> None:
    """The signature block of the head: place and date (None when the letter is dated at
    its top), title, space for the signature, name and NIP."""
    x = RIGHT - 75 * mm
    canvas.setFont("Helvetica", 11)
    if day is not None:
        canvas.drawString(x, y, f"{place}, {indonesian_date(day)}")
    canvas.drawString(x, y - 6 * mm, title)
    canvas.setFont("Helvetica-Bold", 11)
    canvas.drawString(x, y - 30 * mm, name or "(.......................................)")
    if nip:
        canvas.setFont("Helvetica", 10)
        canvas.drawString(x, y - 35 * mm, f"NIP. {nip}")


def footer(canvas: Canvas, number: str, page: int, pages: int) -> None:
    canvas.setFont("Helvetica", 8)
    canvas.drawString(LEFT, 12 * mm, number)
    canvas.drawRightString(RIGHT, 12 * mm, _("Halaman %(page)d dari %(pages)d") % locals())


def finish(canvas: Canvas, buffer: BytesIO) -> bytes:
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()

"""PDF documents of registration (REG-1) and the activation slip (REG-5), drawn with reportlab."""

from __future__ import annotations

from io import BytesIO

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

WIDTH, HEIGHT = A4
LEFT = 20 * mm
RIGHT = WIDTH - 20 * mm


def _letterhead(canvas: Canvas, title: str, number: str) -> float:
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
    canvas.setFont("Helvetica-Bold", 13)
    canvas.drawCentredString(WIDTH / 2, HEIGHT - 50 * mm, title.upper())
    canvas.setFont("Helvetica", 10)
    canvas.drawCentredString(WIDTH / 2, HEIGHT - 56 * mm, _("Nomor dokumen: %s") % number)
    return HEIGHT - 68 * mm


def _fields(canvas: Canvas, y: float, labels: list[str]) -> float:
    canvas.setFont("Helvetica", 10)
    for number, label in enumerate(labels, start=1):
        canvas.drawString(LEFT, y, f"{number}. {label}")
        canvas.drawString(LEFT + 70 * mm, y, ":")
        canvas.setDash(1, 2)
        canvas.line(LEFT + 73 * mm, y - 1, RIGHT, y - 1)
        canvas.setDash()
        y -= 9 * mm
    return y


def _signature(canvas: Canvas, y: float) -> None:
    canvas.setFont("Helvetica", 10)
    canvas.drawString(RIGHT - 70 * mm, y, _("........................, ..................20...."))
    canvas.drawString(RIGHT - 70 * mm, y - 6 * mm, _("Direktur/Pimpinan Perusahaan,"))
    canvas.drawString(RIGHT - 70 * mm, y - 12 * mm, _("(materai, tanda tangan dan cap)"))
    canvas.drawString(RIGHT - 70 * mm, y - 35 * mm, "(.......................................)")


def _footer(canvas: Canvas, number: str, page: int, pages: int) -> None:
    canvas.setFont("Helvetica", 8)
    canvas.drawString(LEFT, 12 * mm, number)
    canvas.drawRightString(RIGHT, 12 * mm, _("Halaman %(page)d dari %(pages)d") % locals())


def _finish(canvas: Canvas, buffer: BytesIO) -> bytes:
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def registration_form(number: str) -> bytes:
    """Formulir pendaftaran penyedia: the data the online form asks, to bring signed."""
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=0)
    canvas.setTitle(_("Formulir Pendaftaran Penyedia Barang/Jasa"))
    y = _letterhead(canvas, _("Formulir Pendaftaran Penyedia Barang/Jasa"), number)
    y = _fields(
        canvas,
        y,
        [
            _("Nama perusahaan"),
            _("Bentuk usaha (PT/CV/Firma/Koperasi/...)"),
            _("NPWP perusahaan (15/16 digit)"),
            _("NIB (13 digit)"),
            _("Alamat"),
            _("Kabupaten/kota"),
            _("Telepon"),
            _("E-mail perusahaan"),
            _("Nama direktur/pimpinan"),
            _("NIK direktur/pimpinan (16 digit)"),
            _("Bidang usaha"),
            _("User ID yang diinginkan"),
        ],
    )
    canvas.drawString(LEFT, y - 2 * mm, _("Dengan ini kami menyatakan data di atas benar."))
    _signature(canvas, y - 14 * mm)
    _footer(canvas, number, 1, 1)
    return _finish(canvas, buffer)


def participation_form(number: str) -> bytes:
    """Formulir keikutsertaan: the vendor's statement to follow the rules of e-procurement."""
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=0)
    canvas.setTitle(_("Formulir Keikutsertaan"))
    y = _letterhead(canvas, _("Formulir Keikutsertaan Pengadaan Secara Elektronik"), number)
    y = _fields(
        canvas,
        y,
        [_("Nama"), _("Jabatan"), _("Nama perusahaan"), _("NPWP perusahaan"), _("User ID")],
    )
    canvas.setFont("Helvetica", 10)
    statements = [
        _("Dengan ini menyatakan bersedia mengikuti pengadaan barang/jasa secara elektronik"),
        _("melalui %(lpse)s dan:") % {"lpse": settings.LPSE_NAME},
        _("1. menjaga kerahasiaan User ID dan kata sandi;"),
        _("2. bertanggung jawab atas semua tindakan dengan User ID tersebut;"),
        _("3. tunduk pada ketentuan pengadaan barang/jasa pemerintah yang berlaku;"),
        _("4. memberitahukan LPSE bila data perusahaan berubah."),
    ]
    for line in statements:
        canvas.drawString(LEFT, y, line)
        y -= 6 * mm
    _signature(canvas, y - 10 * mm)
    _footer(canvas, number, 1, 1)
    return _finish(canvas, buffer)


def activation_slip(*, vendor, code: str, link: str, expires_at, verifier) -> bytes:
    """The desk's printed slip with the one-time activation code (REG-5)."""
    number = f"{vendor.registration_number}/AKTIVASI"
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=0)
    canvas.setTitle(_("Slip Aktivasi Akun Penyedia"))
    y = _letterhead(canvas, _("Slip Aktivasi Akun Penyedia"), number)
    canvas.setFont("Helvetica", 11)
    rows = [
        (_("Nama perusahaan"), vendor.name),
        (_("Nomor pendaftaran"), vendor.registration_number),
        (_("User ID"), vendor.user.username),
        (_("Kode aktivasi"), code),
        (
            _("Berlaku sampai"),
            timezone.localtime(expires_at).strftime("%d-%m-%Y %H:%M WIB") if expires_at else "",
        ),
        (_("Diverifikasi oleh"), verifier.get_full_name() or verifier.username),
    ]
    for label, value in rows:
        canvas.drawString(LEFT, y, label)
        canvas.drawString(LEFT + 50 * mm, y, f": {value}")
        y -= 8 * mm
    canvas.setFont("Helvetica", 10)
    y -= 4 * mm
    for line in (
        _("Buka alamat berikut, masukkan User ID dan kode aktivasi, lalu tetapkan kata sandi"),
        _("Anda sendiri. Kode hanya dapat dipakai satu kali. Petugas LPSE tidak pernah"),
        _("mengetahui kata sandi Anda dan tidak akan memintanya."),
    ):
        canvas.drawString(LEFT, y, line)
        y -= 6 * mm
    canvas.setFont("Courier", 9)
    canvas.drawString(LEFT, y - 2 * mm, link)
    _footer(canvas, number, 1, 1)
    return _finish(canvas, buffer)

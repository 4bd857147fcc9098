"""PDF documents of registration (REG-1) and the activation slip (REG-5), drawn with reportlab."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from lpse.core.pdf import LEFT, RIGHT, finish, footer, letterhead, new_canvas


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


def registration_form(number: str) -> bytes:
    """Formulir pendaftaran penyedia: the data the online form asks, to bring signed."""
    canvas, buffer = new_canvas(_("Formulir Pendaftaran Penyedia Barang/Jasa"))
    y = letterhead(canvas, _("Formulir Pendaftaran Penyedia Barang/Jasa"), number)
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
    footer(canvas, number, 1, 1)
    return finish(canvas, buffer)


def participation_form(number: str) -> bytes:
    """Formulir keikutsertaan: the vendor's statement to follow the rules of e-procurement."""
    canvas, buffer = new_canvas(_("Formulir Keikutsertaan"))
    y = letterhead(canvas, _("Formulir Keikutsertaan Pengadaan Secara Elektronik"), number)
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
    footer(canvas, number, 1, 1)
    return finish(canvas, buffer)


def activation_slip(*, vendor, code: str, link: str, expires_at, verifier) -> bytes:
    """The desk's printed slip with the one-time activation code (REG-5)."""
    number = f"{vendor.registration_number}/AKTIVASI"
    canvas, buffer = new_canvas(_("Slip Aktivasi Akun Penyedia"))
    y = letterhead(canvas, _("Slip Aktivasi Akun Penyedia"), number)
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
    footer(canvas, number, 1, 1)
    return finish(canvas, buffer)

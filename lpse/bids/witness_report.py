"""The Berita Acara Kesaksian (Pasal 9(2), ERR-1): a numbered PDF on the LPSE letterhead,
signed electronically by the LPSE with a PAdES signature (pyhanko), stored write-once.

`draw(report, request, files, witnesses)` gives the unsigned PDF (always Indonesian, an
official document); `sign_pdf(data, key=..., certificate=...)` adds a PAdES-B-B signature
made with the LPSE authority's key (`authority.get_authority()`); `store` writes it under
LPSE_BIDS_DIR/reports by its SHA-256 and never overwrites.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from io import BytesIO
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.utils import timezone, translation
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore
from reportlab.lib.units import mm

from lpse.core import pdf

from .loop import off_loop

STORE_DIR = "reports"
BOTTOM = 25 * mm
SIGNATURE_FIELD = "TandaTanganLPSE"


def report_number(year: int, sequence: int) -> str:
    return settings.LPSE_WITNESS_REPORT_NUMBER.format(seq=sequence, year=year)


# --- Signing (PAdES) --------------------------------------------------------------------------


def _asn1_certificate(certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _asn1_key(key) -> asn1_keys.PrivateKeyInfo:
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return asn1_keys.PrivateKeyInfo.load(der)


def sign_pdf(
    data: bytes,
    *,
    key,
    certificate,
    chain=(),
    reason: str = "",
    location: str = "",
    name: str = "",
) -> bytes:
    """A PAdES-B-B signature (ETSI.CAdES.detached, SHA-256) over the whole PDF, added as an
    incremental update; `key`/`certificate` are `cryptography` objects."""
    signer = signers.SimpleSigner(
        signing_cert=_asn1_certificate(certificate),
        signing_key=_asn1_key(key),
        cert_registry=SimpleCertificateStore.from_certs(
            [_asn1_certificate(extra) for extra in chain]
        ),
    )
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
        name=name or None,
    )
    writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    out = BytesIO()
    off_loop(signers.PdfSigner(meta, signer=signer).sign_pdf, writer, output=out)
    return out.getvalue()


# --- Drawing ----------------------------------------------------------------------------------


class _Pages:
    """A canvas with page breaks: each new page gets the footer and a short header."""

    def __init__(self, canvas, number: str, total: int):
        self.canvas, self.number, self.total, self.page = canvas, number, total, 1

    def need(self, y: float, height: float) -> float:
        if y - height >= BOTTOM:
            return y
        pdf.footer(self.canvas, self.number, self.page, self.total)
        self.canvas.showPage()
        self.page += 1
        self.canvas.setFont("Helvetica-Bold", 10)
        self.canvas.drawString(
            pdf.LEFT, pdf.HEIGHT - 20 * mm, f"Berita Acara Kesaksian {self.number}"
        )
        return pdf.HEIGHT - 30 * mm


def _rows(canvas, pages: _Pages, y: float, rows, *, indent: float = 0, size: float = 10):
    for label, value, font in rows:
        # Fingerprints in Courier, a size smaller so that a SHA-256 fits on one line.
        value_size = size - 1.5 if font == "Courier" else size
        width = pdf.RIGHT - pdf.LEFT - 41 * mm - indent
        lines = pdf.wrap(value, width, font=font, size=value_size)
        y = pages.need(y, len(lines) * 5 * mm)
        canvas.setFont("Helvetica", size)
        canvas.drawString(pdf.LEFT + indent, y, label)
        canvas.drawString(pdf.LEFT + indent + 38 * mm, y, ":")
        canvas.setFont(font, value_size)
        for line in lines:
            canvas.drawString(pdf.LEFT + indent + 41 * mm, y, line)
            y -= 5 * mm
        y -= 0.5 * mm
    return y


def _paragraph(canvas, pages: _Pages, y: float, text: str, size: float = 10.5) -> float:
    lines = pdf.wrap(text, pdf.RIGHT - pdf.LEFT, size=size)
    for line in lines:
        y = pages.need(y, 6 * mm)
        canvas.setFont("Helvetica", size)
        canvas.drawString(pdf.LEFT, y, line)
        y -= size * 0.55 * mm
    return y


def _render(report, request, files, witnesses, total: int) -> tuple[bytes, int]:
    tender = request.tender
    canvas, buffer = pdf.new_canvas(f"Berita Acara Kesaksian {report.number}")
    pages = _Pages(canvas, report.number, total)
    y = pdf.letterhead(canvas, "Berita Acara Kesaksian", report.number)
    issued = timezone.localtime(report.issued_at)
    letter = request.letter_reference or "-"
    if request.letter_date:
        letter = f"{letter} tanggal {pdf.indonesian_date(request.letter_date)}"
    y = _paragraph(
        canvas,
        pages,
        y,
        f"Pada hari ini {pdf.indonesian_date(issued.date(), weekday=True)} pukul "
        f"{issued:%H.%M} WIB, {settings.LPSE_NAME} sebagai saksi sesuai Pasal 9 ayat (2) "
        f"Peraturan Bupati Tangerang Nomor 40 Tahun 2011 telah menyaksikan penanganan berkas "
        f"dokumen penawaran yang tidak dapat dibuka oleh Pokja Pemilihan (SOP 3.1), atas "
        f"permohonan {request.reference} ({request.get_channel_display()}, {letter}).",
    )
    y = _rows(
        canvas,
        pages,
        y - 3 * mm,
        [
            ("Kode tender", tender.code, "Helvetica"),
            ("Nama paket", tender.name, "Helvetica"),
            ("Satuan kerja", tender.work_unit.name, "Helvetica"),
            ("Jumlah berkas", str(len(files)), "Helvetica"),
        ],
    )
    y -= 3 * mm
    for index, item in enumerate(files, start=1):
        y = pages.need(y, 40 * mm)
        canvas.setFont("Helvetica-Bold", 10.5)
        title = f"{index}. {item.original_name}"
        if item.vendor_name:
            title += f" ({item.vendor_name})"
        canvas.drawString(pdf.LEFT, y, title[:95])
        y -= 6 * mm
        rows = [
            ("Sumber", str(item.get_source_display()), "Helvetica"),
            (
                "Ukuran",
                f"{item.size:,} bita".replace(",", ".") if item.size is not None else "-",
                "Helvetica",
            ),
            ("MD5", item.md5 or "-", "Courier"),
            ("SHA-256", item.sha256 or "-", "Courier"),
        ]
        if item.expected_sha256 or item.expected_md5:
            rows.append(("Tanda terima", item.expected_sha256 or item.expected_md5, "Courier"))
        rows += [
            ("Diagnosis", f"{item.get_diagnosis_display()}: {item.diagnosis_message}", "Helvetica"),
            ("Percobaan LPSE", str(len(item.attempt_list)), "Helvetica"),
            ("Hasil", str(item.get_outcome_display()), "Helvetica"),
        ]
        y = _rows(canvas, pages, y, rows, indent=5 * mm, size=9.5) - 2 * mm
    y = pages.need(y, 12 * mm + 6 * mm * len(witnesses))
    canvas.setFont("Helvetica-Bold", 10.5)
    canvas.drawString(pdf.LEFT, y, "Saksi yang hadir:")
    y -= 6 * mm
    canvas.setFont("Helvetica", 10)
    for index, witness in enumerate(witnesses, start=1):
        y = pages.need(y, 6 * mm)
        canvas.setFont("Helvetica", 10)
        canvas.drawString(pdf.LEFT + 5 * mm, y, f"{index}. {witness['name']} - {witness['role']}")
        y -= 5.5 * mm
    y = _paragraph(
        canvas,
        pages,
        y - 3 * mm,
        "Demikian berita acara ini dibuat dengan sebenarnya dan ditandatangani secara "
        f"elektronik oleh {settings.LPSE_NAME}. Keaslian dokumen dapat diperiksa dengan "
        "sertifikat LPSE pada tanda tangan PDF ini.",
    )
    y = pages.need(y - 6 * mm, 45 * mm)
    pdf.head_signature(
        canvas,
        y,
        place=settings.LPSE_LETTER_PLACE,
        day=issued.date(),
        title=settings.LPSE_HEAD_TITLE,
        name=report.signer_name,
        nip=settings.LPSE_HEAD_NIP,
    )
    pdf.footer(canvas, report.number, pages.page, pages.total)
    return pdf.finish(canvas, buffer), pages.page


def draw(report, request, files, witnesses) -> bytes:
    """The unsigned PDF: drawn once to count its pages, then with "Halaman x dari n"."""
    with translation.override("id"):
        _data, total = _render(report, request, files, witnesses, 1)
        data, _pages = _render(report, request, files, witnesses, total)
    return data


# --- Storage ----------------------------------------------------------------------------------


def root() -> Path:
    return Path(settings.LPSE_BIDS_DIR)


def store(content: bytes) -> tuple[str, str]:
    """Write the signed PDF under LPSE_BIDS_DIR/reports by its SHA-256 (never replaced,
    read-only); returns (stored name, sha256)."""
    digest = hashlib.sha256(content).hexdigest()
    stored_name = f"{STORE_DIR}/{digest[:2]}/{digest}.pdf"
    final = root() / stored_name
    if not final.exists():
        final.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(dir=final.parent, prefix=".report-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(content)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp_name, 0o440)
            os.replace(temp_name, final)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
    return stored_name, digest


def path_of(stored_name: str) -> Path:
    return root() / stored_name

"""The Berita Acara Kesaksian (ERR-1, Pasal 9(2)): numbered PDF on the letterhead, PAdES-signed
by the LPSE authority; valid for pyhanko (trusting the LPSE CA) and for poppler's pdfsig, and
reported invalid by both once a byte is changed."""

from __future__ import annotations

import subprocess
from io import BytesIO

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from lpse.audit.models import AuditEvent as Event
from lpse.conftest import login, require_tool

from ..authority import get_authority
from ..failure_escalation import issue_report
from ..failure_services import FailureError
from ..loop import off_loop
from ..witness_report import path_of
from .failure_helpers import handled_request

pytestmark = pytest.mark.django_db


def trust_lpse_ca() -> ValidationContext:
    der = get_authority().certificate.public_bytes(serialization.Encoding.DER)
    return ValidationContext(trust_roots=[asn1_x509.Certificate.load(der)])


def pyhanko_status(data: bytes):
    reader = PdfFileReader(BytesIO(data))
    assert len(reader.embedded_signatures) == 1
    return off_loop(validate_pdf_signature, reader.embedded_signatures[0], trust_lpse_ca())


def pdfsig(tmp_path, data: bytes, name: str) -> str:
    """pdfsig's report (it exits 0 even when a signature is invalid, so read its output)."""
    path = tmp_path / name
    path.write_bytes(data)
    run = subprocess.run(
        [require_tool("pdfsig"), str(path)], capture_output=True, text=True, check=False
    )
    return run.stdout + run.stderr


def tampered_copy(data: bytes) -> bytes:
    """Change one byte of the page content (inside the signed byte range)."""
    position = data.index(b"LPSE", 2000)
    copy = bytearray(data)
    copy[position] = ord("X")
    return bytes(copy)


def pdf_text(data: bytes) -> str:
    """The text operators of every page (reportlab writes uncompressed content here)."""
    reader = PdfFileReader(BytesIO(data))
    return "".join(
        kid.get_object()["/Contents"].get_object().data.decode("latin-1")
        for kid in reader.root["/Pages"]["/Kids"]
    )


@pytest.fixture
def report(scenario, pokja, lpse_staff):
    filed = handled_request(scenario, pokja, lpse_staff)
    return issue_report(
        filed,
        by=lpse_staff,
        witnesses=[pokja, lpse_staff],
        other_witnesses="Budi Santoso - Direktur PT Maju Jaya",
    )


def test_err_1_witness_report_is_numbered_signed_and_valid_for_pyhanko(report, settings):
    """ERR-1: the report carries the configured number and a PAdES signature that pyhanko
    validates as intact, valid and trusted (LPSE CA), covering the entire file."""
    assert report.number == f"001/BAK/LPSE/{report.year}"
    data = path_of(report.stored_name).read_bytes()
    assert data.startswith(b"%PDF")
    status = pyhanko_status(data)
    assert status.intact and status.valid and status.trusted
    assert status.bottom_line
    assert status.coverage.name == "ENTIRE_FILE"
    assert "LPSE" in report.signer_subject
    event = Event.objects.filter(action="bids.witness_report_issued").get()
    assert event.after["number"] == report.number


def test_err_1_witness_report_valid_for_pdfsig_and_invalid_after_tampering(report, tmp_path):
    """ERR-1: poppler's pdfsig says the signature is valid; a copy with one byte changed is
    reported not valid by pdfsig and by pyhanko."""
    data = path_of(report.stored_name).read_bytes()
    output = pdfsig(tmp_path, data, "asli.pdf")
    assert "Signature Validation: Signature is Valid." in output
    assert "ETSI.CAdES.detached" in output
    assert "Total document signed" in output

    bad = tampered_copy(data)
    output = pdfsig(tmp_path, bad, "diubah.pdf")
    assert "Signature Validation: Signature is Valid." not in output
    assert "Signature Validation:" in output
    status = pyhanko_status(bad)
    assert not status.intact
    assert not status.bottom_line


def test_err_1_witness_report_lists_files_fingerprints_and_witnesses(report):
    """ERR-1: each file with size, MD5, SHA-256, diagnosis and outcome; the witnesses."""
    content = pdf_text(path_of(report.stored_name).read_bytes())
    for item in report.request.files.all():
        assert item.sha256 in content
        assert item.md5 in content
    assert "Berita Acara Kesaksian".upper() in content
    assert report.number in content
    assert "Budi Santoso - Direktur PT Maju Jaya" in content
    assert "Rudi Hartono - Staf LPSE" in content
    assert [row["role"] for row in report.witnesses][:2] == ["Pokja Pemilihan", "Staf LPSE"]


def test_err_1_witness_report_is_written_once(report, lpse_staff, pokja):
    """ERR-1: a second report for the same request is refused, the file is read-only."""
    with pytest.raises(FailureError, match="sudah dibuat"):
        issue_report(report.request, by=lpse_staff, witnesses=[pokja, lpse_staff])
    assert not (path_of(report.stored_name).stat().st_mode & 0o222)
    report.witnesses = []
    with pytest.raises(ValueError, match="written once"):
        report.save()


def test_err_1_witnesses_need_committee_and_lpse_staff(scenario, pokja, lpse_staff):
    """ERR-1: at least one committee member and one LPSE staff member witness."""
    filed = handled_request(scenario, pokja, lpse_staff)
    with pytest.raises(FailureError, match="minimal satu anggota Pokja"):
        issue_report(filed, by=lpse_staff, witnesses=[lpse_staff])
    with pytest.raises(FailureError, match="Nama - Jabatan"):
        issue_report(filed, by=lpse_staff, witnesses=[pokja, lpse_staff], other_witnesses="Budi")
    assert not hasattr(filed, "witness_report") or filed.witness_report is None


def test_err_1_report_download_for_committee_head_and_staff_only(
    client, report, pokja, head, lpse_staff, outsider, vendor
):
    """ERR-1: the committee, the head and LPSE staff download the PDF; others get 404."""
    url = f"/penawaran/gagal-dibuka/{report.request.pk}/berita-acara.pdf"
    for user in (pokja, head, lpse_staff):
        response = login(client, user).get(url)
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        client.logout()
    from lpse.accounts.choices import Role
    from lpse.conftest import make_user

    other_pokja = make_user("pokja_lain", Role.COMMITTEE)
    assert login(client, other_pokja).get(url).status_code == 404
    client.logout()
    assert login(client, outsider).get(url).status_code == 403
    client.logout()
    assert login(client, vendor).get(url).status_code == 403


@pytest.mark.parametrize(
    ("value", "message"),
    [("BAK/{year}", "must contain {seq}"), ("{nomor}/BAK", "must use only {seq} and {year}")],
)
def test_err_1_bad_report_number_format_stops_the_start(tmp_path, value, message):
    """ERR-1/GEN-2: a report number format without {seq} or with unknown fields is refused
    when the settings load, with the variable's name."""
    from lpse.core.tests.test_settings import run_settings

    run = run_settings(tmp_path, LPSE_WITNESS_REPORT_NUMBER=value)
    assert run.returncode != 0
    assert "LPSE_WITNESS_REPORT_NUMBER" in run.stderr
    assert message in run.stderr


def test_err_1_report_number_follows_the_setting(scenario, pokja, lpse_staff, settings):
    """ERR-1: the number series is per year and its format is configurable."""
    settings.LPSE_WITNESS_REPORT_NUMBER = "BAK-{year}-{seq:04d}"
    filed = handled_request(scenario, pokja, lpse_staff)
    report = issue_report(filed, by=lpse_staff, witnesses=[pokja, lpse_staff])
    assert report.number == f"BAK-{report.year}-0001"
    assert report.file_name == f"berita-acara-kesaksian-{report.year}-0001.pdf"


def test_err_1_signing_inside_a_running_event_loop():
    """ERR-1: the PAdES signing works from a thread that already runs an event loop."""
    from lpse.core import pdf

    from ..witness_report import sign_pdf
    from .failure_helpers import make_key_and_certificate

    key, certificate = make_key_and_certificate("LPSE Uji CA")
    canvas, buffer = pdf.new_canvas("Uji")
    canvas.drawString(100, 700, "Uji tanda tangan")
    unsigned = pdf.finish(canvas, buffer)

    async def inside():
        return sign_pdf(unsigned, key=key, certificate=certificate)

    signed = in_own_loop(inside)
    reader = PdfFileReader(BytesIO(signed))
    der = certificate.public_bytes(serialization.Encoding.DER)
    context = ValidationContext(trust_roots=[asn1_x509.Certificate.load(der)])
    status = off_loop(validate_pdf_signature, reader.embedded_signatures[0], context)
    assert status.intact and status.valid and status.trusted


def in_own_loop(coroutine_function):
    """Run `coroutine_function()` in an event loop of a fresh thread (this thread may already
    run Playwright's loop)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(coroutine_function())).result()

"""RPT-1 (with the SOP-3 headline): the head's one-page monthly summary on screen and as PDF."""

from __future__ import annotations

import re
import subprocess
from io import BytesIO

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from pyhanko.pdf_utils.reader import PdfFileReader

from lpse.accounts.choices import Role
from lpse.conftest import login, make_user, require_tool

from . import summary_data
from .summary_data import TODAY

pytestmark = pytest.mark.django_db

URL = "/laporan/bulanan/"


@pytest.fixture
def known(verifier, helpdesk, committee, head):
    head.first_name, head.last_name = "Siti", "Rahmawati"
    head.save(update_fields=["first_name", "last_name"])
    summary_data.build(verifier=verifier, helpdesk=helpdesk, committee=committee, head=head)


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


def row(html: str, table: str, metric: str) -> list[str]:
    """The cells (previous, current, difference) of one metric row of one table."""
    body = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    match = re.search(rf'<tr data-metric="{metric}">(.*?)</tr>', body, re.S)
    assert match, f"{metric} not in {table}"
    return re.findall(r'<td class="text-end[^"]*">([^<]*)</td>', match.group(1))


def test_rpt1_urls_are_the_documented_ones():
    assert reverse("reports:monthly") == URL
    assert reverse("reports:monthly_pdf", args=["2026-10"]) == "/laporan/bulanan/2026-10.pdf"


def test_rpt1_summary_defaults_to_last_full_month_and_shows_known_numbers(
    client, head, known, today
):
    login(client, head)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ringkasan bulanan Oktober 2026" in html
    assert "September 2026" in html
    # Registrations and verifications: [September, October, difference].
    assert row(html, "tabel-registrations", "registered") == ["1", "3", "+2"]
    assert row(html, "tabel-registrations", "verified") == ["1", "2", "+1"]
    assert row(html, "tabel-registrations", "sessions") == ["1", "3", "+2"]
    assert row(html, "tabel-registrations", "rejected") == ["0", "1", "+1"]
    assert row(html, "tabel-registrations", "incomplete") == ["1", "0", "-1"]
    assert row(html, "tabel-registrations", "expired") == ["0", "1", "+1"]
    # Helpdesk, with satisfaction.
    assert row(html, "tabel-desk", "tickets") == ["1", "4", "+3"]
    assert row(html, "tabel-desk", "outside_hours") == ["0", "1", "+1"]
    assert row(html, "tabel-desk", "rating") == ["3,0", "4,5", "+1,5"]
    assert row(html, "tabel-desk", "escalations") == ["0", "1", "+1"]
    topics = html.split('id="tabel-tiket-topic"', 1)[1].split("</table>", 1)[0]
    assert re.search(r"SPSE</th><td[^>]*>3<", topics) and re.search(r"Akun</th><td[^>]*>1<", topics)
    channels = html.split('id="tabel-tiket-channel"', 1)[1].split("</table>", 1)[0]
    assert re.search(r"Telepon</th><td[^>]*>2<", channels)
    requesters = html.split('id="tabel-tiket-requester"', 1)[1].split("</table>", 1)[0]
    assert re.search(r"Penyedia \(rekanan\)</th><td[^>]*>3<", requesters)
    ratings = html.split('id="tabel-kepuasan"', 1)[1].split("</table>", 1)[0]
    assert re.search(r">5</th><td[^>]*>1<", ratings) and re.search(r">3</th><td[^>]*>0<", ratings)
    # Training.
    assert row(html, "tabel-training", "requests") == ["1", "2", "+1"]
    assert row(html, "tabel-training", "held") == ["1", "1", "0"]
    assert row(html, "tabel-training", "not_held") == ["0", "1", "+1"]
    assert row(html, "tabel-training", "participants") == ["12", "17", "+5"]
    # Tenders and schedule changes.
    assert row(html, "tabel-tenders", "announced") == ["1", "2", "+1"]
    assert row(html, "tabel-tenders", "closed") == ["0", "1", "+1"]
    assert row(html, "tabel-tenders", "changes") == ["1", "3", "+2"]
    assert row(html, "tabel-tenders", "approved") == ["1", "1", "0"]
    assert row(html, "tabel-tenders", "refused") == ["0", "1", "+1"]
    # Failed openings and escalations to LKPP (ERR-1).
    assert row(html, "tabel-failures", "filed") == ["1", "2", "+1"]
    assert row(html, "tabel-failures", "escalated") == ["0", "1", "+1"]
    assert row(html, "tabel-failures", "closed") == ["1", "0", "-1"]
    # Incidents and uptime.
    assert row(html, "tabel-incidents", "opened") == ["1", "3", "+2"]
    assert row(html, "tabel-incidents", "critical") == ["0", "1", "+1"]
    assert row(html, "tabel-incidents", "closed") == ["1", "2", "+1"]
    assert row(html, "tabel-incidents", "closed_critical") == ["0", "1", "+1"]
    assert row(html, "tabel-incidents", "closed_warning") == ["1", "1", "0"]
    assert row(html, "tabel-uptime", "website_up") == ["95,0%", "99,0%", "+4,0 pp"]
    # Backups: the November run is after the month and not counted.
    assert row(html, "tabel-backups", "runs") == ["1", "3", "+2"]
    assert row(html, "tabel-backups", "failed") == ["0", "1", "+1"]
    assert row(html, "tabel-backups", "verified") == ["1", "1", "0"]
    assert "cadangan-0" in html.split('id="cadangan-terakhir"', 1)[1][:300]


def test_sop3_headline_share_within_standard_per_procedure(client, head, known, today):
    login(client, head)
    html = client.get(URL).content.decode()
    # SOP 1.1 step 9 (15-30 minutes): October 2 of 3 within, September 1 of 1.
    assert row(html, "tabel-sop3", "1.1") == ["100,0%", "66,7%", "-33,3 pp"]
    assert re.search(r'id="sop3-total">66,7%<', html)


def test_rpt1_summary_charts_use_the_shared_script_with_data_in_the_page(
    client, head, known, today
):
    login(client, head)
    html = client.get(URL).content.decode()
    assert 'src="/static/lpse/charts.js"' in html
    assert 'data-lpse-charts data-source="data-ringkasan"' in html
    assert '<script id="data-ringkasan" type="application/json">' in html
    assert '"type": "bar"' in html


def test_rpt1_summary_pdf_is_one_page_with_the_numbers_and_the_head_signature(
    client, head, known, today
):
    login(client, head)
    response = client.get("/laporan/bulanan/2026-10.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="ringkasan-bulanan-2026-10.pdf"' in response["Content-Disposition"]
    data = response.content
    reader = PdfFileReader(BytesIO(data))
    assert int(reader.root["/Pages"]["/Count"]) == 1
    path = require_tool("pdftotext")
    text = subprocess.run(
        [path, "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    lines = {" ".join(line.split()) for line in text.splitlines()}
    text_flat = "\n".join(lines)
    assert "RINGKASAN BULANAN OKTOBER 2026" in text_flat
    assert "Siti Rahmawati" in text_flat
    for expected in (
        "Pendaftaran penyedia baru 1 3 +2",
        "Tiket helpdesk diterima 1 4 +3",
        "Rata-rata kepuasan (1-5) 3,0 4,5 +1,5",
        "Peserta hadir 12 17 +5",
        "Perubahan jadwal disetujui 1 1 0",
        "Diteruskan ke LKPP 0 1 +1",
        "Insiden kritis 0 1 +1",
        "Pencadangan gagal 0 1 +1",
        "66,7%",
    ):
        assert expected in text_flat, expected


def test_rpt1_summary_pdf_stays_one_page_with_many_topics(client, head, known, today):
    from lpse.desk.choices import Channel, RequesterType, TicketStatus
    from lpse.desk.models import Ticket, Topic

    for n in range(25):
        Ticket.objects.create(
            topic=Topic.objects.create(name=f"Topik panjang nomor {n}"),
            channel=Channel.WEB,
            requester_type=RequesterType.PUBLIC,
            subject="?",
            question="?",
            requester_name="X",
            status=TicketStatus.CLOSED,
            received_at=summary_data.OCT,
        )
    login(client, head)
    data = client.get("/laporan/bulanan/2026-10.pdf").content
    assert int(PdfFileReader(BytesIO(data)).root["/Pages"]["/Count"]) == 1


@pytest.mark.parametrize(
    ("roles", "superuser", "status"),
    [
        ((Role.HEAD,), False, 200),
        ((Role.APPADMIN,), False, 200),
        ((Role.LKPP_MONITOR,), False, 200),
        ((), True, 200),
        ((Role.VERIFIER,), False, 403),
        ((Role.HELPDESK,), False, 403),
        ((Role.SYSADMIN,), False, 403),
        ((Role.COMMITTEE,), False, 403),
        ((Role.VENDOR,), False, 403),
        ((), False, 403),
    ],
)
def test_rpt1_who_may_read_the_monthly_summary(client, roles, superuser, status, today):
    user = make_user("pembaca", *roles, is_superuser=superuser)
    login(client, user)
    assert client.get(URL).status_code == status
    assert client.get("/laporan/bulanan/2026-10.pdf").status_code == status


def test_rpt1_anonymous_visitors_are_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert client.get("/laporan/bulanan/2026-10.pdf").status_code == 302


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-13", "Bulan 13 tidak ada"),
        ("oktober", "Bulan harus ditulis TTTT-BB"),
        ("2026-1", "Bulan harus ditulis TTTT-BB"),
        ("2026-12", "Bulan Desember 2026 belum berjalan"),
        ("1999-12", "Tahun sebelum 2000 tidak dilaporkan"),
    ],
)
def test_rpt1_bad_month_gets_a_clear_message_and_400(client, head, today, value, message):
    login(client, head)
    response = client.get(URL, {"bulan": value})
    assert response.status_code == 400
    assert message in response.content.decode()
    pdf = client.get(f"/laporan/bulanan/{value}.pdf")
    assert pdf.status_code == 400 and message in pdf.content.decode()


def test_rpt1_the_running_month_is_shown_as_not_final(client, head, today):
    login(client, head)
    html = client.get(URL, {"bulan": "2026-11"}).content.decode()
    assert "Bulan ini masih berjalan" in html
    assert "Bulan berikutnya" not in html


def test_rpt1_summary_query_count_is_constant(
    client, head, known, today, django_assert_num_queries
):
    login(client, head)
    client.get(URL)  # warm the session and the calendar
    # Session, user and roles, the maintenance banner, then per section one or two
    # aggregates over both months: registrations 2, desk 2 x 6, training 3, tenders 2,
    # failed openings 2, incidents 1, backups 2, uptime 1, SOP-3 2 x 1 (+ calendar).
    with django_assert_num_queries(NUM_QUERIES):
        client.get(URL)


NUM_QUERIES = 32


def test_rpt1_summary_in_english_on_screen_but_the_pdf_stays_indonesian(client, head, known, today):
    """GEN-1: the page follows the reader's language; the official PDF is Indonesian."""
    login(client, head)
    # The override puts the thread's language back afterwards: the locale middleware leaves
    # English active, and tests that call services directly would inherit it.
    with translation.override(settings.LANGUAGE_CODE):
        html = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        data = client.get("/laporan/bulanan/2026-10.pdf", HTTP_ACCEPT_LANGUAGE="en").content
    assert "New vendor registrations" in html and "SOP timeliness (SOP-3)" in html
    text = subprocess.run(
        [require_tool("pdftotext"), "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    assert "Pendaftaran penyedia baru" in text and "New vendor registrations" not in text

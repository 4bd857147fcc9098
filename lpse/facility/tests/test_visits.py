"""Server-room access: request, approval, entry/exit and the period report (INF-1)."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from lpse.accounts.choices import Role
from lpse.audit.models import AuditEvent
from lpse.conftest import login, make_user

from .. import visit_services
from ..choices import VisitStatus
from .conftest import WIB, travel

PLAN = datetime(2026, 9, 8, 10, 0, tzinfo=WIB)


def request_for_outsider(by, **extra):
    data = {
        "visitor_name": "Budi Teknisi",
        "identity_type": "ktp",
        "identity_number": "3603123456780001",
        "organisation": "PT Jaringan Nusantara",
        "purpose": "Penggantian switch inti",
        "planned_start": PLAN,
        "planned_end": PLAN + timedelta(hours=2),
    }
    data.update(extra)
    return visit_services.request_visit(by=by, **data)


@pytest.mark.django_db
def test_nobody_approves_their_own_request(client, head):
    """INF-1: the head files a request for themselves; the head cannot approve it."""
    visit = request_for_outsider(head, visitor=head, visitor_name="")
    assert visit.visitor_name == head.username
    with pytest.raises(visit_services.VisitError) as error:
        visit_services.decide_visit(visit, approve=True, reason="", by=head)
    assert "permohonan Anda sendiri" in error.value.message
    login(client, head)
    response = client.post(
        reverse("facility:visit_action", args=[visit.pk, "putuskan"]),
        {"decision": "approve", "reason": ""},
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == VisitStatus.REQUESTED
    page = client.get(reverse("facility:visit_detail", args=[visit.pk])).content.decode()
    assert "tidak ada yang dapat menyetujui permohonannya sendiri" in page


@pytest.mark.django_db
def test_only_the_authorised_official_decides(sysadmin, helpdesk):
    """INF-1: the sysadmin (guard) may not approve; refusal needs a reason."""
    visit = request_for_outsider(helpdesk)
    with pytest.raises(visit_services.VisitError):
        visit_services.decide_visit(visit, approve=True, reason="", by=sysadmin)
    head = make_user("kepala2", Role.HEAD)
    with pytest.raises(visit_services.VisitError):
        visit_services.decide_visit(visit, approve=False, reason=" ", by=head)
    visit = visit_services.decide_visit(visit, approve=False, reason="Jadwal bentrok", by=head)
    assert visit.status == VisitStatus.REFUSED
    with pytest.raises(visit_services.VisitError):
        visit_services.record_entry(visit, by=sysadmin)


@pytest.mark.django_db
def test_entry_and_exit_and_the_period_report(client, head, sysadmin, helpdesk):
    """INF-1: approved -> the guard records entry and exit (transition rows, audited);
    the report lists who was in the room in a period, on screen and as CSV."""
    visit = request_for_outsider(helpdesk)
    visit_services.decide_visit(visit, approve=True, reason="", by=head)
    with travel(PLAN + timedelta(minutes=5)):
        visit_services.record_entry(visit, by=sysadmin)
    with travel(PLAN + timedelta(hours=1, minutes=40)):
        visit = visit_services.record_exit(visit, by=sysadmin)
    assert visit.status == VisitStatus.LEFT
    assert [t.to_status for t in visit.transitions.order_by("pk")] == [
        VisitStatus.REQUESTED,
        VisitStatus.APPROVED,
        VisitStatus.INSIDE,
        VisitStatus.LEFT,
    ]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "facility.visit_requested",
        "facility.visit_approved",
        "facility.visit_entered",
        "facility.visit_left",
    } <= actions
    other = request_for_outsider(helpdesk, visitor_name="Sari Auditor")
    visit_services.decide_visit(other, approve=True, reason="", by=head)
    with travel(PLAN + timedelta(days=3)):
        visit_services.record_entry(other, by=sysadmin)  # still inside

    login(client, head)
    url = reverse("facility:visit_report")
    page = client.get(url, {"start": "2026-09-08", "end": "2026-09-08"}).content.decode()
    assert "Budi Teknisi" in page and "Sari Auditor" not in page
    assert "08-09-2026 10.05" in page and "08-09-2026 11.40" in page
    page = client.get(url, {"start": "2026-09-09", "end": "2026-09-30"}).content.decode()
    assert "Sari Auditor" in page and "masih di dalam" in page and "Budi Teknisi" not in page
    response = client.get(url, {"start": "2026-09-01", "end": "2026-09-30", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Nama"
    assert [row[0] for row in rows[1:]] == ["Budi Teknisi", "Sari Auditor"]
    assert rows[1][6:8] == ["2026-09-08 10:05", "2026-09-08 11:40"]
    bad = client.get(url, {"start": "2026-09-30", "end": "2026-09-01"})
    assert bad.status_code == 400


@pytest.mark.django_db
def test_csv_report_neutralises_formulas(head, sysadmin, helpdesk):
    """INF-1: a typed name starting with '=' cannot run as a spreadsheet formula."""
    from ..visit_views import _safe

    assert _safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _safe("Budi") == "Budi"


@pytest.mark.django_db
def test_request_form_needs_a_visitor_and_an_ordered_plan(client, helpdesk):
    """INF-1: bad input is refused with Indonesian messages; nothing stored."""
    login(client, helpdesk)
    response = client.post(
        reverse("facility:visit_new"),
        {
            "identity_type": "ktp",
            "identity_number": "1",
            "organisation": "X",
            "purpose": "Y",
            "planned_start": "2026-09-08T10:00",
            "planned_end": "2026-09-08T09:00",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tuliskan nama pengunjung." in page
    assert "Rencana selesai harus sesudah rencana masuk." in page


@pytest.mark.django_db
def test_requesters_see_only_their_own_requests(client, helpdesk, verifier, head):
    """INF-1: a staff member sees their own requests; another's is a 404."""
    visit = request_for_outsider(helpdesk)
    login(client, verifier)
    assert client.get(reverse("facility:visit_detail", args=[visit.pk])).status_code == 404
    client.logout()
    login(client, head)
    assert client.get(reverse("facility:visit_detail", args=[visit.pk])).status_code == 200

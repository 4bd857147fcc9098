"""`lpse demo` adds marked helpdesk demo data through the real services (GEN-2)."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from lpse.desk.models import Article, Ticket
from lpse.sop.models import Case


def test_demo_adds_marked_tickets_and_articles_once(db, tmp_path):
    out = StringIO()
    call_command("demo", "--password", "kata-sandi-demo-bersama", stdout=out)
    tickets = Ticket.objects.all()
    assert tickets.count() >= 6 and all(t.is_demo for t in tickets)
    assert all("(DEMO)" in t.requester_name for t in tickets if t.kind == "general")
    assert {t.status for t in tickets} >= {"answered", "new", "waiting_requester", "waiting_lkpp"}
    assert tickets.filter(kind="upload", support_grants__isnull=False).exists()
    assert Article.objects.filter(is_demo=True).count() == 5
    assert Case.objects.filter(procedure__code="2.1").count() == tickets.count()
    assert "Tiket helpdesk demo" in out.getvalue()
    call_command("demo", "--password", "kata-sandi-demo-bersama", stdout=StringIO())
    assert Ticket.objects.count() == tickets.count()

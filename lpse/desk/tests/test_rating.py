"""DESK-4: the requester rates the answer, with or without an account; the report shows it."""

from __future__ import annotations

import re

from django.core import mail
from django.urls import reverse

from lpse.audit.models import AuditEvent
from lpse.conftest import login
from lpse.desk import services
from lpse.desk.models import Ticket

from .helpers import phone_call


def rating_link(body: str) -> str:
    return "/" + re.search(r"http://\S+?/(layanan/nilai/\S+/)", body).group(1)


def test_requester_without_account_rates_through_email_link_DESK_4(client, helpdesk, sending):
    ticket = phone_call(helpdesk, email="warga@contoh.id")
    with sending():
        services.reply(ticket, "Jadwal verifikasi: hari kerja 09.00-15.00.", by=helpdesk)
    link = rating_link(mail.outbox[-1].body)
    page = client.get(link)
    assert page.status_code == 200
    assert "Seberapa memuaskan jawabannya?" in page.content.decode()
    response = client.post(link, {"rating": "5", "comment": "Jelas sekali."})
    assert "sudah kami terima" in response.content.decode()
    ticket.refresh_from_db()
    assert (ticket.rating, ticket.rating_comment) == (5, "Jelas sekali.")
    again = client.post(link, {"rating": "1"})
    assert "sudah dinilai" in again.content.decode()
    ticket.refresh_from_db()
    assert ticket.rating == 5
    assert AuditEvent.objects.filter(action="desk.ticket_rate").count() == 1


def test_tampered_rating_link_is_refused_DESK_4(client):
    response = client.get(reverse("desk:rate", args=["bukan-token"]))
    assert response.status_code == 404
    assert "tidak dikenal" in response.content.decode()


def test_unanswered_ticket_cannot_be_rated_DESK_4(client, helpdesk):
    ticket = phone_call(helpdesk)
    link = reverse("desk:rate", args=[services.rating_token(ticket)])
    response = client.post(link, {"rating": "4"})
    assert "belum dijawab" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.rating is None


def test_logged_in_requester_rates_on_ticket_page_and_report_shows_it_DESK_4(
    client, vendor, helpdesk, topic
):
    login(client, vendor)
    client.post(
        reverse("desk:new_ticket"), {"topic": topic.pk, "subject": "Tanya", "question": "Apa?"}
    )
    ticket = Ticket.objects.get()
    services.reply(ticket, "Ini jawabannya.", by=helpdesk)
    bad = client.post(reverse("desk:my_ticket_rate", args=[ticket.pk]), {"rating": "9"})
    assert bad.status_code == 400
    client.post(reverse("desk:my_ticket_rate", args=[ticket.pk]), {"rating": "4"})
    ticket.refresh_from_db()
    assert ticket.rating == 4
    other = phone_call(helpdesk, answer="Dijawab di telepon.")
    services.rate(other, 2)
    login(client, helpdesk)
    page = client.get(reverse("desk:report")).content.decode()
    assert "3,0/5" in page  # Indonesian decimal comma
    assert "2 tiket dinilai" in page
    assert "Telepon" in page and "Formulir web" in page

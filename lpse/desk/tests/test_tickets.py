"""DESK-2: web tickets, the requester's view, officers' replies, notes, assignment, attachments."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from lpse.accounts.choices import Role
from lpse.audit.models import AuditEvent
from lpse.conftest import login, make_user
from lpse.desk import services
from lpse.desk.choices import TicketStatus
from lpse.desk.models import Article, Ticket, TicketAttachment, TicketTransition
from lpse.vendors.tests.company_helpers import EXE, PDF, upload


def file(client, user, topic, **extra):
    login(client, user)
    data = {"topic": topic.pk, "subject": "Lupa User ID", "question": "Saya lupa User ID."}
    data.update(extra)
    return client.post(reverse("desk:new_ticket"), data)


def test_vendor_files_ticket_on_web_and_follows_reply_DESK_2(
    client, vendor, helpdesk, topic, sending
):
    response = file(client, vendor, topic, attachment=upload("bukti.pdf", PDF))
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert ticket.channel == "web" and ticket.requester == vendor
    assert ticket.requester_type == "vendor"
    assert ticket.requester_email == "admin@majujaya.co.id"
    assert ticket.attachments.get().original_name == "bukti.pdf"
    with sending():
        services.reply(ticket, "User ID Anda dikirim ke e-mail perusahaan.", by=helpdesk)
    services.add_note(ticket, "Sudah dicek di data penyedia: rahasia internal.", by=helpdesk)
    page = client.get(reverse("desk:my_ticket", args=[ticket.pk])).content.decode()
    assert "User ID Anda dikirim ke e-mail perusahaan." in page
    assert "rahasia internal" not in page
    assert "Nilai jawaban helpdesk" in page
    message = mail.outbox[-1]
    assert message.to == ["admin@majujaya.co.id"]
    assert message.subject == f"[{ticket.reference}] Lupa User ID"
    assert message.reply_to == ["helpdesk@lpse.contoh.go.id"]
    assert "rahasia internal" not in message.body


def test_requester_sees_only_own_tickets_SEC_1_DESK_2(client, vendor, topic):
    file(client, vendor, topic)
    ticket = Ticket.objects.get()
    other = make_user("cv_lain", Role.VENDOR)
    login(client, other)
    assert client.get(reverse("desk:my_ticket", args=[ticket.pk])).status_code == 404
    assert client.get(reverse("desk:ticket", args=[ticket.pk])).status_code == 403
    assert ticket.reference not in client.get(reverse("desk:my_tickets")).content.decode()


def test_requester_follow_up_reopens_answered_ticket_DESK_2(client, vendor, helpdesk, topic):
    file(client, vendor, topic)
    ticket = Ticket.objects.get()
    services.reply(ticket, "Silakan coba lagi.", by=helpdesk)
    response = client.post(
        reverse("desk:my_ticket_message", args=[ticket.pk]), {"body": "Masih belum bisa."}
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OPEN
    steps = list(TicketTransition.objects.filter(ticket=ticket).values_list("to_status", flat=True))
    assert steps == ["new", "answered", "open"]


def test_officer_assigns_answers_with_canned_article_and_closes_DESK_2(
    client, vendor, helpdesk, topic
):
    file(client, vendor, topic)
    ticket = Ticket.objects.get()
    article = Article.objects.create(
        title="Lupa User ID", body="Gunakan menu Lupa User ID di halaman masuk.", is_canned=True
    )
    login(client, helpdesk)
    page = client.get(
        reverse("desk:ticket", args=[ticket.pk]), {"cari": "user id"}
    ).content.decode()
    assert f"?jawaban={article.pk}" in page
    prefilled = client.get(reverse("desk:ticket", args=[ticket.pk]), {"jawaban": article.pk})
    assert "Gunakan menu Lupa User ID di halaman masuk." in prefilled.content.decode()
    client.post(reverse("desk:ticket_assign", args=[ticket.pk]), {"officer": helpdesk.pk})
    ticket.refresh_from_db()
    assert ticket.assigned_to == helpdesk and ticket.status == TicketStatus.OPEN
    client.post(
        reverse("desk:ticket_reply", args=[ticket.pk]),
        {"body": article.body, "status": "answered"},
    )
    client.post(reverse("desk:ticket_status", args=[ticket.pk]), {"status": "closed", "note": ""})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED
    assert ticket.sop_case.status == "closed"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"desk.ticket_assign", "desk.ticket_reply", "desk.ticket_status"} <= actions


def test_move_not_allowed_is_refused_with_message_DESK_2(client, helpdesk, vendor, topic):
    file(client, vendor, topic)
    ticket = Ticket.objects.get()
    with pytest.raises(services.DeskError, match="dengan mengirim jawaban"):
        services.change_status(ticket, TicketStatus.ANSWERED, by=helpdesk)
    services.change_status(ticket, TicketStatus.CLOSED, by=helpdesk)
    with pytest.raises(services.DeskError, match="tidak dapat diubah menjadi Menunggu penanya"):
        services.change_status(ticket, TicketStatus.WAITING_REQUESTER, by=helpdesk)
    login(client, helpdesk)
    response = client.post(
        reverse("desk:ticket_status", args=[ticket.pk]),
        {"status": "waiting_requester"},
        follow=True,
    )
    assert "tidak dapat diubah menjadi Menunggu penanya" in response.content.decode()
    response = client.post(reverse("desk:ticket_status", args=[ticket.pk]), {"status": "new"})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED
    assert TicketTransition.objects.filter(ticket=ticket).count() == 2


def test_internal_note_attachment_is_hidden_from_requester_DESK_2(client, vendor, helpdesk, topic):
    file(client, vendor, topic)
    ticket = Ticket.objects.get()
    login(client, helpdesk)
    client.post(
        reverse("desk:ticket_note", args=[ticket.pk]),
        {"body": "Tangkapan layar log server", "attachment": upload("log.pdf", PDF)},
    )
    attachment = TicketAttachment.objects.get(internal=True)
    assert client.get(reverse("desk:attachment", args=[attachment.pk])).status_code == 200
    login(client, vendor)
    assert client.get(reverse("desk:attachment", args=[attachment.pk])).status_code == 404
    assert "log.pdf" not in client.get(reverse("desk:my_ticket", args=[ticket.pk])).content.decode()


def test_attachment_follows_company_upload_rules_SEC_3_DESK_2(client, vendor, topic):
    response = file(client, vendor, topic, attachment=upload("program.pdf", EXE))
    assert response.status_code == 400
    assert "Jenis berkas tidak diterima" in response.content.decode()
    assert not Ticket.objects.exists()


def test_attachment_download_is_never_inline_SEC_3(client, vendor, topic):
    file(client, vendor, topic, attachment=upload("bukti.pdf", PDF))
    attachment = TicketAttachment.objects.get()
    response = client.get(reverse("desk:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_reply_email_has_reference_and_rating_link_DESK_2_DESK_4(helpdesk, sending):
    from .helpers import phone_call

    ticket = phone_call(helpdesk, email="warga@contoh.id")
    with sending():
        services.reply(ticket, "Jawaban kami.", by=helpdesk)
    body = mail.outbox[-1].body
    assert ticket.reference in mail.outbox[-1].subject
    assert re.search(r"http://\S+/layanan/nilai/\S+/", body)

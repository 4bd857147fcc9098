"""DESK-2: e-mail to the helpdesk address creates and updates tickets, read from a real Maildir
on disk holding real RFC 5322 messages (no mocks)."""

from __future__ import annotations

import mailbox
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from lpse.accounts.choices import Role
from lpse.conftest import make_user
from lpse.desk import mail_intake, services
from lpse.desk.choices import TicketStatus
from lpse.desk.models import Ticket, TicketMessage
from lpse.vendors.tests.company_helpers import EXE, PDF

RAW_FROM_MTA = b"""Return-Path: <sari.pokja@dinaspu.tangerangkab.go.id>
Received: from mail.tangerangkab.go.id (mail.tangerangkab.go.id [203.0.113.7])
\tby mx.lpse.contoh.go.id with ESMTPS id 4Xk2; Tue, 5 May 2026 09:14:02 +0700
From: =?utf-8?q?Sari_Wulandari?= <sari.pokja@dinaspu.tangerangkab.go.id>
To: helpdesk@lpse.contoh.go.id
Subject: Tidak bisa membuka jadwal paket
Date: Tue, 5 May 2026 09:13:58 +0700
Message-ID: <20260505091358.1234@dinaspu.tangerangkab.go.id>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: quoted-printable

Selamat pagi,

Halaman jadwal paket pengadaan tidak terbuka sejak pagi ini. Mohon bantuann=
ya.

Terima kasih,
Sari
"""


@pytest.fixture
def maildir(tmp_path, settings):
    path = tmp_path / "helpdesk-maildir"
    box = mailbox.Maildir(str(path), create=True)
    settings.LPSE_DESK_MAILDIR = str(path)
    settings.LPSE_DESK_IMAP_URL = ""
    return box


def message(sender, subject, body, *, attachment=None, headers=None) -> bytes:
    item = EmailMessage()
    item["From"] = sender
    item["To"] = "helpdesk@lpse.contoh.go.id"
    item["Subject"] = subject
    item["Date"] = format_datetime(timezone.now())
    item["Message-ID"] = make_msgid(domain="contoh.id")
    for name, value in (headers or {}).items():
        item[name] = value
    item.set_content(body)
    if attachment:
        name, content, maintype, subtype = attachment
        item.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return item.as_bytes()


def fetch() -> str:
    out = StringIO()
    call_command("desk_fetch_mail", stdout=out)
    return out.getvalue()


def test_email_from_mta_becomes_ticket_and_is_acknowledged_DESK_2(maildir, sending):
    maildir.add(RAW_FROM_MTA)
    with sending():
        output = fetch()
    assert "1 tiket baru" in output
    ticket = Ticket.objects.get()
    assert ticket.channel == "email"
    assert ticket.requester_name == "Sari Wulandari"
    assert ticket.requester_email == "sari.pokja@dinaspu.tangerangkab.go.id"
    assert ticket.subject == "Tidak bisa membuka jadwal paket"
    assert "Mohon bantuannya." in ticket.question
    assert ticket.sop_case.procedure.code == "2.1"
    ack = mail.outbox[-1]
    assert ack.to == ["sari.pokja@dinaspu.tangerangkab.go.id"]
    assert ticket.reference in ack.subject
    assert ack.extra_headers["Auto-Submitted"] == "auto-generated"
    # Read once: flagged Seen in cur/, and a second run finds nothing new.
    assert all("S" in item.get_flags() for item in maildir)
    assert "0 tiket baru, 0 balasan" in fetch()
    assert Ticket.objects.count() == 1


def test_reply_with_reference_in_subject_updates_the_ticket_DESK_2(maildir, helpdesk, sending):
    maildir.add(RAW_FROM_MTA)
    fetch()
    ticket = Ticket.objects.get()
    with sending():
        services.reply(
            ticket, "Mohon kirim tangkapan layarnya.", by=helpdesk, status="waiting_requester"
        )
    reply = mail.outbox[-1]
    maildir.add(
        message(
            "Sari Wulandari <Sari.Pokja@dinaspu.tangerangkab.go.id>",
            f"Re: {reply.subject}",
            "Berikut tangkapan layarnya.\n\nPada Sel, 5 Mei 2026 menulis:\n> Mohon kirim",
            attachment=("layar.pdf", PDF, "application", "pdf"),
            headers={"In-Reply-To": reply.extra_headers["Message-ID"]},
        )
    )
    assert "1 balasan" in fetch()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OPEN
    last = ticket.messages.order_by("pk").last()
    assert last.kind == "requester"
    assert last.body == "Berikut tangkapan layarnya."
    assert last.attachments.get().original_name == "layar.pdf"
    assert Ticket.objects.count() == 1


def test_reference_from_a_stranger_opens_a_new_ticket_not_an_update_SEC_1(maildir):
    maildir.add(RAW_FROM_MTA)
    fetch()
    ticket = Ticket.objects.get()
    maildir.add(message("orang@lain.id", f"Re: [{ticket.reference}] x", "Saya ikut menjawab."))
    fetch()
    assert Ticket.objects.count() == 2
    assert ticket.messages.count() == 1


def test_registered_sender_is_linked_to_account_and_type_DESK_2(maildir):
    user = make_user("pokja_pu", Role.COMMITTEE, email="pokja@dinaspu.go.id")
    maildir.add(message("Pokja PU <POKJA@dinaspu.go.id>", "Tanya", "Bagaimana mengubah jadwal?"))
    fetch()
    ticket = Ticket.objects.get()
    assert ticket.requester == user
    assert ticket.requester_type == "committee"


def test_automatic_mail_and_duplicates_are_skipped_DESK_2(maildir):
    maildir.add(
        message(
            "robot@contoh.id",
            "Out of office",
            "Saya cuti.",
            headers={"Auto-Submitted": "auto-replied"},
        )
    )
    maildir.add(RAW_FROM_MTA)
    maildir.add(RAW_FROM_MTA)  # the same Message-ID delivered twice
    output = fetch()
    assert "1 tiket baru, 0 balasan, 2 dilewati" in output
    assert TicketMessage.objects.count() == 1


def test_bad_attachment_is_refused_with_note_and_rest_kept_SEC_3(maildir):
    maildir.add(
        message(
            "warga@contoh.id",
            "Formulir",
            "Terlampir.",
            attachment=("formulir.pdf", EXE, "application", "octet-stream"),
        )
    )
    fetch()
    ticket = Ticket.objects.get()
    assert not ticket.attachments.exists()
    assert "Lampiran ditolak: formulir.pdf: bukan PDF, JPEG atau PNG." in ticket.question


def test_command_says_when_no_mailbox_is_configured(settings):
    settings.LPSE_DESK_MAILDIR = ""
    settings.LPSE_DESK_IMAP_URL = ""
    with pytest.raises(CommandError, match="LPSE_DESK_MAILDIR"):
        fetch()


def test_periodic_task_reads_the_configured_maildir_DESK_2(maildir):
    from lpse.desk.tasks import fetch_desk_mail

    maildir.add(RAW_FROM_MTA)
    fetch_desk_mail.call_local()
    assert Ticket.objects.count() == 1
    assert mail_intake.fetch_configured().skipped == 0

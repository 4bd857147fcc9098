"""DESK-2 over IMAP: the helpdesk mailbox on a real IMAP server (pymap, in-memory backend,
started for the test), holding real RFC 5322 messages; no mocks."""

from __future__ import annotations

import imaplib
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lpse.desk.mail_intake import read_imap
from lpse.desk.models import Ticket

from .test_mail import RAW_FROM_MTA, message


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def imap_server():
    """A pymap IMAP server on a free local port; user demouser, password demopass."""
    port = _free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("pymap")),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-tls",
            "dict",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("pymap did not start")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def deliver(port: int, *raw_messages: bytes) -> None:
    client = imaplib.IMAP4("127.0.0.1", port)
    client.login("demouser", "demopass")
    for raw in raw_messages:
        client.append("INBOX", None, None, raw)
    client.logout()


def test_imap_mailbox_creates_and_updates_tickets_and_marks_seen_DESK_2(imap_server):
    deliver(imap_server, RAW_FROM_MTA)
    url = f"imap://demouser:demopass@127.0.0.1:{imap_server}/INBOX"
    result = read_imap(url)
    assert len(result.created) == 1 and result.failed == 0
    ticket = Ticket.objects.get()
    assert ticket.channel == "email"
    deliver(
        imap_server,
        message(
            "sari.pokja@dinaspu.tangerangkab.go.id",
            f"Re: [{ticket.reference}] Tidak bisa membuka jadwal paket",
            "Sekarang sudah bisa, terima kasih.",
        ),
    )
    second = read_imap(url)
    assert second.updated == [ticket.reference] and second.created == []
    assert ticket.messages.count() == 2
    # Both are flagged \\Seen on the server: a third read finds nothing.
    third = read_imap(url)
    assert (third.created, third.updated, third.skipped) == ([], [], 0)

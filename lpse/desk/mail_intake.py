"""Inbound e-mail to the helpdesk address becomes tickets and replies (DESK-2).

Two sources, either or both, from settings:
- LPSE_DESK_MAILDIR: a Maildir on this machine (the mail server delivers into it);
  read with the standard library's `mailbox`; each message read is flagged Seen and
  moved to cur/, so it is never read twice.
- LPSE_DESK_IMAP_URL: imaps://user:password@host:993/INBOX, imap+starttls://...:143/INBOX
  (certificates verified), or imap:// (plain, for a server on this machine); UNSEEN
  messages are fetched with the standard library's `imaplib` and flagged \\Seen.
A message whose subject carries a ticket reference ([HD-2026-000123]) from the
ticket's requester is added to that ticket; anything else opens a new ticket.
Every Message-ID is read once. Automatic mail (auto-replies, bulk, bounces) is
skipped so two robots never answer each other.
"""

from __future__ import annotations

import contextlib
import email
import hashlib
import imaplib
import logging
import mailbox
import re
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.html import strip_tags
from django.utils.translation import gettext

from lpse.vendors.uploads import detect_type, max_upload_bytes

from . import services
from .models import REFERENCE_RE, Ticket, TicketMessage, Topic

logger = logging.getLogger(__name__)
DEFAULT_TOPIC = "Lainnya"
QUOTE_START = re.compile(r"^(On .+wrote:|Pada .+menulis:|-----Original Message-----)\s*$")


@dataclass
class IntakeResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return (
            f"{len(self.created)} tiket baru, {len(self.updated)} balasan, "
            f"{self.skipped} dilewati, {self.failed} gagal"
        )

    def add(self, outcome: str, reference: str = "") -> None:
        if outcome == "created":
            self.created.append(reference)
        elif outcome == "updated":
            self.updated.append(reference)
        else:
            self.skipped += 1


def _is_automatic(message: EmailMessage) -> bool:
    auto = str(message.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(message.get("Precedence", "")).strip().lower()
    return (
        auto != "no"
        or precedence in {"bulk", "junk", "list", "auto_reply"}
        or bool(message.get("X-Autoreply"))
        or str(message.get("Content-Type", "")).lower().startswith("multipart/report")
    )


def _body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        text = part.get_content()
    except (LookupError, UnicodeDecodeError):
        text = part.get_payload(decode=True).decode("utf-8", "replace")
    if part.get_content_type() == "text/html":
        text = strip_tags(text)
    lines = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if QUOTE_START.match(line.strip()):
            break
        if not line.startswith(">"):
            lines.append(line.rstrip())
    return "\n".join(lines).strip()


def _attachments(message: EmailMessage) -> tuple[list[ContentFile], list[str]]:
    """Files that pass the company-document rules, and a note for each refused one."""
    accepted, refused = [], []
    limit = max_upload_bytes()
    for part in message.iter_attachments():
        name = part.get_filename() or "lampiran"
        payload = part.get_payload(decode=True) or b""
        if not payload:
            refused.append(gettext("%(name)s: berkas kosong") % {"name": name})
        elif len(payload) > limit:
            refused.append(gettext("%(name)s: melebihi batas ukuran") % {"name": name})
        elif not detect_type(payload[:8]):
            refused.append(gettext("%(name)s: bukan PDF, JPEG atau PNG") % {"name": name})
        else:
            accepted.append(ContentFile(payload, name=name[:255]))
    return accepted, refused


def _topic() -> Topic:
    topic = Topic.objects.filter(name=DEFAULT_TOPIC).first()
    if topic is None:
        topic = Topic.objects.filter(is_active=True).first()
    if topic is None:
        topic = Topic.objects.create(name=DEFAULT_TOPIC, order=999)
    return topic


def _ticket_for(subject: str, sender: str) -> Ticket | None:
    match = REFERENCE_RE.search(subject or "")
    if not match:
        return None
    reference = f"HD-{match.group(1)}-{match.group(2)}".upper()
    ticket = Ticket.objects.select_related("requester").filter(reference=reference).first()
    if ticket is None:
        return None
    known = {services.requester_address(ticket).lower()}
    if ticket.requester_id and ticket.requester.email:
        known.add(ticket.requester.email.lower())
    return ticket if sender in known else None


def process_message(raw: bytes) -> tuple[str, str]:
    """Turn one RFC 5322 message into a ticket or a reply: ("created"|"updated"|"skipped", ref)."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    message_id = str(message.get("Message-ID", "")).strip()
    if not message_id:
        message_id = "<sha256-" + hashlib.sha256(raw).hexdigest() + "@tanpa-id>"
    if TicketMessage.objects.filter(email_message_id=message_id[:255]).exists():
        return "skipped", ""
    name, address = parseaddr(str(message.get("From", "")))
    address = address.strip().lower()
    if "@" not in address or address == settings.LPSE_DESK_EMAIL.lower() or _is_automatic(message):
        return "skipped", ""
    subject = " ".join(str(message.get("Subject", "")).split())[:200]
    body = _body_text(message)
    files, refused = _attachments(message)
    if refused:
        body += "\n\n" + gettext("Lampiran ditolak: %(list)s.") % {"list": "; ".join(refused)}
    ticket = _ticket_for(subject, address)
    if ticket is not None:
        services.requester_message(
            ticket,
            body.strip(),
            by=ticket.requester if ticket.requester_id else None,
            author_name=name or address,
            email_message_id=message_id,
            files=files,
        )
        return "updated", ticket.reference
    ticket = services.email_ticket(
        sender_name=name,
        sender_email=address,
        subject=subject,
        body=body.strip(),
        topic=_topic(),
        email_message_id=message_id,
        files=files,
    )
    return "created", ticket.reference


def _process_safely(raw: bytes, result: IntakeResult) -> bool:
    try:
        outcome, reference = process_message(raw)
    except Exception:  # one bad message must not stop the others; it stays unread
        logger.exception("Helpdesk e-mail could not be processed")
        result.failed += 1
        return False
    result.add(outcome, reference)
    return True


def read_maildir(path: str | Path) -> IntakeResult:
    """Read the unread messages of a Maildir; each processed one is flagged Seen in cur/."""
    result = IntakeResult()
    box = mailbox.Maildir(str(path), factory=None, create=False)
    for key in sorted(box.keys()):
        message = box.get_message(key)
        if "S" in message.get_flags():
            continue
        if _process_safely(message.as_bytes(), result):
            message.set_subdir("cur")
            message.add_flag("S")
            box[key] = message
    return result


def _imap_client(url: str):
    """imaps:// (TLS), imap+starttls:// (STARTTLS), both with verified certificates, or
    imap:// (plain: only to a server on this machine or a trusted network)."""
    parts = urlsplit(url)
    context = ssl.create_default_context()
    if parts.scheme == "imaps":
        return imaplib.IMAP4_SSL(parts.hostname, parts.port or 993, ssl_context=context, timeout=30)
    client = imaplib.IMAP4(parts.hostname, parts.port or 143, timeout=30)
    if parts.scheme == "imap+starttls":
        client.starttls(ssl_context=context)
    return client


def read_imap(url: str) -> IntakeResult:
    """Read UNSEEN messages over IMAP; each processed one is flagged \\Seen."""
    parts = urlsplit(url)
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    client = _imap_client(url)
    result = IntakeResult()
    try:
        client.login(unquote(parts.username or ""), unquote(parts.password or ""))
        client.select(folder)
        _status, data = client.uid("SEARCH", None, "UNSEEN")
        for uid in (data[0] or b"").split():
            _status, fetched = client.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((item[1] for item in fetched if isinstance(item, tuple)), None)
            if raw is None:
                continue
            if _process_safely(raw, result):
                client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            client.logout()
    return result


def fetch_configured() -> IntakeResult:
    """Read every configured source; nothing configured reads nothing."""
    total = IntakeResult()
    sources = []
    if settings.LPSE_DESK_MAILDIR:
        sources.append(lambda: read_maildir(settings.LPSE_DESK_MAILDIR))
    if settings.LPSE_DESK_IMAP_URL:
        sources.append(lambda: read_imap(settings.LPSE_DESK_IMAP_URL))
    for read in sources:
        result = read()
        total.created += result.created
        total.updated += result.updated
        total.skipped += result.skipped
        total.failed += result.failed
    return total

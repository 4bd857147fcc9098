"""Demo helpdesk data for `lpse demo`: knowledge-base articles and tickets in every state,
clearly marked (names end in "(DEMO)", addresses under demo.invalid, `is_demo=True`).

They go through the real services, so every ticket has its transitions, SOP case
steps and audit events. Running it again creates nothing twice.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from lpse.accounts.models import User
from lpse.sop.models import Procedure
from lpse.sop.services import load_procedures
from lpse.vendors.company import Deed, UploadAttempt
from lpse.vendors.models import Vendor

from . import escalation_services, kb_services, services, support_services
from .choices import Channel, RequesterType, TicketKind, TicketStatus
from .models import Article, Ticket, Topic

ARTICLES = (
    (
        "Jadwal dan syarat verifikasi penyedia",
        "Pendaftaran dan verifikasi penyedia",
        "Verifikasi dokumen asli dilakukan di kantor LPSE setiap hari kerja pukul 09.00-15.00 WIB, "
        "paling lambat 7 hari kerja setelah pendaftaran online. Bawa akta pendirian dan "
        "perubahannya, NIB, NPWP dan KTP direktur asli beserta formulir pendaftaran dan "
        "formulir keikutsertaan yang sudah ditandatangani.",
    ),
    (
        "Dokumen data penyedia gagal diunggah",
        "Data penyedia dan unggah dokumen",
        "Sistem menerima PDF, JPEG dan PNG sampai 20 MB. Berkas yang diganti namanya menjadi .pdf "
        "tetapi isinya bukan PDF akan ditolak. Perkecil hasil pindaian (300 dpi hitam-putih "
        "biasanya cukup) lalu unggah lagi. Riwayat unggahan Anda menampilkan sebab setiap "
        "penolakan.",
    ),
    (
        "Lupa kata sandi atau User ID",
        "Akun, User ID dan kata sandi",
        "Gunakan tautan Lupa kata sandi di halaman masuk; tautan dikirim ke e-mail perusahaan. "
        "Petugas LPSE tidak pernah meminta atau mengetahui kata sandi Anda.",
    ),
    (
        "Mengubah e-mail perusahaan",
        "Perubahan e-mail perusahaan",
        "Ajukan dari menu Data perusahaan > Ubah e-mail perusahaan dengan surat pernyataan "
        "bermeterai, lalu tunjukkan akta dan KTP asli direktur kepada verifikator.",
    ),
    (
        "Pendaftaran pelatihan SPSE",
        "Pelatihan SPSE",
        "SKPD mengajukan surat permohonan pelatihan. Pelatihan penyedia diadakan Rabu dan Kamis "
        "09.00-13.00; pelatihan admin agency, PPK dan panitia Senin, Selasa dan Jumat "
        "09.00-15.00.",
    ),
)


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _requester(name, kind, *, phone="", email="", org=""):
    return services.Requester(
        name=f"{name} (DEMO)", requester_type=kind, phone=phone, email=email, org=org
    )


def create_demo_desk() -> list[str]:
    """Create the demo articles and tickets once; returns lines to print."""
    if Ticket.objects.filter(is_demo=True).exists():
        return []
    if not Procedure.objects.filter(code=Ticket.SOP_CODE).exists():
        load_procedures()
    officer = _user("demo_helpdesk1") or _user("demo_helpdesk2")
    if officer is None:
        return []
    topics = {topic.name: topic for topic in Topic.objects.all()}
    other = topics.get("Lainnya") or Topic.objects.first()
    now = timezone.now()
    with transaction.atomic():
        for title, topic, body in ARTICLES:
            article = Article(title=title, body=body, topic=topics.get(topic), is_demo=True)
            kb_services.save_article(article, by=officer)
        made = []
        call = services.log_request(
            by=officer,
            requester=_requester("Pak Darto", RequesterType.VENDOR, phone="0812-0000-0001"),
            channel=Channel.PHONE,
            topic=topics.get("Pendaftaran dan verifikasi penyedia", other),
            question="Kapan saya harus datang membawa dokumen asli?",
            answer=ARTICLES[0][2],
            received_at=now - timedelta(days=1, hours=2),
            ended_at=now - timedelta(days=1, hours=2) + timedelta(minutes=4),
        )
        made.append(call)
        walk_in = services.log_request(
            by=officer,
            requester=_requester(
                "Ibu Ratna", RequesterType.PPK, phone="021-5990002", org="Dinas PUPR"
            ),
            channel=Channel.WALK_IN,
            topic=topics.get("Paket pengadaan dan jadwal", other),
            question="Bagaimana PPK melihat jadwal paket yang sudah diumumkan?",
            received_at=now - timedelta(hours=3),
        )
        made.append(walk_in)
        mailed = services.log_request(
            by=officer,
            requester=_requester("Rudi Hartono", RequesterType.PUBLIC, email="rudi@demo.invalid"),
            channel=Channel.EMAIL,
            topic=other,
            question="Apakah perorangan boleh mendaftar sebagai penyedia?",
            received_at=now - timedelta(hours=5),
        )
        services.reply(
            mailed,
            "Boleh, sebagai penyedia perorangan. Mohon sebutkan bidang usaha Anda?",
            by=officer,
            status=TicketStatus.WAITING_REQUESTER,
        )
        made.append(mailed)
        escalated = services.log_request(
            by=officer,
            requester=_requester(
                "Pokja Dinas Pendidikan", RequesterType.COMMITTEE, phone="021-5990003"
            ),
            channel=Channel.PHONE,
            topic=topics.get("Pembukaan dokumen penawaran", other),
            question="Tombol pembukaan penawaran galat 500 pada paket 10234.",
            received_at=now - timedelta(hours=6),
        )
        escalation_services.escalate(
            escalated,
            by=officer,
            reason="cannot_solve",
            sent_summary="Galat 500 saat pembukaan penawaran paket 10234; log server terlampir.",
            lkpp_reference="LKPP-DEMO-0001",
        )
        made.append(escalated)
        answered = services.log_request(
            by=officer,
            requester=_requester(
                "CV Sinar (DEMO)", RequesterType.VENDOR, email="sinar@demo.invalid"
            ),
            channel=Channel.EMAIL,
            topic=topics.get("Dokumen penawaran dan Apendo", other),
            question="Apendo versi baru tidak bisa dibuka di Windows 11.",
            received_at=now - timedelta(days=2),
        )
        lkpp = escalation_services.escalate(
            answered,
            by=officer,
            reason="not_covered",
            sent_summary="Kompatibilitas Apendo dengan Windows 11.",
            lkpp_reference="LKPP-DEMO-0002",
        )
        escalation_services.record_lkpp_answer(
            lkpp, by=officer, answer="Gunakan Apendo 4.1 yang mendukung Windows 11."
        )
        services.rate(answered, 4, "Jawaban LKPP membantu.")
        made.append(answered)
        made += _upload_case(officer, topics.get("Data penyedia dan unggah dokumen", other))
        Ticket.objects.filter(pk__in=[ticket.pk for ticket in made]).update(is_demo=True)
    return [f"  {t.reference}  {t.get_channel_display():<16} {t.subject[:50]}" for t in made]


def _upload_case(officer, topic) -> list[Ticket]:
    """ERR-4: a demo vendor's failed upload, its report and a read-only support grant."""
    vendor = Vendor.objects.filter(is_demo=True, activated_at__isnull=False).first()
    if vendor is None:
        return []
    deed = Deed.objects.filter(vendor=vendor).first() or Deed.objects.create(
        vendor=vendor,
        kind="founding",
        number="01",
        date=timezone.localdate() - timedelta(days=3650),
        notary="Notaris Demo, S.H.",
    )
    UploadAttempt.objects.create(
        vendor=vendor,
        user=vendor.user,
        section="deed",
        record_id=deed.pk,
        original_name="akta-pendirian-scan.pdf",
        declared_size=34_500_000,
        bytes_received=20_971_520,
        outcome="rejected",
        error_code="too_large",
        error_message="Berkas melebihi batas ukuran 20 MB.",
        user_agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120 (DEMO)",
    )
    ticket = services.file_ticket(
        by=vendor.user,
        topic=topic,
        subject="Tidak bisa unggah data penyedia",
        question="Akta pendirian selalu gagal diunggah.",
        kind=TicketKind.UPLOAD,
    )
    support_services.grant_access(vendor, by=vendor.user, ticket=ticket)
    return [ticket]

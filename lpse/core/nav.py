"""Navigation by role (SEC-1, GEN-1): one small registry, rendered on every page.

Each item names a URL by its name and says who may see it: everyone, anonymous
visitors only, any logged-in user, or the holders of given roles. The header
menu and the dashboard's links are both computed from this list, so a page a
user may not open is never offered to them. URLs are reversed at render time,
not at import, so apps can be added in any order.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lpse.accounts.choices import Role
from lpse.core.access import user_has_any_role

logger = logging.getLogger(__name__)


class Audience(StrEnum):
    PUBLIC = "public"  # everyone, logged in or not
    ANONYMOUS = "anonymous"  # only visitors who are not logged in (the login link)
    AUTHENTICATED = "authenticated"  # any logged-in user
    ROLES = "roles"  # holders of at least one of the item's roles


class Section(StrEnum):
    MAIN = "main"  # the header menu, for everyone
    WORK = "work"  # staff work areas: header menu "Kerja" and the dashboard cards
    ACCOUNT = "account"  # the user's own account: login, password, logout


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url_name: str
    section: Section
    audience: Audience = Audience.PUBLIC
    roles: frozenset[str] = frozenset()
    description: str | Promise = ""
    #: "post" for actions that change state (logout): rendered as a form button.
    method: str = "get"

    def visible_to(self, user) -> bool:
        authenticated = bool(user is not None and user.is_authenticated)
        if self.audience == Audience.PUBLIC:
            return True
        if self.audience == Audience.ANONYMOUS:
            return not authenticated
        if not authenticated:
            return False
        if self.audience == Audience.AUTHENTICATED:
            return True
        return user_has_any_role(user, self.roles)


def _roles(*roles: Role) -> frozenset[str]:
    return frozenset(str(role) for role in roles)


ITEMS: tuple[NavItem, ...] = (
    NavItem(
        "home",
        _("Beranda"),
        "core:home",
        Section.MAIN,
        description=_("Layanan LPSE, jam layanan dan kontak."),
    ),
    NavItem(
        "dashboard",
        _("Dasbor"),
        "core:dashboard",
        Section.MAIN,
        Audience.AUTHENTICATED,
        description=_("Ringkasan peran Anda dan pekerjaan yang dapat Anda lakukan."),
    ),
    NavItem(
        "sop",
        _("SOP"),
        "sop:list",
        Section.MAIN,
        description=_(
            "Standar Operasional Prosedur LPSE menurut Peraturan Bupati Tangerang "
            "Nomor 40 Tahun 2011."
        ),
    ),
    NavItem(
        "service_levels",
        _("Layanan SOP"),
        "sop:service_levels",
        Section.WORK,
        Audience.ROLES,
        _roles(Role.HEAD, Role.APPADMIN, Role.SYSADMIN, Role.HELPDESK, Role.VERIFIER),
        description=_("Kasus yang berjalan dan ketepatan waktu setiap langkah terhadap SOP."),
    ),
    NavItem(
        "monthly_summary",
        _("Ringkasan bulanan"),
        "reports:monthly",
        Section.WORK,
        Audience.ROLES,
        _roles(Role.HEAD, Role.APPADMIN, Role.LKPP_MONITOR),
        description=_(
            "Ringkasan satu halaman untuk Kepala LPSE: pendaftaran, helpdesk, pelatihan, "
            "tender, insiden, ketersediaan, cadangan dan ketepatan waktu SOP (PDF dan layar)."
        ),
    ),
    NavItem(
        "closures",
        _("Kalender kerja"),
        "core:closures",
        Section.WORK,
        Audience.ROLES,
        _roles(Role.HEAD),
        description=_("Hari libur nasional, cuti bersama dan hari tutup layanan LPSE."),
    ),
    NavItem(
        "audit",
        _("Jejak audit"),
        "audit:list",
        Section.WORK,
        Audience.ROLES,
        _roles(Role.HEAD, Role.APPADMIN, Role.SYSADMIN),
        description=_("Catatan setiap perubahan dan tindakan administratif beserta pelakunya."),
    ),
    NavItem(
        "company",
        _("Data perusahaan"),
        "vendors:company",
        Section.MAIN,
        Audience.ROLES,
        _roles(Role.VENDOR),
        description=_(
            "Izin usaha, akta, pajak, tenaga ahli, pengalaman dan peralatan beserta dokumennya."
        ),
    ),
    NavItem(
        "email_changes",
        _("Perubahan e-mail"),
        "vendors:email_changes",
        Section.WORK,
        Audience.ROLES,
        _roles(Role.AGENCY_ADMIN, Role.APPADMIN, Role.HEAD, Role.VERIFIER, Role.SYSADMIN),
        description=_("Permohonan perubahan e-mail perusahaan penyedia (SOP 3.3)."),
    ),
    NavItem(
        "upload_attempts",
        _("Riwayat unggahan"),
        "vendors:upload_attempts",
        Section.WORK,
        Audience.ROLES,
        _roles(Role.HELPDESK, Role.APPADMIN, Role.HEAD),
        description=_("Percobaan unggah dokumen penyedia, termasuk yang ditolak, dan sebabnya."),
    ),
    NavItem(
        "staff",
        _("Kelola staf"),
        "accounts:staff_list",
        Section.WORK,
        Audience.ROLES,
        _roles(Role.HEAD, Role.APPADMIN),
        description=_("Akun staf LPSE dan peran masing-masing."),
    ),
    NavItem(
        "vendor_register",
        _("Daftar sebagai penyedia"),
        "vendors:register",
        Section.MAIN,
        Audience.ANONYMOUS,
        description=_("Pendaftaran online calon penyedia barang/jasa."),
    ),
    NavItem(
        "vendor_status",
        _("Status pendaftaran"),
        "vendors:status",
        Section.MAIN,
        Audience.ROLES,
        _roles(Role.VENDOR),
        description=_("Status verifikasi perusahaan Anda dan syaratnya."),
    ),
    NavItem(
        "vendor_desk",
        _("Meja verifikasi"),
        "vendors:desk",
        Section.WORK,
        Audience.ROLES,
        _roles(Role.VERIFIER, Role.HEAD),
        description=_("Antrean pendaftar penyedia yang menunggu verifikasi dokumen."),
    ),
    NavItem(
        "vendor_checklist",
        _("Daftar periksa verifikasi"),
        "vendors:checklist",
        Section.WORK,
        Audience.ROLES,
        _roles(Role.HEAD),
        description=_("Dokumen yang diperiksa verifikator di meja verifikasi."),
    ),
    NavItem(
        "login",
        _("Masuk"),
        "accounts:login",
        Section.ACCOUNT,
        Audience.ANONYMOUS,
    ),
    NavItem(
        "password_change",
        _("Ubah kata sandi"),
        "accounts:password_change",
        Section.ACCOUNT,
        Audience.AUTHENTICATED,
        description=_("Ganti kata sandi akun Anda."),
    ),
    NavItem(
        "api_tokens",
        _("Token API"),
        "apitokens:list",
        Section.ACCOUNT,
        Audience.AUTHENTICATED,
        description=_("Token untuk aplikasi yang memakai API JSON atas nama Anda."),
    ),
    NavItem(
        "logout",
        _("Keluar"),
        "accounts:logout",
        Section.ACCOUNT,
        Audience.AUTHENTICATED,
        method="post",
    ),
    NavItem(
        "tender_manage",
        _("Kelola tender"),
        "tenders:committee_list",
        Section.WORK,
        Audience.ROLES,
        _roles(Role.COMMITTEE),
        description=_("Buat, umumkan dan jalankan tender Pokja Anda; ajukan perubahan jadwal."),
    ),
    NavItem(
        "schedule_changes",
        _("Perubahan jadwal tender"),
        "tenders:change_queue",
        Section.WORK,
        Audience.ROLES,
        _roles(Role.HEAD, Role.APPADMIN),
        description=_(
            "Permohonan perubahan jadwal dari Pokja untuk disetujui atau ditolak (SOP 3.5)."
        ),
    ),
    NavItem(
        "my_tenders",
        _("Tender saya"),
        "tenders:my_tenders",
        Section.MAIN,
        Audience.ROLES,
        _roles(Role.VENDOR),
        description=_("Tender yang diikuti perusahaan Anda: dokumen, penjelasan, sanggah."),
    ),
    NavItem(
        "bids_vendor",
        _("Penawaran saya"),
        "bids:my_bids",
        Section.MAIN,
        Audience.ROLES,
        _roles(Role.VENDOR),
        description=_("Unggah penawaran tersegel, tanda terima dan token unggah (lpse-seal)."),
    ),
    NavItem(
        "bids_committee",
        _("Kunci dan pembukaan penawaran"),
        "bids:committee_list",
        Section.WORK,
        Audience.ROLES,
        _roles(Role.COMMITTEE),
        description=_("Kunci tender, penawaran masuk dan pembukaan dengan frasa sandi Pokja."),
    ),
    NavItem(
        "tender_pacts",
        _("Pakta Integritas tender"),
        "tenders:pact_list",
        Section.WORK,
        Audience.ROLES,
        _roles(Role.COMMITTEE, Role.PPK),
        description=_(
            "Tender tempat Anda ditugaskan sebagai Pokja atau PPK dan persetujuan pakta."
        ),
    ),
    NavItem(
        "public_tenders",
        _("Daftar tender"),
        "tenders:public_list",
        Section.MAIN,
        description=_("Semua tender yang diumumkan: jadwal, pengumuman, pemenang, data OCDS."),
    ),
    # --- Helpdesk (DESK-1..4, ERR-4) ---
    NavItem(
        "desk_queue",
        _("Antrean helpdesk"),
        "desk:queue",
        Section.WORK,
        Audience.ROLES,
        _roles(Role.HELPDESK, Role.HEAD, Role.APPADMIN, Role.SYSADMIN),
        description=_("Catat telepon dan kunjungan, jawab tiket, teruskan ke LKPP (SOP 2.1, 3.7)."),
    ),
    NavItem(
        "desk_report",
        _("Laporan helpdesk"),
        "desk:report",
        Section.WORK,
        Audience.ROLES,
        _roles(Role.HELPDESK, Role.HEAD),
        description=_("Tiket per topik dan saluran, jam kerja, kepuasan penanya."),
    ),
    NavItem(
        "desk_my_tickets",
        _("Helpdesk"),
        "desk:my_tickets",
        Section.MAIN,
        Audience.AUTHENTICATED,
        description=_("Ajukan pertanyaan ke helpdesk LPSE dan ikuti jawabannya."),
    ),
    NavItem(
        "desk_articles",
        _("Tanya jawab"),
        "desk:articles",
        Section.MAIN,
        description=_("Jawaban atas pertanyaan yang sering diajukan tentang SPSE dan LPSE."),
    ),
    NavItem(
        "desk_grants",
        _("Akses dukungan"),
        "desk:grants",
        Section.MAIN,
        Audience.ROLES,
        _roles(Role.VENDOR),
        description=_("Izinkan helpdesk melihat data Anda sementara, tanpa kata sandi."),
    ),
    # --- Training (TRN-1..TRN-4) ---
    NavItem(
        "training",
        _("Pelatihan"),
        "training:list",
        Section.WORK,
        Audience.ROLES,
        _roles(Role.HELPDESK, Role.HEAD, Role.APPADMIN, Role.TRAINER, Role.AGENCY_ADMIN, Role.PPK),
        description=_("Permohonan pelatihan aplikasi SPSE dari SKPD, jadwal dan suratnya."),
    ),
    NavItem(
        "training_calendar",
        _("Kalender pelatihan"),
        "training:calendar",
        Section.WORK,
        Audience.ROLES,
        _roles(Role.HELPDESK, Role.HEAD, Role.APPADMIN, Role.TRAINER, Role.AGENCY_ADMIN, Role.PPK),
        description=_("Pelatihan bulan ini beserta ruang, pelatih dan hari libur."),
    ),
    NavItem(
        "training_feed",
        _("Kalender saya"),
        "training:my_feed",
        Section.WORK,
        Audience.ROLES,
        _roles(Role.TRAINER),
        description=_("Alamat iCalendar jadwal pelatihan Anda untuk aplikasi kalender."),
    ),
    NavItem(
        "training_exceptions",
        _("Hari pelatihan khusus"),
        "training:exceptions",
        Section.WORK,
        Audience.ROLES,
        _roles(Role.HEAD),
        description=_("Hari lain untuk pelatihan Admin Agency, PPK dan Panitia."),
    ),
    NavItem(
        "training_resources",
        _("Sarana pelatihan"),
        "training:resources",
        Section.WORK,
        Audience.ROLES,
        _roles(Role.HEAD, Role.APPADMIN),
        description=_("Ruang dan server latihan yang dapat dijadwalkan."),
    ),
    # --- Backups (BAK-1..BAK-3) ---
    NavItem(
        "backups",
        _("Cadangan"),
        "backups:list",
        Section.WORK,
        Audience.ROLES,
        _roles(Role.SYSADMIN),
        description=_("Register cadangan, umur cadangan terakhir, pemeriksaan dan lokasi media."),
    ),
    # Facility and maintenance (MON-5, MNT-1, MNT-2, INF-1..INF-3).
    NavItem(
        "facility",
        _("Fasilitas dan pemeliharaan"),
        "facility:index",
        Section.WORK,
        Audience.ROLES,
        _roles(*sorted(Role, key=str)) - _roles(Role.VENDOR),
        description=_(
            "Pengumuman pemeliharaan, daftar periksa Lampiran V, akses dan kondisi ruang server, "
            "data referensi."
        ),
    ),
    NavItem(
        "news",
        _("Berita"),
        "facility:news",
        Section.MAIN,
        description=_("Berita pengadaan barang/jasa dari LPSE."),
    ),
    # --- Operations console (MON-1..MON-7) ---
    NavItem(
        "ops",
        _("Konsol operasi"),
        "ops:dashboard",
        Section.WORK,
        Audience.ROLES,
        _roles(Role.SYSADMIN, Role.HEAD, Role.APPADMIN, Role.LKPP_MONITOR),
        description=_("Pemantauan server, situs, basis data, antrean, mail dan akses; insiden."),
    ),
    # --- Bid files that cannot be opened (ERR-1, SOP 3.1) ---
    NavItem(
        "failed_openings",
        _("Berkas gagal dibuka"),
        "bids:failed_openings",
        Section.WORK,
        Audience.ROLES,
        _roles(Role.HEAD, Role.APPADMIN, Role.SYSADMIN, Role.COMMITTEE, Role.HELPDESK),
        description=_(
            "Permohonan Pokja atas berkas penawaran yang tidak bisa dibuka, diagnosis, "
            "berita acara kesaksian dan eskalasi ke LKPP (SOP 3.1)."
        ),
    ),
)


@dataclass(frozen=True)
class NavLink:
    """A visible item with its URL, ready for a template."""

    item: NavItem
    url: str
    active: bool

    @property
    def key(self) -> str:
        return self.item.key

    @property
    def label(self) -> str | Promise:
        return self.item.label

    @property
    def description(self) -> str | Promise:
        return self.item.description

    @property
    def method(self) -> str:
        return self.item.method


def links_for(user, current_path: str = "", items: tuple[NavItem, ...] = ITEMS) -> list[NavLink]:
    """The items `user` may see, in registry order, with their URLs.

    An item whose URL name is not installed is left out (and logged) rather
    than breaking every page; `test_every_nav_item_reverses` keeps the
    registry and the URLconf in step.
    """
    links = []
    for item in items:
        if not item.visible_to(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            logger.warning("Navigation %s: URL name %s is not installed", item.key, item.url_name)
            continue
        home = url == "/"
        active = current_path == url if home else current_path.startswith(url)
        links.append(NavLink(item, url, active))
    return links


def grouped(links: list[NavLink]) -> dict[str, list[NavLink]]:
    """Links by section name, for templates: nav.main, nav.work, nav.account."""
    sections: dict[str, list[NavLink]] = {str(section): [] for section in Section}
    for link in links:
        sections[str(link.item.section)].append(link)
    return sections

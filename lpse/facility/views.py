"""The facility hub page: links to every part the user may open."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from lpse.accounts.choices import STAFF_ROLES
from lpse.core.access import role_required, user_has_any_role

from . import selectors

SECTIONS = [
    (
        "facility:window_list",
        _("Pengumuman pemeliharaan"),
        selectors.WINDOW_ROLES,
        _("Jadwal pemeliharaan server, pengumuman di setiap halaman dan mode baca-saja."),
    ),
    (
        "facility:checklist",
        _("Daftar periksa pemeliharaan"),
        selectors.CHECKLIST_ROLES,
        _("Kegiatan Lampiran V per siklus, dengan temuan dan tindak lanjut."),
    ),
    (
        "facility:inspections",
        _("Pemeriksaan pusat data"),
        selectors.FACILITY_VIEW_ROLES,
        _("Spesifikasi minimal dan sistem keamanan pusat data (Lampiran IV)."),
    ),
    (
        "facility:visits",
        _("Akses ruang server"),
        selectors.VISIT_REQUEST_ROLES,
        _("Izin masuk, catatan masuk dan keluar, laporan pengunjung."),
    ),
    (
        "facility:environment",
        _("Kondisi ruang server"),
        selectors.FACILITY_VIEW_ROLES,
        _("Suhu, kelembaban, catu daya, UPS, air, api dan pintu."),
    ),
    (
        "facility:reference",
        _("Data referensi"),
        selectors.REFERENCE_ROLES,
        _("Berita, indeks harga, kategori barang, bidang usaha, satuan kerja, pengguna."),
    ),
]


@role_required(*sorted(STAFF_ROLES))
def index(request):
    from django.urls import reverse

    links = []
    for name, label, roles, description in SECTIONS:
        if user_has_any_role(request.user, tuple(roles)):
            url = reverse(name, args=["berita"]) if name == "facility:reference" else reverse(name)
            links.append({"url": url, "label": label, "description": description})
    return render(request, "facility/index.html", {"links": links})

"""The starting list of helpdesk topics (DESK-1); the head and helpdesk edit it on the Topik page."""

from django.db import migrations

TOPICS = [
    "Pendaftaran dan verifikasi penyedia",
    "Data penyedia dan unggah dokumen",
    "Akun, User ID dan kata sandi",
    "Paket pengadaan dan jadwal",
    "Dokumen penawaran dan Apendo",
    "Pembukaan dokumen penawaran",
    "Perubahan e-mail perusahaan",
    "Pelatihan SPSE",
    "Keluhan layanan LPSE",
    "Lainnya",
]


def add_topics(apps, schema_editor):
    Topic = apps.get_model("desk", "Topic")
    for order, name in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(name=name, defaults={"order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("desk", "0001_initial")]

    operations = [migrations.RunPython(add_topics, migrations.RunPython.noop)]

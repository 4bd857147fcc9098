"""The LPSE's own training room and local training server (Lampiran II 2.4 step 7:
"server lokal"), so scheduling works on a fresh instance; rename or add more on
the Sarana pelatihan page."""

from django.db import migrations


def create(apps, schema_editor):
    Resource = apps.get_model("training", "TrainingResource")
    for kind, name, note in (
        ("room", "Ruang Pelatihan LPSE", "Ruang pelatihan di kantor LPSE"),
        ("server", "Server Latihan SPSE", "Server lokal aplikasi SPSE untuk latihan"),
    ):
        Resource.objects.get_or_create(kind=kind, name=name, defaults={"note": note})


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

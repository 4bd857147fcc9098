"""Load the business fields and the default desk checklist from lpse/vendors/data (REG-2, REG-4)."""

from pathlib import Path

import yaml
from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    BusinessField = apps.get_model("vendors", "BusinessField")
    Item = apps.get_model("vendors", "VerificationChecklistItem")
    fields = yaml.safe_load((DATA / "business_fields.yaml").read_text(encoding="utf-8"))
    order = 0
    for top in fields:
        order += 1
        parent, _ = BusinessField.objects.update_or_create(
            code=top["code"], defaults={"name": top["name"], "order": order, "parent": None}
        )
        for child in top.get("children", []):
            order += 1
            BusinessField.objects.update_or_create(
                code=child["code"],
                defaults={"name": child["name"], "order": order, "parent": parent},
            )
    items = yaml.safe_load((DATA / "checklist.yaml").read_text(encoding="utf-8"))
    for position, item in enumerate(items, start=1):
        Item.objects.get_or_create(
            code=item["code"],
            defaults={"label": item["label"], "required": item["required"], "order": position * 10},
        )


class Migration(migrations.Migration):
    dependencies = [("vendors", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

"""Reference data kept by the administrators (MNT-2, Lampiran V 1.a.6-11).

News, price index entries, item categories, business fields and sub-fields
(the vendors app's model) and work units (the accounts app's model) are
created and edited here, every change audited with before/after. Nothing is
deleted: an entry that other data may use is deactivated instead.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from lpse.accounts.models import WorkUnit
from lpse.audit.services import record, snapshot
from lpse.vendors.models import BusinessField

from .models import ItemCategory, News, PriceIndexEntry

#: kind (URL word) -> (model, audited fields, audit action stem)
KINDS: dict[str, tuple[type[models.Model], list[str]]] = {
    "berita": (News, ["title", "body", "published_at", "is_published"]),
    "indeks-harga": (
        PriceIndexEntry,
        ["item", "category", "unit", "price", "region", "period", "source", "is_active"],
    ),
    "kategori-barang": (ItemCategory, ["code", "name", "parent", "is_active"]),
    "bidang-usaha": (BusinessField, ["code", "name", "parent", "order", "is_active"]),
    "satuan-kerja": (WorkUnit, ["code", "name", "short_name", "is_active"]),
}


def _check_parent(instance) -> None:
    """A category or business field is never its own ancestor."""
    parent = getattr(instance, "parent", None)
    seen = set()
    while parent is not None:
        if parent.pk == instance.pk or parent.pk in seen:
            raise ValidationError(
                {"parent": _("Induk tidak boleh dirinya sendiri atau turunannya.")}
            )
        seen.add(parent.pk)
        parent = parent.parent


@transaction.atomic
def save_reference(kind: str, instance, data: dict, *, by, request=None):
    """Create (instance without pk) or update one reference entry from cleaned form data."""
    model, fields = KINDS[kind]
    if instance.pk:
        instance = model.objects.select_for_update().get(pk=instance.pk)
        before = snapshot(instance, fields)
    else:
        before = None
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])
    if model is News and not instance.pk:
        instance.created_by = by
    if model in (ItemCategory, BusinessField):
        _check_parent(instance)
    instance.full_clean()
    instance.save()
    instance.refresh_from_db()
    after = snapshot(instance, fields)
    record(
        f"facility.{model._meta.model_name}_{'changed' if before else 'created'}",
        actor=by,
        target=instance,
        before=before,
        after=after,
        summary=(_("%(kind)s diubah: %(name)s") if before else _("%(kind)s ditambahkan: %(name)s"))
        % {"kind": model._meta.verbose_name, "name": str(instance)[:200]},
        request=request,
    )
    return instance

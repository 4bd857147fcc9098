"""The tamper-evident event log (AUD-1).

Every event carries the SHA-256 of its predecessor and its own SHA-256 over a
canonical JSON of its fields (`lpse.audit.chain.event_hash`). Changing,
inserting or deleting any row breaks the chain at that point, and
`lpse audit verify` names it. The model refuses updates and deletes as a first
line of defence; the chain is the real protection, because anyone with SQL
access can bypass the ORM.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AppendOnlyError(Exception):
    """Raised on an attempt to change or delete an audit event through the ORM."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit events are append-only")

    def delete(self):
        raise AppendOnlyError("audit events are append-only")


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField(_("nomor urut"), unique=True, editable=False)
    at = models.DateTimeField(_("waktu"), editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pelaku"),
        # Not part of the hash: deleting a user sets this to NULL, while
        # actor_repr keeps who it was for ever (and is hashed).
    )
    actor_repr = models.CharField(_("pelaku (tercatat)"), max_length=200)
    action = models.CharField(_("tindakan"), max_length=100, db_index=True)
    target_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("jenis objek"),
    )
    target_id = models.CharField(_("ID objek"), max_length=64, blank=True)
    target_repr = models.CharField(_("objek"), max_length=300, blank=True)
    before = models.JSONField(_("sebelum"), null=True, blank=True)
    after = models.JSONField(_("sesudah"), null=True, blank=True)
    summary = models.TextField(_("ringkasan"), blank=True)
    # Plain text, not an inet column: the hashed form must come back unchanged.
    ip = models.CharField(_("alamat IP"), max_length=45, blank=True)
    prev_hash = models.CharField(_("hash sebelumnya"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("peristiwa audit")
        verbose_name_plural = _("peristiwa audit")
        indexes = [
            models.Index(fields=["target_type", "target_id", "seq"], name="audit_target_seq"),
            models.Index(fields=["actor", "seq"], name="audit_actor_seq"),
            models.Index(fields=["action", "seq"], name="audit_action_seq"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.actor_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit events are append-only")
        if kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events are append-only")


class ChainHead(models.Model):
    """One row: the last event of the chain.

    `record()` locks it (SELECT ... FOR UPDATE) to take the next number and the
    predecessor's hash, so two concurrent transactions can never link to the
    same predecessor. The lock is held until the caller's transaction ends,
    which is why services call record() as their last write. It also lets
    verify notice rows cut off the end of the chain.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("ujung rantai audit")
        verbose_name_plural = _("ujung rantai audit")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"

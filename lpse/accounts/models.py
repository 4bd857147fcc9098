from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .choices import STAFF_ROLES, Role


class WorkUnit(models.Model):
    """A work unit of the regency (SKPD): owns tenders, asks for training."""

    code = models.CharField(_("kode"), max_length=20, unique=True)
    name = models.CharField(_("nama"), max_length=200, unique=True)
    short_name = models.CharField(_("singkatan"), max_length=40, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("satuan kerja (SKPD)")
        verbose_name_plural = _("satuan kerja (SKPD)")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who logs in. Roles come from UserRole rows (SEC-1)."""

    email = models.EmailField(_("alamat e-mail"), blank=True, db_index=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    work_unit = models.ForeignKey(
        WorkUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("satuan kerja"),
    )
    is_demo = models.BooleanField(
        _("data demo"), default=False, help_text=_("Dibuat oleh `lpse demo`; bukan data nyata.")
    )

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    @cached_property
    def role_set(self) -> frozenset[str]:
        """The user's role codes; one query, or none when `role_rows` was prefetched."""
        if not self.pk or not self.is_active:
            return frozenset()
        prefetched = getattr(self, "_prefetched_objects_cache", {})
        if "role_rows" in prefetched:
            return frozenset(row.role for row in prefetched["role_rows"])
        return frozenset(self.role_rows.values_list("role", flat=True))

    def forget_roles(self) -> None:
        """Drop the cached roles after they changed (services call this)."""
        self.__dict__.pop("role_set", None)
        getattr(self, "_prefetched_objects_cache", {}).pop("role_rows", None)

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set.intersection(roles))

    @property
    def is_staff_role(self) -> bool:
        """Holds any staff role (or is a superuser): 2FA and short sessions apply."""
        return self.is_superuser or bool(self.role_set & STAFF_ROLES)

    def role_labels(self) -> list[str]:
        return [str(Role(code).label) for code in sorted(self.role_set)]


class UserRole(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_rows"
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(_("diberikan pada"), auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("peran pengguna")
        verbose_name_plural = _("peran pengguna")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_user_role")]
        indexes = [models.Index(fields=["role", "user"])]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()}"

"""Reference data pages (MNT-2): news, price index, item categories, business fields,
work units, and the list of user identities with activate/deactivate."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from lpse.accounts import services as account_services
from lpse.accounts.choices import STAFF_MANAGER_ROLES, Role
from lpse.accounts.models import User, UserRole
from lpse.core.access import role_required

from . import reference_services, selectors
from .forms import BusinessFieldForm, CategoryForm, NewsForm, PriceForm, WorkUnitForm
from .models import News

#: kind -> (form, title, columns shown in the list)
PAGES = {
    "berita": (
        NewsForm,
        gettext_lazy("Berita pengadaan"),
        ["title", "published_at", "is_published"],
    ),
    "indeks-harga": (
        PriceForm,
        gettext_lazy("Indeks harga"),
        ["item", "unit", "price", "region", "period", "source", "is_active"],
    ),
    "kategori-barang": (
        CategoryForm,
        gettext_lazy("Kategori barang"),
        ["code", "name", "parent", "is_active"],
    ),
    "bidang-usaha": (
        BusinessFieldForm,
        gettext_lazy("Bidang dan sub bidang usaha"),
        ["code", "name", "parent", "order", "is_active"],
    ),
    "satuan-kerja": (
        WorkUnitForm,
        gettext_lazy("Satuan kerja (instansi)"),
        ["code", "name", "short_name", "is_active"],
    ),
}


def _page(kind: str):
    if kind not in PAGES:
        raise Http404
    form_class, title, columns = PAGES[kind]
    model = reference_services.KINDS[kind][0]
    return model, form_class, title, columns


@role_required(*selectors.REFERENCE_ROLES)
@require_http_methods(["GET", "POST"])
def reference(request, kind: str, pk: int | None = None):
    model, form_class, title, columns = _page(kind)
    instance = get_object_or_404(model, pk=pk) if pk else model()
    form = form_class(request.POST or None, instance=instance)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = reference_services.save_reference(
                    kind, instance, form.cleaned_data, by=request.user, request=request
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, _("Tersimpan: %(name)s") % {"name": saved})
                return redirect("facility:reference", kind=kind)
        status = 400
    queryset = model.objects.all()
    search = request.GET.get("q", "").strip()
    if search:
        text_field = "title" if model is News else ("item" if kind == "indeks-harga" else "name")
        queryset = queryset.filter(**{f"{text_field}__icontains": search})
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    rows = [(obj, [_cell(obj, column) for column in columns]) for obj in page.object_list]
    return render(
        request,
        "facility/reference.html",
        {
            "kind": kind,
            "title": title,
            "kinds": [(key, value[1]) for key, value in PAGES.items()],
            "headers": [model._meta.get_field(column).verbose_name for column in columns],
            "rows": rows,
            "page": page,
            "form": form,
            "editing": instance if pk else None,
            "search": search,
        },
        status=status,
    )


def _cell(obj, column: str):
    value = getattr(obj, column)
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if column == "period" and value:
        return value.strftime("%m-%Y")
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d-%m-%Y %H.%M")
    return value if value is not None else "-"


@role_required(*selectors.REFERENCE_ROLES)
def users(request):
    """User identities of agencies and vendors (Lampiran V 1.a.11): read-only list with
    roles and status; staff accounts are edited in the accounts app's staff pages."""
    search = request.GET.get("q", "").strip()
    queryset = (
        User.objects.select_related("work_unit")
        .prefetch_related(Prefetch("role_rows", queryset=UserRole.objects.order_by("role")))
        .order_by("username")
    )
    if search:
        queryset = queryset.filter(
            Q(username__icontains=search)
            | Q(email__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
        )
    role = request.GET.get("peran", "")
    if role in Role.values:
        queryset = queryset.filter(role_rows__role=role)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "facility/users.html",
        {
            "page": page,
            "search": search,
            "role": role,
            "roles": Role.choices,
            "can_manage": request.user.is_superuser or request.user.has_role(*STAFF_MANAGER_ROLES),
        },
    )


@role_required(*STAFF_MANAGER_ROLES)
@require_POST
def user_active(request, pk: int):
    user = get_object_or_404(User, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        account_services.set_staff_active(user, active=active, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        messages.error(request, _("Anda tidak berwenang mengubah akun ini."))
    else:
        messages.success(
            request,
            (_("Akun %(name)s diaktifkan.") if active else _("Akun %(name)s dinonaktifkan."))
            % {"name": user.username},
        )
    return redirect("facility:users")


def news_list(request):
    """Procurement news for everyone (the home page shows the newest)."""
    page = Paginator(
        News.objects.filter(is_published=True, published_at__lte=timezone.now()).order_by(
            "-published_at", "-pk"
        ),
        20,
    ).get_page(request.GET.get("page"))
    return render(request, "facility/news.html", {"page": page})

"""Reads behind the SPSE-compatible pages (BID-5): the DataTables list and detail values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.http import Http404

from .formatting import rupiah
from .models import Participant, Tender
from .public_selectors import PublicFilter, get_public_tender, public_tenders, search
from .spse import CATEGORY_BY_ID, NON_TENDER_METHODS, ORDER_FIELDS, TENDER_METHODS

MAX_LENGTH = 1000


def _methods(kind: str) -> tuple[str, ...]:
    return {"lelang": TENDER_METHODS, "pl": NON_TENDER_METHODS}.get(kind, ())


def kind_counts() -> dict[str, int]:
    tenders = public_tenders()
    return {
        "lelang": tenders.filter(method__in=TENDER_METHODS).count(),
        "pl": tenders.filter(method__in=NON_TENDER_METHODS).count(),
    }


def _int(params, name: str, default: int, *, minimum: int = 0) -> int:
    value = params.get(name, "")
    if value in ("", None):
        return default
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"Parameter {name} harus bilangan bulat, bukan {value!r}.") from None
    if number < minimum:
        raise ValueError(f"Parameter {name} paling kecil {minimum}, bukan {number}.")
    return number


@dataclass(frozen=True)
class DataTableQuery:
    draw: int = 1
    start: int = 0
    length: int = 10
    year: int | None = None
    search: str = ""
    order: str = "0"
    descending: bool = True
    category: str = ""
    vendor_name: str = ""
    work_unit_code: str = ""

    @classmethod
    def from_params(cls, params) -> DataTableQuery:
        """DataTables' request fields; a malformed one is refused with its name (ValueError)."""
        length = _int(params, "length", 10, minimum=-1)
        if length == -1 or length > MAX_LENGTH:
            raise ValueError(
                f"Parameter length paling besar {MAX_LENGTH} baris per permintaan; "
                "ambil halaman berikutnya dengan start."
            )
        year = params.get("tahun", "")
        category = params.get("kategoriId", "")
        if category and category not in CATEGORY_BY_ID:
            raise ValueError(f"Parameter kategoriId harus 0 sampai 5, bukan {category!r}.")
        order = params.get("order[0][column]", "0") or "0"
        if order not in ORDER_FIELDS:
            raise ValueError(f"Parameter order[0][column] harus 0, 1, 2 atau 4, bukan {order!r}.")
        direction = params.get("order[0][dir]", "desc") or "desc"
        if direction not in ("asc", "desc"):
            raise ValueError(f"Parameter order[0][dir] harus asc atau desc, bukan {direction!r}.")
        return cls(
            draw=_int(params, "draw", 1),
            start=_int(params, "start", 0),
            length=length,
            year=_int(params, "tahun", 0) if year not in ("", "None") else None,
            search=params.get("search[value]", "").strip()[:100],
            order=order,
            descending=direction == "desc",
            category=CATEGORY_BY_ID.get(category, ""),
            vendor_name=(params.get("rekanan") or params.get("rkn_nama") or "").strip()[:100],
            work_unit_code=params.get("instansiId", "").strip()[:20],
        )


def datatable(kind: str, query: DataTableQuery, *, now: datetime) -> tuple[int, int, list]:
    """(recordsTotal, recordsFiltered, rows) in SPSE 4.5's row layout; constant queries."""
    methods = _methods(kind)
    if not methods:
        return 0, 0, []
    total = public_tenders().filter(method__in=methods).count()
    tenders = search(
        PublicFilter(q=query.search, category=query.category, year=query.year), now=now
    )
    tenders = tenders.filter(method__in=methods)
    if query.work_unit_code:
        tenders = tenders.filter(work_unit__code=query.work_unit_code)
    if query.vendor_name:
        joined = Participant.objects.filter(
            tender=OuterRef("pk"), vendor__name__icontains=query.vendor_name
        )
        tenders = tenders.filter(Exists(joined))
    field = ORDER_FIELDS[query.order]
    tenders = tenders.order_by(f"-{field}" if query.descending else field, "-code")
    unfiltered = not (query.search or query.category or query.year or query.work_unit_code)
    filtered = total if unfiltered and not query.vendor_name else tenders.count()
    if query.length == 0:
        return total, filtered, []
    page = tenders[query.start : query.start + query.length]
    row = _tender_row if kind == "lelang" else _non_tender_row
    return total, filtered, [row(tender, now) for tender in page]


def _kind_and_year(tender: Tender) -> str:
    return f"{tender.get_category_display()} - TA {tender.budget_year}"


def _tender_row(tender: Tender, now: datetime) -> list:
    return [
        tender.code,
        tender.name,
        settings.LPSE_PARENT,
        tender.stage_label(now),
        rupiah(tender.hps),
        tender.get_qualification_display(),
        tender.get_method_display(),
        "",
        _kind_and_year(tender),
        str(tender.participant_count),
        "",
    ]


def _non_tender_row(tender: Tender, now: datetime) -> list:
    return [
        tender.code,
        tender.name,
        settings.LPSE_PARENT,
        tender.stage_label(now),
        rupiah(tender.hps),
        tender.get_method_display(),
        _kind_and_year(tender),
        str(tender.participant_count),
    ]


def get_spse_tender(code: str, *, non_tender: bool) -> Tender:
    tender = get_public_tender(code)
    if (tender.method in NON_TENDER_METHODS) != non_tender:
        raise Http404(code)
    return tender


def spse_context(tender: Tender, context: dict, *, non_tender: bool) -> dict:
    """Labels and values that differ between SPSE's tender and non-tender pages."""
    participants = list(tender.participants.all())
    shown = context["winner_announced"]
    word = "Paket" if non_tender else "Tender"
    return {
        "agency": settings.LPSE_PARENT,
        "word": word,
        "participants": participants,
        "evaluated": participants if shown else [],
        "non_tender": non_tender,
    }

"""CSV and XLSX exports of every filtered list (RPT-1).

A list declares its columns once (`Listing`: header text through gettext, a
value accessor) and its view hands the SAME queryset it pages through (built
by the app's one filter selector from the user and the cleaned filter form) to
`respond()`. So the file holds exactly the rows of the filtered page, all
pages of it, under the same role check and object scope as the page.

Memory stays flat whatever the number of rows:

* CSV is a `StreamingHttpResponse`: `csv.writer` over a pseudo-buffer turns
  each row into text as the queryset is read with `.iterator(chunk_size=...)`
  (a server-side cursor on PostgreSQL, `fetchmany` on SQLite); nothing is
  cached on the queryset. UTF-8 with a byte-order mark, so Excel opens
  Indonesian text (é, “ ”, —) correctly; commas, RFC 4180 quoting.
* XLSX is written by XlsxWriter in `constant_memory` mode (each row flushed
  to a temporary file as soon as the next row starts) into an anonymous
  temporary file, which a `FileResponse` then sends and closes (deleting it).

Cells are made safe for spreadsheets (CSV/formula injection, OWASP): in CSV a
text value starting with = + - @ tab or CR gets a leading apostrophe; in XLSX
text is always written as a string cell (never a formula) and such a value
gets Excel's "quote prefix" style, so it shows as typed and is never evaluated.
Dates and times are in Asia/Jakarta (WIB). Exports of personal data write an
audit event: who exported which list, in which format, with which filters.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import xlsxwriter
from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

#: Query parameter asking for a file instead of the page: ?unduh=csv or ?unduh=xlsx.
FORMAT_PARAM = "unduh"
FORMATS = ("csv", "xlsx")
#: Rows read from the database at a time (and per prefetch query, where a list prefetches).
CHUNK_SIZE = 2000
#: Characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Page-number parameters of the lists: never carried into an export link.
PAGE_PARAMS = ("page", "halaman", FORMAT_PARAM)

_CSV_FLUSH = 64 * 1024  # bytes of CSV text gathered before handing a chunk to the server
_DATETIME_CSV = "%Y-%m-%d %H:%M"
_DATE_CSV = "%Y-%m-%d"


@dataclass(frozen=True)
class Column:
    """One column of an export: its header (lazy gettext) and how to read a row's value."""

    header: Any
    value: Callable[[Any], Any]
    width: int = 0  # XLSX column width in characters; 0 = from the header


class label_of:
    """Value accessor showing a choice field by its label, e.g. ``label_of("status", X.choices)``.

    ``get_FOO_display()`` rebuilds and hashes the (lazy) choices on every call,
    which took three quarters of the export time (bench/export_memory.py); this
    resolves the labels once per language and then looks them up in a dict.
    """

    def __init__(self, attname: str, choices) -> None:
        self.attname = attname
        self.choices = tuple(choices)
        self._labels: dict[str, dict] = {}

    def __call__(self, row) -> Any:
        language = get_language() or ""
        labels = self._labels.get(language)
        if labels is None:
            labels = {value: str(label) for value, label in self.choices}
            self._labels[language] = labels
        value = getattr(row, self.attname)
        return labels.get(value, value)


@dataclass(frozen=True)
class Listing:
    """What an exported list is: a slug for the file name and audit, a title, its columns.

    `personal` lists (names, e-mail addresses, NPWP, IP addresses...) are audited
    on every export.
    """

    slug: str
    title: Any
    columns: tuple[Column, ...]
    personal: bool = True


# --- The request side --------------------------------------------------------------------


def wanted(request: HttpRequest) -> str | None:
    """The export format the request asks for (``?unduh=csv|xlsx``), else None (the page)."""
    value = request.GET.get(FORMAT_PARAM, "")
    return value if value in FORMATS else None


def refuse(request: HttpRequest) -> None:
    """A bad filter on an export: no file; the page says why (with the form's own messages)."""
    messages.error(
        request,
        gettext("Berkas tidak dibuat: perbaiki isian saringan yang ditandai, lalu unduh lagi."),
    )


def _filters_only(request: HttpRequest):
    query = request.GET.copy()
    for name in PAGE_PARAMS:
        query.pop(name, None)
    return query


def download(
    request: HttpRequest, form: forms.Form, listing: Listing, queryset: QuerySet, filters
) -> HttpResponse | None:
    """The file the request asks for (``?unduh=``), else None: the view renders its page.

    With a bad filter there is no file: the page is rendered (status 400 by the view) with
    the form's messages and a note that no file was made.
    """
    fmt = wanted(request)
    if fmt is None:
        return None
    if form.errors:
        refuse(request)
        return None
    return respond(request, listing, queryset, fmt=fmt, filters=filters)


def page_query(request: HttpRequest) -> str:
    """The current filters as a query string for the page links (page number left out)."""
    return _filters_only(request).urlencode()


def export_query(request: HttpRequest, fmt: str) -> str:
    """The current filters as a query string for the export link, without page numbers."""
    query = _filters_only(request)
    query[FORMAT_PARAM] = fmt
    return query.urlencode()


def respond(
    request: HttpRequest,
    listing: Listing,
    queryset: QuerySet,
    *,
    fmt: str,
    filters: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """The file of `queryset` (already filtered and scoped for the user) in `fmt`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    used = {key: value for key, value in (filters or {}).items() if value not in (None, "", [])}
    if listing.personal:
        record_export(listing, fmt, used, by=request.user, request=request)
    name = file_name(listing, fmt)
    if fmt == "csv":
        return csv_response(csv_chunks(listing.columns, queryset), name)
    response = FileResponse(
        xlsx_file(listing, queryset),
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


@transaction.atomic
def record_export(
    listing: Listing, fmt: str, filters: Mapping[str, Any], *, by, request=None
) -> None:
    """Audit event of an export of personal data (who, which list, which format and filters)."""
    from lpse.audit.services import record

    record(
        "reports.export",
        actor=by,
        after={"list": listing.slug, "format": fmt, "filters": dict(filters)},
        summary=gettext("Mengunduh %(title)s (%(format)s)")
        % {"title": listing.title, "format": fmt.upper()},
        request=request,
    )


def file_name(listing: Listing, fmt: str, now: datetime | None = None) -> str:
    """``<list>-<YYYY-MM-DD>.<fmt>``, the date of today in WIB."""
    day = timezone.localdate(now or timezone.now())
    return f"{listing.slug}-{day.isoformat()}.{fmt}"


# --- Filters shared by the lists ---------------------------------------------------------

_DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]


def _date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=_DATE_FORMATS,
        error_messages={
            "invalid": _("Tanggal tidak valid; tulis TTTT-BB-HH, misalnya 2026-01-31.")
        },
        widget=forms.DateInput(
            attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d"
        ),
    )


def search_field(placeholder) -> forms.CharField:
    """The text search of a list's filter form."""
    return forms.CharField(
        label=_("Cari"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "class": "form-control form-control-sm",
                "placeholder": placeholder,
            }
        ),
    )


def status_field(choices) -> forms.ChoiceField:
    """The status choice of a list's filter form, with the shared message for unknown values."""
    return forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=choices,
        error_messages={"invalid_choice": _("Status %(value)s tidak ada. Pilih dari daftar.")},
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )


class PeriodFilterForm(forms.Form):
    """Base of the small filter forms of the lists: a period of WIB days, both inclusive.

    Subclasses add their own fields (status, text search; see `search_field` and
    `status_field`) and may name the period (`period_labels`, e.g. "Diajukan
    dari/sampai"); every field is optional, so an empty form filters nothing.
    """

    dari = _date_field(_("Dari tanggal"))
    sampai = _date_field(_("Sampai tanggal"))
    period_labels: tuple | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.period_labels:
            self.fields["dari"].label, self.fields["sampai"].label = self.period_labels

    def clean(self):
        data = super().clean()
        since, until = data.get("dari"), data.get("sampai")
        if since and until and until < since:
            self.add_error("sampai", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return data

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    @property
    def filtered(self) -> bool:
        return self.is_bound and any(
            self.data.get(name) for name in self.fields if name not in PAGE_PARAMS
        )


def in_period(field: str, since: date | None, until: date | None) -> Q:
    """`field` (a datetime) within the WIB days `since`..`until`, both inclusive."""
    zone = timezone.get_default_timezone()
    condition = Q()
    if since:
        condition &= Q(**{f"{field}__gte": datetime.combine(since, time(0), tzinfo=zone)})
    if until:
        following = datetime.combine(until + timedelta(days=1), time(0), tzinfo=zone)
        condition &= Q(**{f"{field}__lt": following})
    return condition


# --- Cell values -------------------------------------------------------------------------


def cell(value: Any) -> Any:
    """A plain cell value: None -> "", aware datetimes -> naive WIB, lazy text -> str."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("Ya") if value else gettext("Tidak")
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, date | int | float | Decimal):
        return value
    return str(value)


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START)


def csv_text(value: Any) -> str:
    """The CSV text of a value, neutralised against formula injection."""
    value = cell(value)
    if isinstance(value, datetime):
        return value.strftime(_DATETIME_CSV)
    if isinstance(value, date):
        return value.strftime(_DATE_CSV)
    if isinstance(value, str):
        return "'" + value if is_formula_like(value) else value
    return str(value)


class _Echo:
    """A pseudo-buffer: csv.writer's write() hands back the line instead of storing it."""

    def write(self, value: str) -> str:
        return value


def csv_stream(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> Iterator[bytes]:
    """A CSV file in chunks of about 64 KB: BOM + header row, then one line per row, each
    value through `csv_text` (WIB dates, formula injection neutralised)."""
    writer = csv.writer(_Echo())
    buffer = ["\ufeff", writer.writerow([str(title) for title in header])]
    size = 0
    for row in rows:
        line = writer.writerow([csv_text(value) for value in row])
        buffer.append(line)
        size += len(line)
        if size >= _CSV_FLUSH:
            yield "".join(buffer).encode("utf-8")
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode("utf-8")


def csv_chunks(columns: Iterable[Column], queryset: QuerySet) -> Iterator[bytes]:
    """The CSV file of a list: its columns' headers, then the queryset read in chunks."""
    columns = tuple(columns)
    rows = (
        [column.value(row) for column in columns]
        for row in queryset.iterator(chunk_size=CHUNK_SIZE)
    )
    return csv_stream((column.header for column in columns), rows)


def csv_response(chunks: Iterator[bytes], filename: str) -> StreamingHttpResponse:
    """A streamed CSV download that no cache keeps."""
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    patch_cache_control(response, private=True, no_store=True)
    return response


def _sheet_name(title: Any) -> str:
    name = "".join(" " if ch in "[]:*?/\\" else ch for ch in str(title)).strip()
    return name[:31] or "Data"


def xlsx_file(listing: Listing, queryset: QuerySet):
    """An anonymous temporary file holding the XLSX of `queryset`, rewound for reading."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    try:
        write_xlsx(handle, listing, queryset)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle


def write_xlsx(
    target, listing: Listing, queryset: QuerySet, *, constant_memory: bool = True
) -> None:
    """Write the workbook row by row to a path or binary file `target`.

    `constant_memory=False` (XlsxWriter's default: every cell kept until the end)
    exists only for bench/export_memory.py to measure what the constant mode saves.
    """
    workbook = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": constant_memory,
            "tmpdir": tempfile.gettempdir(),
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    sheet = workbook.add_worksheet(_sheet_name(listing.title))
    bold = workbook.add_format({"bold": True})
    when = workbook.add_format({"num_format": "dd-mm-yyyy hh:mm"})
    day = workbook.add_format({"num_format": "dd-mm-yyyy"})
    quoted = workbook.add_format({"quote_prefix": True})
    columns = listing.columns
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width or max(12, len(str(column.header)) + 2))
    sheet.freeze_panes(1, 0)
    for index, column in enumerate(columns):
        sheet.write_string(0, index, str(column.header), bold)
    row_number = 0
    for row_number, row in enumerate(queryset.iterator(chunk_size=CHUNK_SIZE), start=1):
        for index, column in enumerate(columns):
            value = cell(column.value(row))
            if isinstance(value, datetime):
                sheet.write_datetime(row_number, index, value, when)
            elif isinstance(value, date):
                sheet.write_datetime(row_number, index, value, day)
            elif isinstance(value, int | float | Decimal):
                sheet.write_number(row_number, index, value)
            elif value == "":
                continue
            elif is_formula_like(value):
                sheet.write_string(row_number, index, value, quoted)
            else:
                sheet.write_string(row_number, index, value)
    if row_number:
        sheet.autofilter(0, 0, row_number, len(columns) - 1)
    workbook.close()

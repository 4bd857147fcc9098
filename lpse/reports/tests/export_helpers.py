"""Reading exported files back as a user's spreadsheet would (RPT-1): CSV with the stdlib,
XLSX by parsing the sheet XML inside the zip (no extra test dependency)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from django.http import FileResponse, StreamingHttpResponse

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
UTF8_BOM = b"\xef\xbb\xbf"


def body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    assert response.streaming, "an export is sent as a stream, never built as one string"
    return b"".join(response.streaming_content)


def read_csv(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    assert not isinstance(response, FileResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    data = body(response)
    assert data.startswith(UTF8_BOM), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(data[len(UTF8_BOM) :].decode("utf-8"), newline="")))


@dataclass
class Sheet:
    rows: list[list[str]]
    formulas: int = 0
    quoted: set[tuple[int, int]] = field(default_factory=set)  # (row, column) with quotePrefix


def _parse(data: bytes):
    return ElementTree.fromstring(data)  # noqa: S314 - our own export, read back in a test


def _column(ref: str) -> int:
    letters = re.match(r"[A-Z]+", ref).group(0)
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number - 1


def read_xlsx(response) -> Sheet:
    assert isinstance(response, FileResponse)
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    with zipfile.ZipFile(io.BytesIO(body(response))) as archive:
        names = archive.namelist()
        shared = []
        if "xl/sharedStrings.xml" in names:
            for item in _parse(archive.read("xl/sharedStrings.xml")):
                shared.append("".join(t.text or "" for t in item.iter(f"{MAIN}t")))
        styles = _parse(archive.read("xl/styles.xml"))
        xfs = styles.find(f"{MAIN}cellXfs")
        quote_styles = {
            str(index) for index, xf in enumerate(xfs) if xf.get("quotePrefix") in ("1", "true")
        }
        sheet_xml = _parse(archive.read("xl/worksheets/sheet1.xml"))
    sheet = Sheet(rows=[])
    for row_number, row in enumerate(sheet_xml.iter(f"{MAIN}row")):
        values: list[str] = []
        for cell in row.iter(f"{MAIN}c"):
            column = _column(cell.get("r"))
            values.extend([""] * (column + 1 - len(values)))
            if cell.find(f"{MAIN}f") is not None:
                sheet.formulas += 1
            kind = cell.get("t")
            if kind == "inlineStr":
                text = "".join(t.text or "" for t in cell.iter(f"{MAIN}t"))
            elif kind == "s":
                text = shared[int(cell.find(f"{MAIN}v").text)]
            else:
                value = cell.find(f"{MAIN}v")
                text = value.text if value is not None else ""
            values[column] = text
            if cell.get("s") in quote_styles:
                sheet.quoted.add((row_number, column))
        sheet.rows.append(values)
    return sheet


def column(rows: list[list[str]], header: str) -> list[str]:
    """The values of the column titled `header`, header row left out."""
    index = rows[0].index(header)
    return [row[index] if index < len(row) else "" for row in rows[1:]]


def shown_in_order(html: str, candidates) -> list[str]:
    """Those of `candidates` that a page's HTML shows, in the order it shows them."""
    found = [(html.index(item), item) for item in candidates if item in html]
    return [item for _position, item in sorted(found)]


def all_pages(client, url: str, params: dict, candidates, page_param: str = "page") -> list:
    """What a user paging through the filtered list sees, first page to last."""
    seen: list[str] = []
    for number in range(1, 50):
        response = client.get(url, {**params, page_param: number})
        assert response.status_code == 200
        html = response.content.decode()
        new = [item for item in shown_in_order(html, candidates) if item not in seen]
        if not new:
            break
        seen.extend(new)
    return seen

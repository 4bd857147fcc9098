"""RPT-1 in real headless Chromium: the download buttons carry the list's filters and the
browser saves a file named after the list, holding the filtered rows."""

from __future__ import annotations

import csv
import io

import pytest

from lpse.conftest import screenshot
from lpse.tenders.tests import public_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rpt1_public_list_downloads_the_filtered_csv_from_its_button(page, browser_problems):
    who = public_data.people()
    for n in range(6):
        public_data.make_tender(
            who,
            f"{30000000 + n}",
            name=f"Pengadaan alat kesehatan {n}",
            category=("construction", "goods")[n % 2],
        )
    page.goto("/tender/")
    page.select_option("#id_category", "goods")
    with page.expect_navigation():
        page.get_by_role("button", name="Cari").click()
    screenshot(page, "rpt1-public-list-filtered")
    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh CSV").click()
    download = info.value
    assert download.suggested_filename.startswith("tender-")
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), "rb") as handle:
        text = handle.read().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert [row[0] for row in rows[1:]] == ["30000005", "30000003", "30000001"]
    assert {row[4] for row in rows[1:]} == {"Pengadaan Barang"}
    assert browser_problems == []

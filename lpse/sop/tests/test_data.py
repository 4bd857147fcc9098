"""SOP-1: the appendix (Lampiran) of Perbup Tangerang 40/2011 transcribed as data files.

Every YAML file under lpse/sop/data/ is checked against the format the SOP
registry loads, and its text against the regulation itself
(lpse/sop/data/source/, a copy of the text the appendix was transcribed
from): the flow tables row by row and cell by cell, every header field
verbatim after the same markup stripping.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).resolve().parents[1] / "data"
REGULATION = DATA / "source" / "000_0871a22c6ebadd9d.txt"

#: Joins the titles of nested groups in a step's group_title (Lampiran V).
GROUP_SEPARATOR = " \u203a "

STEP_COUNTS = {
    "1.1": 9,
    "2.1": 3,
    "2.3": 7,
    "3.1": 3,
    "3.3": 3,
    "3.5": 3,
    "3.7": 4,
    "5.1": 49,
    "6.1": 3,
}
FLOW_CODES = {
    "1.1": "1.2",
    "2.1": "2.2",
    "2.3": "2.4",
    "3.1": "3.2",
    "3.3": "3.4",
    "3.5": "3.6",
    "3.7": "3.8",
    "5.1": None,
    "6.1": None,
}

TEXT_KEYS = (
    "chapter",
    "chapter_title",
    "title",
    "activity",
    "issuer",
    "regulation",
    "number",
    "approved_by",
    "related_text",
    "executor_qualification",
    "equipment",
    "recording_duty",
    "notes",
)
OPTIONAL_TEXT_KEYS = ("flow_code", "source_title", "flow_title", "period")
DATE_KEYS = ("created_on", "revised_on", "effective_on")
LIST_KEYS = ("legal_basis", "related_codes", "warnings")
STEP_TEXT_KEYS = ("group", "group_title", "description", "requirements", "time", "output")
ALL_KEYS = {
    "code",
    "appendix_date",
    "steps",
    *TEXT_KEYS,
    *OPTIONAL_TEXT_KEYS,
    *DATE_KEYS,
    *LIST_KEYS,
}
STEP_KEYS = {"number", "executors", *STEP_TEXT_KEYS}


def strip_markup(text: str) -> str:
    """The regulation's HTML/Markdown markup removed, whitespace collapsed."""
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\*+", "", text)
    return re.sub(r"\s+", " ", text).strip()


REGULATION_LINES = REGULATION.read_text(encoding="utf-8").splitlines()
APPENDIX = strip_markup(
    "\n".join(REGULATION_LINES[REGULATION_LINES.index("LAMPIRAN : PERATURAN BUPATI TANGERANG") :])
)


def load_all() -> dict[str, dict]:
    procedures = {}
    for path in sorted(DATA.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["_file"] = path.name
        procedures[data["code"]] = data
    return procedures


PROCEDURES = load_all()


def source_rows(flow_code: str) -> list[list[str]]:
    """The cells (markup stripped) of each numbered row of the flow table `flow_code`."""
    start = next(
        i
        for i, line in enumerate(REGULATION_LINES)
        if re.match(re.escape(flow_code) + r"\.? ", line) and i > 190
    )
    header = REGULATION_LINES.index("1.\t2\t3\t4\t5\t6\t7\t8", start)
    rows = []
    for line in REGULATION_LINES[header + 1 :]:
        if not re.match(r"^\d+\.\t", line):
            break
        rows.append([strip_markup(cell) for cell in line.split("\t")])
    return rows


def test_sop1_every_procedure_of_the_appendix_has_one_data_file():
    assert set(PROCEDURES) == set(STEP_COUNTS)
    for code, data in PROCEDURES.items():
        assert data["_file"].startswith(f"{code}-"), data["_file"]
        assert re.fullmatch(r"\d\.\d-[a-z0-9-]+\.yaml", data["_file"]), data["_file"]


@pytest.mark.parametrize("code", sorted(STEP_COUNTS))
def test_sop1_data_file_matches_the_registry_format(code):
    data = PROCEDURES[code]
    assert set(data) - {"_file"} == ALL_KEYS
    assert data["code"] == code
    assert data["flow_code"] == FLOW_CODES[code]
    for key in TEXT_KEYS:
        assert isinstance(data[key], str), key
    for key in OPTIONAL_TEXT_KEYS:
        assert data[key] is None or (isinstance(data[key], str) and data[key]), key
    for key in LIST_KEYS:
        assert isinstance(data[key], list), key
        assert all(isinstance(item, str) and item for item in data[key]), key
    assert data["appendix_date"] == dt.date(2011, 11, 24)
    assert data["regulation"] == "Peraturan Bupati Tangerang Nomor 40 Tahun 2011"
    assert set(data["related_codes"]) <= set(STEP_COUNTS) - {code}
    for step in data["steps"]:
        assert set(step) == STEP_KEYS
        assert isinstance(step["number"], int)
        for key in STEP_TEXT_KEYS:
            assert isinstance(step[key], str), (step["number"], key)
        assert isinstance(step["executors"], list)
        assert all(isinstance(name, str) and name for name in step["executors"])
        assert step["description"]


@pytest.mark.parametrize(("code", "count"), sorted(STEP_COUNTS.items()))
def test_sop1_steps_are_numbered_one_to_n_without_gaps(code, count):
    numbers = [step["number"] for step in PROCEDURES[code]["steps"]]
    assert numbers == list(range(1, count + 1))


def test_sop1_header_fields_left_blank_in_the_appendix_stay_blank():
    for data in PROCEDURES.values():
        assert data["number"] == ""
        assert data["approved_by"] == ""
        assert data["created_on"] is None
        assert data["revised_on"] is None
        assert data["effective_on"] is None


@pytest.mark.parametrize("code", sorted(c for c, flow in FLOW_CODES.items() if flow))
def test_sop1_flow_table_rows_match_the_regulation_cell_by_cell(code):
    data = PROCEDURES[code]
    rows = source_rows(data["flow_code"])
    assert len(rows) == len(data["steps"])
    for step, row in zip(data["steps"], rows, strict=True):
        number, description, p1, p2, p3, requirements, time, output = row
        assert number == f"{step['number']}."
        assert step["description"] == description
        assert step["executors"] == [name for name in (p1, p2, p3) if name]
        assert step["requirements"] == requirements
        assert step["time"] == time
        assert step["output"] == output


@pytest.mark.parametrize("code", sorted(STEP_COUNTS))
def test_sop1_every_text_appears_verbatim_in_the_appendix(code):
    data = PROCEDURES[code]
    texts = [data[key] for key in ("chapter_title", "title", "activity", "issuer")]
    texts += [data[key] for key in ("source_title", "flow_title", "period") if data[key]]
    texts += [
        data[key]
        for key in ("related_text", "executor_qualification", "equipment", "recording_duty")
    ]
    texts += data["legal_basis"] + data["warnings"]
    for step in data["steps"]:
        texts += [step["description"], step["requirements"], step["time"], step["output"]]
        texts += step["executors"]
        texts += step["group_title"].split(GROUP_SEPARATOR) if step["group_title"] else []
    missing = [text for text in texts if text and text not in APPENDIX]
    assert missing == []


def test_sop1_spot_checks_of_registration_and_verification_1_1():
    data = PROCEDURES["1.1"]
    assert data["title"] == (
        "Prosedur Pendaftaran Rekanan dan Layanan Registrasi dan Verifikasi Dokumen Penyedia"
    )
    assert data["legal_basis"] == [
        "Undang-Undang Nomor 11 Tahun 2008 tentang Informasi dan Transaksi Elektronik.",
        "Peraturan Presiden Nomor 54 Tahun 2010 tentang Pengadaan Barang/Jasa Pemerintah",
    ]
    assert data["related_codes"] == ["2.3", "2.1"]
    assert data["warnings"][0] == (
        "E-mail perusahaan yang didaftarkan pada LPSE harus e-mail yang diketahui password "
        "nya dan masih aktif."
    )
    step7, step9 = data["steps"][6], data["steps"][8]
    assert step7["time"] == "7 (tujuh) hari kerja"
    assert step9["time"] == "15 \u2013 30 menit"  # en dash, as in the source
    assert step9["executors"] == ["Verifikator", "Rekanan"]
    assert step9["output"] == (
        "Verifikator memberikan tanda lengkap pada muka map dokumen perusahaan."
    )


def test_sop1_spot_checks_of_helpdesk_training_and_error_handling():
    assert PROCEDURES["2.1"]["steps"][2]["output"] == ""  # 2.2 step 3 has no output
    training = PROCEDURES["2.3"]["steps"]
    assert training[2]["time"] == "Segera setelah disposisi/ penugasan"
    assert training[3]["executors"] == ["Ka. BPTI", "Kepala LPSE", "Ka. Sub Bagian Tata Usaha"]
    assert training[6]["time"].startswith(
        "1. Pelatihan untuk rekanan setiap hari rabu dan kamis jam 09.00-13.00."
    )
    assert PROCEDURES["3.1"]["warnings"] == []  # "Peringatan -"
    assert PROCEDURES["3.3"]["steps"][0]["time"] == "Hari kerja"
    assert PROCEDURES["3.5"]["steps"][1]["executors"] == [
        "Kepala LPSE",
        "Administrator Sistem, Administrator Aplikasi",
    ]
    assert PROCEDURES["3.7"]["steps"][3]["time"] == "1 \u2013 24 Jam"


def test_sop1_mislabelled_3_7_keeps_the_source_heading_and_says_so():
    data = PROCEDURES["3.7"]
    assert data["title"] == "Kegiatan Rekanan tidak bisa Upload Data Penyedia"
    assert data["source_title"] == (
        "Bagan .Alur Proses Layanan Perubahan Jadwal Pengadaan Barang/Jasa"
    )
    assert "3.7. " + data["source_title"] in REGULATION_LINES
    assert "source_title" in data["notes"]
    assert all(PROCEDURES[c]["source_title"] is None for c in STEP_COUNTS if c != "3.7")


def test_sop1_monitoring_table_5_1_keeps_groups_executors_and_the_7_working_days():
    data = PROCEDURES["5.1"]
    steps = {step["group"]: step for step in data["steps"]}
    assert len(steps) == 49  # every item has its own path
    assert data["period"] == "7 hari kerja"
    assert {step["time"] for step in data["steps"]} == {"7 hari kerja"}
    first = steps["1.a.1"]
    assert first["description"] == "Melakukan pengawasan apakah website SPSE masih tetap berjalan."
    assert first["executors"] == ["Administrator SPSE"]
    assert first["group_title"] == (
        "Pengawasan terhadap Perangkat Lunak (Software)" + GROUP_SEPARATOR + "Aplikasi SPSE"
    )
    assert steps["1.a.6"]["executors"] == ["Admin Penyedia barang/jasa"]
    assert steps["1.b.2"]["description"] == "Microsoft Windows Server"
    assert steps["1.b.2.i"]["executors"] == []  # no executor in the source
    assert steps["1.c.3"]["executors"] == ["Ahli Database"]
    assert steps["3.D"]["executors"] == ["Ahli Sistem Keamanan"]
    assert steps["2.B"]["description"] == (
        "Melakukan pengawasan terhadap media pendukung PC, seperti CD-Room, Floppy Disk dll"
    )
    assert [step["group"] for step in data["steps"]][-8:] == [
        "2.A", "2.B", "2.C", "2.D", "3.A", "3.B", "3.C", "3.D",
    ]  # fmt: skip
    assert "Waktu efektif pelaksanaan kegiatan 7 hari kerja" in data["notes"]


def test_sop1_backup_provisions_6_1_are_steps_without_executors():
    data = PROCEDURES["6.1"]
    assert [step["description"] for step in data["steps"]] == [
        "LPSE harus melakukan back up terhadap file sistem dan database SPSE minimal 7 x 24 jam",
        "Back up harus disimpan dalam media penyimpanan yang mudah dipindah (portable) dan "
        "diletakkan di suatu tempat yang aman terpisah dari ruang server",
        "Ketentuan pengarsipan dokumen elektronik mengikuti ketentuan yang berlaku.",
    ]
    assert all(step["executors"] == [] for step in data["steps"])

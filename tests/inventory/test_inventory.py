"""The ingest API the pipeline calls: reader choice by suffix, several files into one inventory, errors."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from sovereign.errors import InputError, InputErrors, UnsupportedFormatError
from sovereign.inventory import (
    READERS,
    archi_csv_reader,
    archimate_reader,
    csv_reader,
    read_inventories,
    read_inventory,
    xlsx_reader,
)
from sovereign.model import InputFile

FIXTURES = Path(__file__).parents[1] / "fixtures"
ACCEPTED = ".csv, .json, .tsv, .txt, .xlsm, .xlsx, .xml, .zip"


def test_readers_by_suffix() -> None:
    assert {
        ".csv": csv_reader,
        ".tsv": csv_reader,
        ".txt": csv_reader,
        ".xlsx": xlsx_reader,
        ".xlsm": xlsx_reader,
        ".xml": archimate_reader,
        ".zip": archi_csv_reader,
    } == READERS
    for module in set(READERS.values()):
        assert callable(module.read) and callable(module.read_table) and module.SUFFIXES


def test_suffix_is_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / "INVENTARIS.CSV"
    shutil.copy(FIXTURES / "csv" / "bom_utf8.csv", path)
    assert [a.name for a in read_inventory(path).applications] == ["Zaaksysteem", "Financiën"]


def test_tsv_goes_to_the_csv_reader(tmp_path: Path) -> None:
    path = tmp_path / "lijst.tsv"
    path.write_text("Naam\tLeverancier\nGIS\tEsri\n", encoding="utf-8")
    assert [(a.name, a.vendor) for a in read_inventory(path).applications] == [("GIS", "Esri")]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("notes.docx", f"notes.docx: unsupported format '.docx'; sovereign reads {ACCEPTED}\n"
                       f"Hint: save the inventory as {ACCEPTED}"),
        ("oud.xls", f"oud.xls: unsupported format '.xls'; sovereign reads {ACCEPTED}\n"
                    "Hint: save the workbook from Excel as an Excel workbook (.xlsx)"),
        ("inventaris", f"inventaris: unsupported format (no suffix); sovereign reads {ACCEPTED}\n"
                       f"Hint: save the inventory as {ACCEPTED}"),
    ],
)  # fmt: skip
def test_unsupported_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, message: str) -> None:
    monkeypatch.chdir(tmp_path)
    Path(name).write_text("Applicatie\nGIS\n", encoding="utf-8")
    with pytest.raises(UnsupportedFormatError) as info:
        read_inventory(Path(name))
    assert str(info.value) == message


def test_missing_file_without_suffix_is_missing_not_unsupported(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_inventory(tmp_path / "exports")
    assert str(info.value) == f"{tmp_path / 'exports'}: no such file\nHint: check the path and the file name"


def test_read_inventories_merges_files_and_describes_each(tmp_path: Path) -> None:
    csv_path = tmp_path / "applicaties.csv"
    csv_path.write_text("Applicatie;Leverancier;BIV\nZaaksysteem;Roxit;2/3/3\nGIS;Esri;\n", encoding="utf-8")
    xlsx_path = FIXTURES / "xlsx" / "title_rows.xlsx"
    inventory, files = read_inventories([csv_path, xlsx_path])
    assert [(str(a.source), a.app_id) for a in inventory.applications] == [
        (f"{csv_path}:2", "zaaksysteem"),
        (f"{csv_path}:3", "gis"),
        (f"{xlsx_path}:Applicaties:4", "zaaksysteem-2"),  # more columns filled in: not an exact duplicate
        (f"{xlsx_path}:Applicaties:6", "burgerzaken-gemeente-sudwest-fryslan"),
    ]
    assert files == (
        InputFile(path=str(csv_path), sha256=hashlib.sha256(csv_path.read_bytes()).hexdigest(), rows=2),
        InputFile(path=str(xlsx_path), sha256=hashlib.sha256(xlsx_path.read_bytes()).hexdigest(), rows=2),
    )
    assert inventory.rows_read == sum(f.rows for f in files) == 4


def test_read_inventories_merges_exact_duplicates_across_files(tmp_path: Path) -> None:
    this_year, copy = tmp_path / "a.csv", tmp_path / "b.csv"
    this_year.write_text("Applicatie;Leverancier\nGIS;Esri\n", encoding="utf-8")
    copy.write_text("Application,Vendor\nGIS,Esri\nMail,Microsoft\n", encoding="utf-8")
    inventory, files = read_inventories([this_year, copy])
    assert [a.app_id for a in inventory.applications] == ["gis", "mail"]
    assert [(str(m.source), str(m.into)) for m in inventory.merged] == [(f"{copy}:2", f"{this_year}:2")]
    assert (
        f"{copy}: 1 row repeats an earlier row exactly and was merged into it: line 2 into {this_year}:2"
        in (inventory.warnings)
    )
    assert [f.rows for f in files] == [1, 2]


def test_read_inventories_reports_every_broken_file_at_once() -> None:
    empty, no_name = FIXTURES / "csv" / "empty.csv", FIXTURES / "xlsx" / "no_name_column.xlsx"
    with pytest.raises(InputErrors) as info:
        read_inventories([empty, FIXTURES / "csv" / "bom_utf8.csv", no_name])
    assert [e.location for e in info.value.errors] == [str(empty), f"{no_name}:Blad1:1"]


def test_read_inventories_raises_a_single_error_alone() -> None:
    with pytest.raises(InputError) as info:
        read_inventories([FIXTURES / "csv" / "bom_utf8.csv", FIXTURES / "csv" / "unterminated_quote.csv"])
    assert not isinstance(info.value, InputErrors)
    assert info.value.location == f"{FIXTURES / 'csv' / 'unterminated_quote.csv'}:3"


def test_read_inventories_checks_suffixes_before_reading(tmp_path: Path) -> None:
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.7")
    with pytest.raises(UnsupportedFormatError):
        read_inventories([FIXTURES / "csv" / "empty.csv", tmp_path / "x.pdf"])


def test_read_inventories_of_nothing() -> None:
    inventory, files = read_inventories([])
    assert (inventory.applications, inventory.rows_read, files) == ((), 0, ())

"""The XLSX reader: title rows, sheet choice, cell types, and damaged or foreign files."""

from __future__ import annotations

from pathlib import Path

import pytest

from sovereign.errors import InputError
from sovereign.inventory import xlsx_reader
from sovereign.model import Biv, Inventory

XLSX = Path(__file__).parents[1] / "fixtures" / "xlsx"
HINT_SAVE_AGAIN = "Hint: open it in Excel or LibreOffice and save it again as an Excel workbook (.xlsx)"


@pytest.fixture(autouse=True)
def _in_fixture_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(XLSX)


def read(name: str) -> Inventory:
    inventory = xlsx_reader.read(Path(name))
    assert inventory.rows_read == len(inventory.applications) + len(inventory.merged) + len(
        inventory.rejected
    )
    return inventory


def error(name: str | Path) -> str:
    with pytest.raises(InputError) as info:
        xlsx_reader.read(Path(name))
    return str(info.value)


def test_title_rows_are_skipped_and_rows_keep_their_excel_number() -> None:
    inventory = read("title_rows.xlsx")
    assert [(str(a.source), a.app_id, a.users, a.business_critical) for a in inventory.applications] == [
        ("title_rows.xlsx:Applicaties:4", "zaaksysteem", 1200, True),
        ("title_rows.xlsx:Applicaties:6", "burgerzaken-gemeente-sudwest-fryslan", 300, False),
    ]
    # The BIV typed as the number 233 reads like the text "233".
    assert {a.biv for a in inventory.applications} == {Biv(availability=2, integrity=3, confidentiality=3)}
    assert inventory.rows_read == 2  # row 5 is blank, as Excel leaves rows
    assert inventory.warnings == (
        "title_rows.xlsx:Applicaties:3: header row; 2 rows above it skipped as a title",
    )


def test_cell_types_become_text_as_excel_shows_them() -> None:
    inventory = read("cell_types.xlsx")
    assert [(a.app_id, a.version, a.users, a.personal_data, a.extra) for a in inventory.applications] == [
        ("7", "10.2", 1200, True, (("Contracteinde", "2026-12-31"), ("Laatste audit", "2024-05-01 13:45:00"),
                                   ("Kosten", "0.3"))),
        ("8", "3", 45, False, (("Contracteinde", "2027-01-01"), ("Laatste audit", "09:30:00"), ("Kosten", "12500"))),
    ]  # fmt: skip


def test_first_sheet_with_a_header_is_read_and_the_others_are_named() -> None:
    inventory = read("second_sheet.xlsx")
    assert [str(a.source) for a in inventory.applications] == ["second_sheet.xlsx:Applicaties:2"]
    assert inventory.warnings == (
        "second_sheet.xlsx: read sheet 'Applicaties'; no application name column on sheet 'Toelichting'",
        "second_sheet.xlsx: sheet 'Archief 2023' also has an application name column but was not read; "
        "only the first such sheet is read",
    )


def test_no_name_column() -> None:
    assert error("no_name_column.xlsx") == (
        "no_name_column.xlsx:Blad1:1: no column with the application name (found columns: 'Leverancier', 'Versie')\n"
        "Hint: name the column that holds the application names one of: Applicatie, Applicatienaam, "
        "Application, Application name, Naam, Name, Systeem, Systeemnaam, Naam applicatie, Applicatie naam"
    )


def test_header_only() -> None:
    assert error("header_only.xlsx") == (
        "header_only.xlsx:Blad1:1: no rows below the header\n"
        "Hint: the file has a header but no applications; export it again with its rows"
    )


def test_empty_workbook() -> None:
    assert error("empty_workbook.xlsx") == (
        "empty_workbook.xlsx: the file is empty (no rows)\n"
        "Hint: export the inventory again, with a header row and one row per application"
    )


def test_zero_bytes(tmp_path: Path) -> None:
    path = tmp_path / "leeg.xlsx"
    path.write_bytes(b"")
    assert error(path).startswith(f"{path}: the file is empty (no rows)\n")


@pytest.mark.parametrize("name", ["truncated.xlsx", "not_a_zip.xlsx"])
def test_damaged_workbook_is_wrapped(name: str) -> None:
    with pytest.raises(InputError) as info:
        xlsx_reader.read(Path(name))
    assert str(info.value) == (
        f"{name}: not a readable XLSX workbook: it is damaged or not an Excel file (not a valid ZIP archive)\n"
        + HINT_SAVE_AGAIN
    )
    assert type(info.value.__cause__).__name__ == "BadZipFile"


def test_zip_without_a_workbook_inside(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    message = error(path)
    assert message.startswith(f"{path}: not a readable XLSX workbook: it is damaged (")
    assert message.endswith("\n" + HINT_SAVE_AGAIN)


def test_old_xls_or_encrypted_workbook(tmp_path: Path) -> None:
    path = tmp_path / "oud.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert error(path) == (
        f"{path}: not an XLSX workbook: it looks like an old .xls or a password-protected workbook\n"
        "Hint: save it from Excel as an Excel workbook (.xlsx), without a password"
    )


def test_damaged_sheet_xml_is_wrapped(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "kapot.xlsx"
    with zipfile.ZipFile(XLSX / "title_rows.xlsx") as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            broken = item.filename == "xl/worksheets/sheet1.xml"
            target.writestr(item.filename, b"<worksheet" if broken else source.read(item.filename))
    assert error(path) == (
        f"{path}: not a readable XLSX workbook: it is damaged (ParseError: unclosed token: line 1, column 0)\n"
        + HINT_SAVE_AGAIN
    )

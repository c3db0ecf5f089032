"""Properties of the inventory readers: round trips, only our errors escape, line numbers lie in the file."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from sovereign.errors import InputError, InputErrors, UnsupportedFormatError
from sovereign.inventory import read_inventory
from sovereign.model import Application, Inventory, Location

from .strategies import DELIMITERS, SETTINGS, Document, applications, csv_documents, messy_text, write_rows

XLSX_FIXTURE = Path(__file__).parents[1] / "fixtures" / "xlsx" / "title_rows.xlsx"

# (Dutch header, English header) per field, in the order the columns are written.
# fmt: off
HEADERS = {
    "app_id":            ("ID", "ID"),
    "name":              ("Applicatie", "Application"),
    "vendor":            ("Leverancier", "Vendor"),
    "product":           ("Product", "Product"),
    "version":           ("Versie", "Version"),
    "category":          ("Categorie", "Category"),
    "gemma_component":   ("GEMMA-component", "GEMMA component"),
    "hosting":           ("Hosting", "Deployment"),
    "hosting_provider":  ("Hostingpartij", "Hosting provider"),
    "data_location":     ("Datalocatie", "Data location"),
    "department":        ("Afdeling", "Department"),
    "owner":             ("Eigenaar", "Owner"),
    "business_critical": ("Bedrijfskritisch", "Business critical"),
    "personal_data":     ("Persoonsgegevens", "Personal data"),
    "users":             ("Aantal gebruikers", "Users"),
    "depends_on":        ("Afhankelijk van", "Depends on"),
    "exit_plan":         ("Exitstrategie", "Exit plan"),
    "organisation":      ("Organisatie", "Organisation"),
}
BIV_HEADERS = (("Beschikbaarheid", "Integriteit", "Vertrouwelijkheid"), ("Availability", "Integrity", "Confidentiality"))
# fmt: on


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


def accounted(inventory: Inventory) -> Inventory:
    assert inventory.rows_read == len(inventory.applications) + len(inventory.merged) + len(
        inventory.rejected
    )
    return inventory


def without_source(app: Application) -> dict[str, object]:
    fields = {name: getattr(app, name) for name in Application.__slots__}  # type: ignore[attr-defined]
    del fields["source"]
    return fields


# ---------------------------------------------------------------------------------------------------------
# (a) Round trips


def three_biv_columns(document: Document) -> bool:
    partial = any(
        a.biv is not None and None in (a.biv.availability, a.biv.confidentiality)
        for a in document.applications
    )
    return document.biv_columns or partial


def header_row(document: Document) -> list[str]:
    language = 0 if document.dutch else 1
    header = [names[language] for names in HEADERS.values()]
    header += list(BIV_HEADERS[language]) if three_biv_columns(document) else ["BIV"]
    return [*header, "Contractnummer"]


def text_row(app: Application, document: Document) -> list[str]:
    """One application as text cells, the way a municipality's spreadsheet would hold it."""
    yes, no = ("Ja", "Nee") if document.dutch else ("yes", "no")
    cells = []
    for field in HEADERS:
        value = getattr(app, field)
        if isinstance(value, bool):
            cells.append(yes if value else no)
        elif field == "users" and value is not None:
            grouped = f"{value:,}"
            cells.append(grouped.replace(",", ".") if document.dutch else grouped)
        elif field == "depends_on":
            cells.append("; ".join(value))
        else:
            cells.append("" if value is None else str(value))
    levels = (app.biv.availability, app.biv.integrity, app.biv.confidentiality) if app.biv else (None,) * 3
    if three_biv_columns(document):
        cells += ["" if level is None else str(level) for level in levels]
    else:
        cells.append("" if app.biv is None else str(app.biv))
    return [*cells, app.extra[0][1]]


@SETTINGS
@given(document=csv_documents())
def test_round_trip_through_csv_writer(workdir: Path, document: Document) -> None:
    text = write_rows(
        [header_row(document), *(text_row(a, document) for a in document.applications)], document.delimiter
    )
    path = workdir / "round_trip.csv"
    path.write_bytes(text.encode(document.encoding))
    inventory = accounted(read_inventory(path))
    assert [without_source(a) for a in inventory.applications] == [
        without_source(a) for a in document.applications
    ]
    lines = [a.source.line or 0 for a in inventory.applications]
    assert lines == sorted(lines) and lines[0] == 2


@SETTINGS
@given(apps=applications(), dutch=st.booleans())
def test_round_trip_through_openpyxl(workdir: Path, apps: tuple[Application, ...], dutch: bool) -> None:
    document = Document(applications=apps, delimiter=";", encoding="", biv_columns=True, dutch=dutch)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Blad1"
    sheet.append(["Applicatieoverzicht"])  # a title row
    sheet.append(header_row(document))
    users_column = list(HEADERS).index("users")
    for app in apps:
        row: list[object] = list(text_row(app, document))
        # A text starting with "=" is a formula to openpyxl, and has no cached value to read back.
        assume(not any(str(cell).startswith("=") for cell in row))
        row[users_column] = app.users  # a number cell, as people type it
        row[list(HEADERS).index("business_critical")] = app.business_critical  # a boolean cell
        sheet.append(row)
    path = workdir / "round_trip.xlsx"
    workbook.save(path)
    inventory = accounted(read_inventory(path))
    assert [without_source(a) for a in inventory.applications] == [without_source(a) for a in apps]
    assert [a.source for a in inventory.applications] == [
        Location(path=str(path), sheet="Blad1", line=n) for n in range(3, 3 + len(apps))
    ]


# ---------------------------------------------------------------------------------------------------------
# (b) Only our errors escape


def read_or_user_error(path: Path) -> Inventory | InputError | InputErrors | UnsupportedFormatError:
    try:
        return accounted(read_inventory(path))
    except (InputError, InputErrors, UnsupportedFormatError) as e:
        assert str(e)  # a message for the user, never empty
        return e


@SETTINGS
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".txt", ".tsv", ".xlsx", ".xlsm"]))
def test_arbitrary_bytes_raise_only_input_errors(workdir: Path, data: bytes, suffix: str) -> None:
    path = workdir / f"bytes{suffix}"
    path.write_bytes(data)
    read_or_user_error(path)


@SETTINGS
@given(text=messy_text(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_arbitrary_text_raises_only_input_errors(workdir: Path, text: str, encoding: str) -> None:
    path = workdir / "text.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    read_or_user_error(path)


@SETTINGS
@given(
    cut=st.integers(min_value=0),
    flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(1, 255)), max_size=4),
)
def test_damaged_workbooks_raise_only_input_errors(
    workdir: Path, cut: int, flips: list[tuple[int, int]]
) -> None:
    data = bytearray(XLSX_FIXTURE.read_bytes())
    for position, mask in flips:
        data[position % len(data)] ^= mask
    path = workdir / "damaged.xlsx"
    path.write_bytes(bytes(data[: len(data) - cut % len(data)] if cut else data))
    read_or_user_error(path)


@SETTINGS
@given(sheet_xml=st.binary(max_size=200) | messy_text().map(str.encode))
def test_damaged_sheet_inside_a_sound_zip_raises_only_input_errors(workdir: Path, sheet_xml: bytes) -> None:
    # Replace the worksheet of a valid workbook: the damage shows only while the rows are read.
    buffer = io.BytesIO()
    with zipfile.ZipFile(XLSX_FIXTURE) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            is_sheet = item.filename == "xl/worksheets/sheet1.xml"
            target.writestr(item.filename, sheet_xml if is_sheet else source.read(item.filename))
    path = workdir / "bad_sheet.xlsx"
    path.write_bytes(buffer.getvalue())
    read_or_user_error(path)


# ---------------------------------------------------------------------------------------------------------
# (c) Reported line numbers lie within the file


def physical_lines(text: str) -> int:
    return len(io.StringIO(text, newline="").readlines())


def reported_lines(
    path: Path, outcome: Inventory | UnsupportedFormatError | InputError | InputErrors
) -> list[int]:
    """Every line number the outcome names: row sources, merge targets, warnings and error locations."""
    prefix = re.escape(str(path))
    if isinstance(outcome, Inventory):
        locations = [a.source for a in outcome.applications]
        locations += [m.source for m in outcome.merged] + [m.into for m in outcome.merged]
        locations += [r.source for r in outcome.rejected]
        numbers = [location.line for location in locations if location.line is not None]
        for warning in outcome.warnings:
            numbers += [int(n) for n in re.findall(rf"^{prefix}:(\d+):", warning)]
            numbers += [int(n) for n in re.findall(r"\bline (\d+)", warning)]
        return numbers
    errors = outcome.errors if isinstance(outcome, InputErrors) else (outcome,)
    return [
        int(n) for e in errors for n in re.findall(rf"^{prefix}:(\d+)$", getattr(e, "location", "") or "")
    ]


@SETTINGS
@given(
    text=messy_text(), header=st.sampled_from(["", "Applicatie;Leverancier\n", "Naam,BIV\r\n", "ID\tName\n"])
)
def test_reported_lines_lie_within_the_file(workdir: Path, text: str, header: str) -> None:
    path = workdir / "lines.csv"
    path.write_text(header + text, encoding="utf-8", newline="")
    outcome = read_or_user_error(path)
    lines = physical_lines(header + text)
    assert all(1 <= n <= lines for n in reported_lines(path, outcome))


@SETTINGS
@given(
    rows=st.lists(
        st.lists(st.sampled_from(["GIS", "", " ", "a\nb", 'x"y', "2/3/3", "Naam"]), max_size=4), max_size=12
    ),
    delimiter=st.sampled_from(DELIMITERS),
)
def test_row_lines_are_where_the_rows_start(workdir: Path, rows: list[list[str]], delimiter: str) -> None:
    # Rows written by csv.writer, with quoted line breaks: each row starts where the lines before it end.
    text = write_rows([["Applicatie", "Opmerking"], *rows], delimiter)
    path = workdir / "starts.csv"
    path.write_text(text, encoding="utf-8", newline="")
    outcome = read_or_user_error(path)
    if not isinstance(outcome, Inventory):
        return
    starts, line = [], 2
    for row in rows:
        starts.append(line)
        line += physical_lines(write_rows([row], delimiter))
    seen = sorted(
        [a.source.line for a in outcome.applications]
        + [m.source.line for m in outcome.merged]
        + [r.source.line for r in outcome.rejected]
    )
    assert set(seen) <= set(starts)
    assert all(1 <= n <= physical_lines(text) for n in reported_lines(path, outcome))

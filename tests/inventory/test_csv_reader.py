"""The CSV reader on one tiny fixture per quirk: encodings, delimiters, quoting, line numbers, errors."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from sovereign.errors import InputError
from sovereign.inventory import csv_reader
from sovereign.model import Biv, Inventory, Location

CSV = Path(__file__).parents[1] / "fixtures" / "csv"
EXAMPLE = Path(__file__).parents[2] / "catalogs" / "examples" / "gemeente-voorbeeld.csv"

HINT_NAME = (
    "Hint: name the column that holds the application names one of: Applicatie, Applicatienaam, Application, "
    "Application name, Naam, Name, Systeem, Systeemnaam, Naam applicatie, Applicatie naam"
)
HINT_SAVE = "Hint: save the inventory from Excel as CSV UTF-8 (.csv), or pass the .xlsx workbook itself"


@pytest.fixture(autouse=True)
def _in_fixture_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    # Read fixtures by their bare name, so messages read as a user would see them.
    monkeypatch.chdir(CSV)


def read(name: str) -> Inventory:
    inventory = csv_reader.read(Path(name))
    assert inventory.rows_read == len(inventory.applications) + len(inventory.merged) + len(
        inventory.rejected
    )
    return inventory


def error(name: str | Path) -> str:
    with pytest.raises(InputError) as info:
        csv_reader.read(Path(name))
    return str(info.value)


def rows(inventory: Inventory, *fields: str) -> list[tuple[object, ...]]:
    return [(a.source.line, *(getattr(a, f) for f in fields)) for a in inventory.applications]


# ---------------------------------------------------------------------------------------------------------
# Encodings and delimiters


def test_semicolon_cp1252_keeps_dutch_accents() -> None:
    inventory = read("semicolon_cp1252_dutch.csv")
    assert rows(inventory, "app_id", "name", "organisation", "personal_data") == [
        (
            2,
            "burgerzaken-gemeente-sudwest-fryslan",
            "Burgerzaken – Gemeente Súdwest-Fryslân",
            "Súdwest-Fryslân",
            True,
        ),
        (3, "financien", "Financiën", "Súdwest-Fryslân", False),
    ]
    assert inventory.applications[0].biv == Biv(availability=3, integrity=3, confidentiality=3)
    assert inventory.warnings == ()


def test_bom_utf8_header_is_recognised() -> None:
    inventory = read("bom_utf8.csv")
    assert rows(inventory, "name", "vendor", "hosting") == [
        (2, "Zaaksysteem", "Roxit", "SaaS"),
        (3, "Financiën", "Unit4", "on-premise"),
    ]


def test_tab_separated_keeps_commas_in_names() -> None:
    inventory = read("tab_separated.csv")
    assert rows(inventory, "name", "users", "personal_data") == [
        (2, "Exchange Online", 1200, True),
        (3, "Slack, Enterprise", 300, False),
    ]


def test_pipe_separated() -> None:
    assert rows(read("pipe_separated.csv"), "name", "vendor", "hosting") == [
        (2, "Suite4Sociaal Domein", "Centric", "Centric datacenter")
    ]


def test_excel_unicode_text_is_utf16_tab_separated() -> None:
    assert rows(read("excel_unicode_text.txt"), "name", "vendor") == [(2, "Financiën", "Exact")]


def test_excel_sep_line_sets_the_delimiter_and_is_not_a_title() -> None:
    inventory = read("excel_sep_line.csv")
    assert rows(inventory, "name", "extra") == [(3, "GIS", (("Leverancier;Vestiging", "Esri;Nederland"),))]
    assert inventory.warnings == (
        "excel_sep_line.csv:2: columns not recognised, kept as extra data: 'Leverancier;Vestiging'",
    )


def test_comma_wins_only_where_it_splits_the_header(tmp_path: Path) -> None:
    # One comma and one semicolon in the header: the semicolon gives two known columns.
    path = tmp_path / "mixed.csv"
    path.write_text("Applicatie;Leverancier, land\nGIS;Esri, US\n", encoding="utf-8")
    assert rows(csv_reader.read(path), "name", "extra") == [(2, "GIS", (("Leverancier, land", "Esri, US"),))]


def test_english_headers_fill_every_field() -> None:
    (app,) = read("english_headers.csv").applications
    assert (app.app_id, app.name, app.vendor, app.product, app.version, app.category) == (
        "42", "Exchange Online", "Microsoft", "Microsoft 365", None, "Email",
    )  # fmt: skip
    assert (app.gemma_component, app.hosting, app.hosting_provider, app.data_location) == (
        "Mailserver", "SaaS", "Microsoft", "EU",
    )  # fmt: skip
    assert (app.department, app.owner, app.exit_plan, app.organisation) == (
        "ICT", "J. Jansen", "none", "Gemeente Voorbeeld",
    )  # fmt: skip
    # CIA lists confidentiality first: C3 I2 A1 is B1 I2 V3.
    assert app.biv == Biv(availability=1, integrity=2, confidentiality=3)
    assert (app.business_critical, app.personal_data, app.users) == (True, True, 1200)
    assert app.depends_on == ("Entra ID", "Azure")


# ---------------------------------------------------------------------------------------------------------
# Rows and line numbers


def test_multiline_quoted_fields_keep_physical_start_lines() -> None:
    inventory = read("multiline_quoted.csv")
    assert rows(inventory, "name", "notes") == [
        (2, "Zaaksysteem", "contract loopt af\nin 2026, exitplan in de maak"),
        (4, "GIS\n(kaarten)", None),
        (6, "Financiën", 'zegt "ja"'),
    ]


def test_blank_rows_are_not_rows() -> None:
    inventory = read("blank_rows.csv")
    assert rows(inventory, "name") == [(3, "Zaaksysteem"), (6, "GIS")]
    assert (inventory.rows_read, inventory.rejected, inventory.warnings) == (2, (), ())


def test_exact_duplicate_is_merged_after_trimming() -> None:
    inventory = read("exact_duplicate.csv")
    assert rows(inventory, "app_id", "hosting") == [
        (2, "zaaksysteem", "SaaS"),
        (3, "gis", "Azure"),
        (5, "zaaksysteem-2", "on-premise"),
    ]
    assert [(m.source.line, m.into.line) for m in inventory.merged] == [(4, 2)]
    assert inventory.rows_read == 4
    assert inventory.warnings == (
        "exact_duplicate.csv: 1 row repeats an earlier row exactly and was merged into it: line 4 into line 2",
    )


def test_empty_name_is_rejected_with_its_reason() -> None:
    inventory = read("empty_name.csv")
    assert rows(inventory, "name") == [(2, "Zaaksysteem")]
    assert [(str(r.source), r.reason) for r in inventory.rejected] == [
        ("empty_name.csv:3", "no application name"),
        ("empty_name.csv:4", "no application name"),
    ]
    assert inventory.warnings == (
        "empty_name.csv: 2 rows without an application name were rejected: line 3, line 4",
    )


def test_title_rows_above_the_header_are_skipped_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "titles.csv"
    path.write_text("Applicatieoverzicht 2025;;\n;;\nApplicatie;Leverancier;\nGIS;Esri;\n", encoding="utf-8")
    inventory = csv_reader.read(path)
    assert rows(inventory, "name") == [(4, "GIS")]
    assert inventory.warnings == (f"{path}:3: header row; 1 row above it skipped as a title",)


# ---------------------------------------------------------------------------------------------------------
# Columns and values


def test_three_column_biv() -> None:
    inventory = read("three_column_biv.csv")
    assert [(a.name, str(a.biv)) for a in inventory.applications] == [
        ("Zaaksysteem", "3/3/2"),
        ("Intranet", "1/2/?"),
        ("Website", "2/2/1"),  # no B/I/V columns filled: the one-column BIV counts
        ("Parkeren", "?/2/2"),
    ]
    assert inventory.warnings == (
        "three_column_biv.csv:5: column 'B': '4' is not a BIV level (expected 1, 2, 3 or L/M/H); left unknown",
    )


def test_unparsable_values_are_left_unknown_with_a_warning_each() -> None:
    inventory = read("unparsable_values.csv")
    assert rows(inventory, "name", "users", "business_critical") == [
        (2, "Zaaksysteem", None, None),
        (3, "GIS", 300, True),
    ]
    # The one-column BIV cannot be read, the CIA column can: C3 I2 A1.
    assert inventory.applications[0].biv == Biv(availability=1, integrity=2, confidentiality=3)
    assert inventory.warnings == (
        "unparsable_values.csv:2: column 'BIV': '9/9/9' is not a BIV rating (expected e.g. 2/3/3 or H/M/L); "
        "left unknown",
        "unparsable_values.csv:2: column 'Gebruikers': 'veel' is not a number of users (expected e.g. 300 or "
        "1.200); left unknown",
        "unparsable_values.csv:2: column 'Bedrijfskritisch': 'misschien' is not yes or no (expected e.g. "
        "ja/nee or yes/no); left unknown",
        "unparsable_values.csv:3: column 'CIA': 'xyz' is not a BIV rating (expected e.g. 2/3/3 or H/M/L); "
        "left unknown",
    )


def test_unknown_columns_are_kept_in_file_order_and_named_once() -> None:
    inventory = read("unknown_columns.csv")
    assert [a.extra for a in inventory.applications] == [
        (("Kosten per jaar", "12.000"), ("Contracteinde", "2026-12-31"), ("(column F)", "")),
        (("Kosten per jaar", ""), ("Contracteinde", ""), ("(column F)", "ongelabeld")),
    ]
    # Column E has neither a header nor data: trailing separators, dropped without a word.
    assert inventory.warnings == (
        "unknown_columns.csv:1: columns not recognised, kept as extra data: "
        "'Kosten per jaar', 'Contracteinde', '(column F)'",
    )


def test_duplicate_name_columns_use_the_most_specific_alias() -> None:
    inventory = read("duplicate_name_columns.csv")
    assert rows(inventory, "name", "vendor", "extra") == [
        (2, "Zaaksysteem", "Roxit", (("Naam", "Jan de Vries"), ("Supplier", "Roxit BV"))),
    ]
    assert inventory.warnings == (
        "duplicate_name_columns.csv:1: column 'Naam' means the same as 'Applicatie'; "
        "using 'Applicatie' and keeping 'Naam' as extra data",
        "duplicate_name_columns.csv:1: column 'Supplier' means the same as 'Leverancier'; "
        "using 'Leverancier' and keeping 'Supplier' as extra data",
    )


def test_id_column_gives_ids_and_duplicates_are_suffixed() -> None:
    inventory = read("id_column.csv")
    assert rows(inventory, "app_id", "name") == [
        (2, "APP-001", "Zaaksysteem"),
        (3, "APP-002", "GIS"),
        (4, "APP-001-2", "Financiën"),
        (5, "intranet", "Intranet"),  # no id in the cell: a slug of the name
    ]
    assert inventory.warnings == (
        "id_column.csv:4: id 'APP-001' is used before, at line 2; this row gets id 'APP-001-2'",
    )


def test_slug_collisions_are_suffixed_in_file_order() -> None:
    assert rows(read("slug_collisions.csv"), "app_id") == [
        (2, "zaaksysteem"),
        (3, "zaaksysteem-2"),
        (4, "zaaksysteem-3"),
        (5, "zaaksysteem-2-2"),  # its own slug was taken by line 3
    ]


# ---------------------------------------------------------------------------------------------------------
# Errors


def test_unterminated_quote_names_the_line_where_the_field_starts() -> None:
    assert error("unterminated_quote.csv") == (
        "unterminated_quote.csv:3: unterminated quote: the quoted field that starts on this line runs to the "
        "end of the file\n"
        'Hint: close the field with a second ", and write a " inside a quoted field as ""'
    )


def test_quotes_inside_an_unquoted_field_are_text(tmp_path: Path) -> None:
    path = tmp_path / "quotes.csv"
    path.write_text('Applicatie;Opmerking\nGIS;de "nieuwe" versie\n"Mail";"a ""b"""\n', encoding="utf-8")
    assert rows(csv_reader.read(path), "name", "notes") == [
        (2, "GIS", 'de "nieuwe" versie'),
        (3, "Mail", 'a "b"'),
    ]


def test_no_name_column() -> None:
    assert error("no_name_column.csv") == (
        "no_name_column.csv:1: no column with the application name "
        "(found columns: 'Leverancier', 'Versie', 'Hosting')\n" + HINT_NAME
    )


def test_empty_file() -> None:
    assert error("empty.csv") == (
        "empty.csv: the file is empty (no rows)\n"
        "Hint: export the inventory again, with a header row and one row per application"
    )


def test_header_only() -> None:
    assert error("header_only.csv") == (
        "header_only.csv:1: no rows below the header\n"
        "Hint: the file has a header but no applications; export it again with its rows"
    )


def test_binary_garbage() -> None:
    assert (
        error("binary_garbage.csv")
        == "binary_garbage.csv: not a text file: it contains NUL bytes\n" + HINT_SAVE
    )


def test_xlsx_saved_as_csv_says_so(tmp_path: Path) -> None:
    path = tmp_path / "inventaris.csv"
    path.write_bytes((CSV.parent / "xlsx" / "title_rows.xlsx").read_bytes())
    assert error(path) == (
        f"{path}: not a text file: it is a ZIP archive, perhaps an .xlsx workbook\n"
        "Hint: give an .xlsx workbook its suffix"
    )


def test_control_characters_are_not_text(tmp_path: Path) -> None:
    path = tmp_path / "noise.csv"
    path.write_bytes(b"Applicatie\n" + bytes(range(1, 9)) * 4)
    assert error(path) == f"{path}: not a text file: it is full of control characters\n" + HINT_SAVE


def test_field_over_the_csv_limit_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    path.write_text('Applicatie;Opmerking\nGIS;"' + "x" * 200_000 + '"\n', encoding="utf-8")
    assert error(path) == (
        f"{path}:2: cannot be read as CSV: field larger than field limit (131072)\n" + HINT_SAVE
    )


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert (
        error(tmp_path / "nope.csv")
        == f"{tmp_path / 'nope.csv'}: no such file\nHint: check the path and the file name"
    )
    assert error(tmp_path) == (
        f"{tmp_path}: is a directory, not an inventory file\n"
        f"Hint: pass the inventory files inside it, e.g. {tmp_path / 'applicaties.xlsx'}"
    )


# ---------------------------------------------------------------------------------------------------------
# The shipped example


def test_example_inventory_accounts_for_every_row() -> None:
    inventory = csv_reader.read(EXAMPLE)
    assert (len(inventory.applications), len(inventory.merged), len(inventory.rejected), inventory.rows_read) == (
        136, 1, 1, 138,
    )  # fmt: skip
    assert [a.app_id for a in inventory.applications[:2]] == ["APP-001", "APP-002"]
    assert inventory.rejected[0].source == Location(path=str(EXAMPLE), line=84)
    assert len({a.app_id for a in inventory.applications}) == 136


@pytest.mark.parametrize(
    "text",
    [
        'a;b\n"x\ny";z\nc;d\n',
        'a;b\r\n"x\r\ny";"\r\nz"\r\n\r\nc;d',
        'a;b\r"x\ry";z\rc;d\r',
        'a;b\n"x\n\ry";"p\r";"\nq"\n\n\n"\n";\n"tail\n"',
        'a;b\n"x\u2028y";"\x85"\nc;"d\n"\n',
    ],
)
def test_start_lines_counted_from_the_cells_are_those_the_reader_counts(text: str) -> None:
    records = csv_reader._parse(text, ";", "t.csv")
    by_reader = csv_reader._read_start_lines(text, ";")
    assert [r.location.line for r in records] == by_reader
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    assert len(list(reader)) == len(records) < reader.line_num  # some record spans lines
    # ... counted from the cells themselves, not by reading once more.
    assert csv_reader._start_lines([r.cells for r in records], reader.line_num) == by_reader

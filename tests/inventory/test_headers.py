"""The header alias table: every documented header maps to its field, and header rows are found."""

from __future__ import annotations

import pytest

from sovereign.inventory import _headers

# Every alias DESIGN.md section 3 and the ingest brief name, with the field it must reach.
# fmt: off
DOCUMENTED = [
    ("ID", "app_id"), ("Applicatie-ID", "app_id"), ("Nr", "app_id"), ("Nr.", "app_id"),
    ("Applicatie", "name"), ("Applicatienaam", "name"), ("Application", "name"), ("Naam", "name"),
    ("Name", "name"), ("Systeem", "name"),
    ("Leverancier", "vendor"), ("Vendor", "vendor"), ("Supplier", "vendor"), ("Fabrikant", "vendor"),
    ("Product", "product"), ("Pakket", "product"), ("Software", "product"),
    ("Versie", "version"), ("Version", "version"),
    ("Categorie", "category"), ("Category", "category"), ("Domein", "category"),
    ("GEMMA-component", "gemma_component"), ("GEMMA referentiecomponent", "gemma_component"),
    ("Hosting", "hosting"), ("Hostingmodel", "hosting"), ("Deployment", "hosting"),
    ("Hostingpartij", "hosting_provider"), ("Hosting provider", "hosting_provider"), ("Hoster", "hosting_provider"),
    ("Datalocatie", "data_location"), ("Data location", "data_location"), ("Locatie data", "data_location"),
    ("Afdeling", "department"), ("Department", "department"), ("Team", "department"),
    ("Eigenaar", "owner"), ("Applicatie-eigenaar", "owner"), ("Owner", "owner"), ("Proceseigenaar", "owner"),
    ("BIV", "biv"), ("BIV-classificatie", "biv"), ("CIA", "biv_cia"),
    ("B", "biv_availability"), ("I", "biv_integrity"), ("V", "biv_confidentiality"),
    ("Beschikbaarheid", "biv_availability"), ("Integriteit", "biv_integrity"),
    ("Vertrouwelijkheid", "biv_confidentiality"), ("Availability", "biv_availability"),
    ("Integrity", "biv_integrity"), ("Confidentiality", "biv_confidentiality"),
    ("Bedrijfskritisch", "business_critical"), ("Business critical", "business_critical"),
    ("Kritiek", "business_critical"),
    ("Persoonsgegevens", "personal_data"), ("Personal data", "personal_data"), ("AVG", "personal_data"),
    ("Gebruikers", "users"), ("Aantal gebruikers", "users"), ("Users", "users"),
    ("Afhankelijk van", "depends_on"), ("Depends on", "depends_on"), ("Afhankelijkheden", "depends_on"),
    ("Exitstrategie", "exit_plan"), ("Exitplan", "exit_plan"), ("Exit plan", "exit_plan"),
    ("Gemeente", "organisation"), ("Organisatie", "organisation"), ("Organisation", "organisation"),
]
# fmt: on


def field_of(header: str) -> str | None:
    columns = _headers.map_columns([header], used_columns=[True])
    return next(iter(columns.fields), None)


@pytest.mark.parametrize(("header", "field"), DOCUMENTED)
def test_documented_alias(header: str, field: str) -> None:
    assert field_of(header) == field


@pytest.mark.parametrize(
    "header",
    ["  applicatie ", "APPLICATIE", "Applicatie:", "Applicatie *", "Applicatie_naam", "Applicatie (naam)"],
)
def test_headers_are_trimmed_case_folded_and_forgiving(header: str) -> None:
    assert field_of(header) == "name"


@pytest.mark.parametrize("header", ["gemma_component", "hosting_provider", "app_id", "exit_plan"])
def test_our_own_field_names_are_accepted(header: str) -> None:
    assert field_of(header) == header


@pytest.mark.parametrize("header", ["Koppelingen", "Koppelingen met", "Contractnummer", "Kosten"])
def test_not_in_the_table(header: str) -> None:
    assert field_of(header) is None


def test_find_header_row_skips_titles_and_blank_rows() -> None:
    rows = [["Overzicht", ""], ["", ""], ["Peildatum 2025"], ["Applicatie", "Leverancier"], ["GIS", "Esri"]]
    assert _headers.find_header_row(rows) == 3


def test_find_header_row_looks_at_ten_non_empty_rows_only() -> None:
    assert _headers.find_header_row([["titel"]] * 9 + [[""], ["Naam"]]) == 10
    assert _headers.find_header_row([["titel"]] * 10 + [["Naam"]]) is None


def test_map_columns_keeps_the_best_alias_and_reports_the_rest() -> None:
    columns = _headers.map_columns(
        ["Systeem", "Naam", "Applicatie", "", "", "Kosten"],
        used_columns=[True, True, True, True, False, True],
    )
    assert columns.fields == {"name": 2}
    assert columns.extra == ((0, "Systeem"), (1, "Naam"), (3, "(column D)"), (5, "Kosten"))
    assert columns.unknown == ("(column D)", "Kosten")
    assert columns.duplicates == (("Systeem", "Applicatie"), ("Naam", "Applicatie"))

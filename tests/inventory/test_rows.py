"""Rows to applications on in-memory sheets: accounting, merging across sheets, ids, messages."""

from __future__ import annotations

import pytest

from sovereign.errors import InputError
from sovereign.inventory._rows import Record, Table, _digest, build_inventory, build_table
from sovereign.model import Inventory, Location


def table(path: str, *lines: str, sheet: str | None = None) -> Table:
    """A sheet from ';'-separated lines; the first line is the header."""
    records = [
        Record(location=Location(path=path, sheet=sheet, line=number), cells=tuple(line.split(";")))
        for number, line in enumerate(lines, start=1)
    ]
    return build_table(path, "0" * 64, records, 0)


def accounted(inventory: Inventory) -> Inventory:
    assert inventory.rows_read == len(inventory.applications) + len(inventory.merged) + len(
        inventory.rejected
    )
    return inventory


def test_duplicates_across_files_merge_whatever_the_header_spelling_and_order() -> None:
    first = table("a.csv", "Applicatie;Leverancier;Hosting", "GIS;Esri;Azure", "Mail;Microsoft;SaaS")
    second = table("b.xlsx", "Hosting;Vendor;Name", "Azure;Esri;GIS", "SaaS;Microsoft;Teams", sheet="Blad1")
    inventory = accounted(build_inventory([first, second]))
    assert [(str(a.source), a.app_id) for a in inventory.applications] == [
        ("a.csv:2", "gis"),
        ("a.csv:3", "mail"),
        ("b.xlsx:Blad1:3", "teams"),
    ]
    assert [(str(m.source), str(m.into)) for m in inventory.merged] == [("b.xlsx:Blad1:2", "a.csv:2")]
    assert inventory.warnings[-1] == (
        "b.xlsx: 1 row repeats an earlier row exactly and was merged into it: row 2 into a.csv:2"
    )


def test_an_empty_column_does_not_make_rows_different() -> None:
    first = table("a.csv", "Applicatie;Leverancier", "GIS;Esri")
    second = table("b.csv", "Applicatie;Leverancier;Opmerking", "GIS;Esri;")
    assert len(build_inventory([first, second]).merged) == 1


def test_extra_columns_with_one_folded_name_merge_whatever_their_order() -> None:
    # "Kosten" and "KOSTEN" fold to one name: the row key orders their values, not their columns.
    first = table("a.csv", "Applicatie;Kosten;KOSTEN", "GIS;10;20")
    second = table("b.csv", "Applicatie;KOSTEN;Kosten", "GIS;20;10", "GIS;10;30")
    inventory = accounted(build_inventory([first, second]))
    assert [(str(m.source), str(m.into)) for m in inventory.merged] == [("b.csv:2", "a.csv:2")]
    assert len(inventory.applications) == 2


def test_a_value_holding_nul_cannot_pass_for_two_fields() -> None:
    # Joined with NUL, both keys would read "name NUL GIS NUL notes NUL a NUL vendor NUL b".
    assert _digest([("name", "GIS"), ("notes", "a\x00vendor\x00b")]) != _digest(
        [("name", "GIS"), ("notes", "a"), ("vendor", "b")]
    )


def test_only_the_rows_with_an_unreadable_value_are_warned_about() -> None:
    lines = ["GIS;veel", "Mail;300", "Zaken;veel", "Intranet;1.200"]
    inventory = build_inventory([table("a.csv", "Applicatie;Gebruikers", *lines)])
    assert [a.users for a in inventory.applications] == [None, 300, None, 1200]
    assert [w.split(":")[1] for w in inventory.warnings] == ["2", "4"]


def test_a_different_id_makes_rows_different() -> None:
    inventory = accounted(build_inventory([table("a.csv", "ID;Applicatie", "1;GIS", "2;GIS")]))
    assert [a.app_id for a in inventory.applications] == ["1", "2"]


def test_slugs_collide_across_files_in_file_order() -> None:
    first = table("a.csv", "Applicatie;Afdeling", "GIS;Ruimte")
    second = table("b.csv", "Applicatie;Afdeling", "GIS;Wonen")
    assert [a.app_id for a in build_inventory([first, second]).applications] == ["gis", "gis-2"]


def test_stated_ids_are_claimed_before_slugs() -> None:
    # "gis" is stated for line 3; the slug of line 2 must not take it, whatever the order.
    inventory = build_inventory([table("a.csv", "ID;Applicatie", ";GIS", "gis;Kaarten")])
    assert [(a.source.line, a.app_id) for a in inventory.applications] == [(2, "gis-2"), (3, "gis")]


def test_rejected_and_merged_are_counted_and_said() -> None:
    inventory = accounted(
        build_inventory([table("a.csv", "Applicatie;Leverancier", "GIS;Esri", ";Esri", "GIS;Esri", ";")])
    )
    assert (len(inventory.applications), len(inventory.merged), len(inventory.rejected)) == (1, 1, 1)
    assert inventory.rows_read == 3  # the last row is blank: not a row
    assert inventory.warnings == (
        "a.csv: 1 row repeats an earlier row exactly and was merged into it: line 4 into line 2",
        "a.csv: 1 row without an application name was rejected: line 3",
    )


def test_long_unreadable_values_are_shortened_to_one_line() -> None:
    value = "ongeveer\nhonderd " + "x" * 80
    inventory = build_inventory([table("a.csv", "Applicatie;Gebruikers", f"GIS;{value}")])
    assert inventory.warnings == (
        "a.csv:2: column 'Gebruikers': 'ongeveer honderd " + "x" * 40 + "...' is not a number of users "
        "(expected e.g. 300 or 1.200); left unknown",
    )


def test_many_merged_rows_are_listed_up_to_ten() -> None:
    inventory = build_inventory([table("a.csv", "Applicatie", *["GIS"] * 13)])
    assert inventory.warnings == (
        "a.csv: 12 rows repeat an earlier row exactly and were merged into it: "
        + ", ".join(f"line {n} into line 2" for n in range(3, 13))
        + " and 2 more",
    )


def test_rows_wider_than_the_header_keep_their_cells() -> None:
    (app,) = build_inventory([table("a.csv", "Applicatie", "GIS;Esri")]).applications
    assert app.extra == (("(column B)", "Esri"),)


def test_header_without_rows() -> None:
    record = Record(location=Location(path="a.csv", line=1), cells=("Applicatie",))
    blank = Record(location=Location(path="a.csv", line=2), cells=(" ",))
    with pytest.raises(InputError) as info:
        build_table("a.csv", "", [record, blank], 0)
    assert str(info.value).startswith("a.csv:1: no rows below the header\n")

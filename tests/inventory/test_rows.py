"""Rows to applications on in-memory sheets: accounting, merging across sheets, ids, messages."""

from __future__ import annotations

from dataclasses import dataclass, fields
from itertools import repeat

import pytest

from sovereign.errors import InputError
from sovereign.inventory import _headers
from sovereign.inventory._rows import (
    Record,
    Table,
    _assign_ids,
    _digest,
    _RowReader,
    build_inventory,
    build_table,
    by_column,
)
from sovereign.model import Application, Inventory, Location


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


# The sheet is read a column at a time; these compare that with the row-at-a-time definitions.

_WIDE = (
    "ID;Applicatie;Leverancier;Hosting;BIV;Beschikbaarheid;Bedrijfskritisch;Aantal gebruikers;"
    "Afhankelijk van;Kosten;Opmerkingen"
)
_WIDE_ROWS = (
    "A1; GIS ;Esri;Azure;2/3/3;;Ja;1.200;Mail;10;",
    "A2;Mail;;SaaS;;3;nee;;GIS, Zaken;;een notitie",
    ";Zaken;Centric;;H/M/L;1;;40;;;",
    ";Zaken;Centric;;H/M/L;1;;40;;;x",
    "A5;Teams;Microsoft;;;;;;;5;",
)


def test_sheet_digests_by_column_are_the_row_keys_digests() -> None:
    sheet = table("a.csv", _WIDE, *_WIDE_ROWS)
    columns = _headers.map_columns(sheet.header.cells, used_columns=[False] * len(sheet.header.cells))
    reader = _RowReader(columns, [])
    cells = [
        tuple(column) for column in zip(*(tuple(map(str.strip, r.cells)) for r in sheet.rows), strict=True)
    ]
    by_row = [reader.digest(row) for row in zip(*cells, strict=True)]
    assert reader.digests(cells) == by_row
    # ... which are the digests of (field, value) pairs, as a document's entries are keyed.
    names = [name for name, _ in sorted((n[:-1], i) for n, i in reader.key_columns)]
    indices = [i for _, i in sorted((n[:-1], i) for n, i in reader.key_columns)]
    pairs = [
        [(n, row[i]) for n, i in zip(names, indices, strict=True) if row[i]]
        for row in zip(*cells, strict=True)
    ]
    assert by_row == [_digest(p) for p in pairs]
    assert len(set(by_row)) == len(by_row)  # the fourth row differs from the third in its notes only
    # A value holding a NUL sends the sheet down the row-by-row path, to the same digests.
    nul = [*cells[:-1], (*cells[-1][:-1], "a\x00b")]
    assert reader.digests(nul) == [reader.digest(row) for row in zip(*nul, strict=True)]


def test_applications_by_column_are_the_applications_init_makes() -> None:
    inventory = build_inventory([table("a.csv", _WIDE, *_WIDE_ROWS)])
    rebuilt = [
        Application(**{f.name: getattr(a, f.name) for f in fields(Application)})
        for a in inventory.applications
    ]
    assert list(inventory.applications) == rebuilt
    assert [hash(a) for a in inventory.applications] == [hash(a) for a in rebuilt]
    columns = {f.name: [getattr(a, f.name) for a in rebuilt] for f in fields(Application)}
    assert by_column(Application, len(rebuilt), columns) == rebuilt
    with pytest.raises(ValueError, match="4 values of name for 5 records"):
        by_column(Application, 5, {**columns, "name": columns["name"][:4]})


def test_records_by_column_are_those_init_makes() -> None:
    locations = by_column(
        Location,
        2,
        {"path": ["a.csv", "b.xlsx"], "line": [3, 4], "sheet": [None, "Blad1"], "element": repeat(None)},
    )
    assert locations == [Location(path="a.csv", line=3), Location(path="b.xlsx", line=4, sheet="Blad1")]
    assert by_column(Record, 2, {"location": locations, "cells": [("a",), ()]}) == [
        Record(location=locations[0], cells=("a",)),
        Record(location=locations[1], cells=()),
    ]
    # A field without a column gets its default; one without a default must have a column.
    assert by_column(Location, 1, {"path": ["a.csv"]}) == [Location(path="a.csv")]
    with pytest.raises(TypeError, match="Location needs a value of path"):
        by_column(Location, 1, {"line": [3]})
    # A class whose __init__ does more is built by it.
    assert by_column(_Folded, 2, {"text": [" A ", "b"]}) == [_Folded(text="a"), _Folded(text="b")]


@dataclass(frozen=True, slots=True)
class _Folded:
    text: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", self.text.strip().casefold())


def test_a_wide_sheet_reads_as_its_rows_say() -> None:
    inventory = accounted(build_inventory([table("a.csv", _WIDE, *_WIDE_ROWS)]))
    gis, mail, zaken, zaken_2, teams = inventory.applications
    assert (gis.app_id, gis.name, gis.vendor, str(gis.biv), gis.business_critical, gis.users) == (
        "A1",
        "GIS",
        "Esri",
        "2/3/3",
        True,
        1200,
    )
    assert gis.depends_on == ("Mail",) and gis.extra == (("Kosten", "10"),)
    assert (mail.vendor, str(mail.biv), mail.business_critical, mail.users) == (None, "3/?/?", False, None)
    assert mail.depends_on == ("GIS", "Zaken") and mail.notes == "een notitie"
    assert (zaken.app_id, str(zaken.biv), zaken.users, zaken.notes) == ("zaken", "1/?/?", 40, None)
    assert (zaken_2.app_id, zaken_2.notes) == ("zaken-2", "x")
    assert (teams.biv, teams.extra) == (None, (("Kosten", "5"),))


def test_the_first_sheet_merges_its_rows_as_a_later_sheet_does() -> None:
    # The first input finds its repeated rows by their cells and makes its digests only when another
    # input follows; a sheet read after another one uses digests throughout.
    lines = (
        "Applicatie;Leverancier;Opmerking",
        "GIS;Esri;",
        "GIS;Esri;x",
        "GIS;Esri;",
        " GIS ;Esri ; ",
        "Mail;;",
    )
    other = table("o.csv", "Applicatie", "Teams")

    def merges(inventory: Inventory) -> list[tuple[str, str]]:
        return [(str(m.source), str(m.into)) for m in inventory.merged]

    first = merges(accounted(build_inventory([table("a.csv", *lines)])))
    assert first == [("a.csv:4", "a.csv:2"), ("a.csv:5", "a.csv:2")]
    assert merges(accounted(build_inventory([other, table("a.csv", *lines)]))) == first
    later = table("b.csv", "Leverancier;Applicatie", "Esri;GIS", ";Mail", ";Zaken")
    assert merges(accounted(build_inventory([table("a.csv", *lines), later]))) == [
        *first,
        ("b.csv:2", "a.csv:2"),
        ("b.csv:3", "a.csv:6"),
    ]


def test_stated_ids_all_different_are_kept_as_the_general_rule_keeps_them() -> None:
    places = [Location(path="a.csv", line=n) for n in range(2, 6)]
    stated: list[str | None] = ["GM-2", "gis", "GM-1", "mail"]
    warnings: list[str] = []
    assert _assign_ids(stated, places, ["A", "B", "C", "D"], warnings) == stated
    # The same ids, with one row more that states none, go the general way to the same ids.
    more = [*places, Location(path="a.csv", line=6)]
    assert _assign_ids([*stated, None], more, ["A", "B", "C", "D", "GIS"], warnings) == [*stated, "gis-2"]
    assert _assign_ids(["x", "x"], places[:2], ["A", "B"], warnings) == ["x", "x-2"]
    assert warnings == ["a.csv:3: id 'x' is used before, at line 2; this row gets id 'x-2'"]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (("ID;Applicatie", "A1;GIS", "A2;GIS", "A3;Mail"), []),  # every id different: nothing repeats
        (
            ("ID;Applicatie", "A1;GIS", "A2;GIS", "A1;GIS", ";Mail", " ;Mail"),
            [("a.csv:4", "a.csv:2"), ("a.csv:6", "a.csv:5")],
        ),
    ],
)
def test_a_sheet_with_ids_merges_as_a_later_sheet_does(
    lines: tuple[str, ...], expected: list[tuple[str, str]]
) -> None:
    def merges(inventory: Inventory) -> list[tuple[str, str]]:
        return [(str(m.source), str(m.into)) for m in inventory.merged]

    assert merges(accounted(build_inventory([table("a.csv", *lines)]))) == expected
    assert (
        merges(accounted(build_inventory([table("o.csv", "Applicatie", "Teams"), table("a.csv", *lines)])))
        == expected
    )

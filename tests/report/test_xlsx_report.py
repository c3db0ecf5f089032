"""findings.xlsx: one sheet per table, headers, filters, numbers as numbers, no formulas, byte-identical renders."""

from __future__ import annotations

import doctest
import io
import json
import string
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
import pytest
from builders import FullDisk
from click.testing import CliRunner
from openpyxl.worksheet.worksheet import Worksheet

import sovereign.report.xlsx_report
from sovereign.catalog import catalog_root
from sovereign.cli import cli
from sovereign.model import AuditResult
from sovereign.report._exports import load_export_messages
from sovereign.report.translation import LANGUAGES, load_messages
from sovereign.report.xlsx_report import SHEETS, neutralise, render_findings_xlsx, sheet_title

from .export_builders import FORMULA_NAMES, build_export_result

EXAMPLE = catalog_root() / "examples" / "gemeente-voorbeeld.csv"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _workbook(result: AuditResult, lang: str = "en") -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(render_findings_xlsx(result, load_messages(lang))))


def _sheet(workbook: openpyxl.Workbook, key: str, lang: str = "en") -> Worksheet:
    return workbook[load_export_messages(load_messages(lang)).t(f"exports.xlsx.{key}.name")]


def _records(sheet: Worksheet) -> list[dict[str, Any]]:
    """The sheet as dicts by header, like a table in a test should read."""
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture
def export_result() -> AuditResult:
    return build_export_result()


# ---------------------------------------------------------------------------------------------------------
# Sheets


@pytest.mark.parametrize("lang", LANGUAGES)
def test_one_sheet_per_table_in_order_named_in_the_language(result: AuditResult, lang: str) -> None:
    messages = load_export_messages(load_messages(lang))
    assert _workbook(result, lang).sheetnames == [messages.t(f"exports.xlsx.{key}.name") for key in SHEETS]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sheet_names_are_valid_for_excel(lang: str) -> None:
    messages = load_export_messages(load_messages(lang))
    names = [messages.t(f"exports.xlsx.{key}.name") for key in SHEETS]
    assert len({name.casefold() for name in names}) == len(names)
    for name in names:
        assert 0 < len(name) <= 31, name
        assert not set(name) & set("[]:*?/\\"), name
        assert not name.startswith("'") and not name.endswith("'"), name
        assert sheet_title(name, set()) == name  # the translation needs no repair


def test_every_sheet_has_a_bold_frozen_header_an_autofilter_and_capped_widths(
    export_result: AuditResult,
) -> None:
    for sheet in _workbook(export_result):
        assert sheet.freeze_panes == "A2", sheet.title
        assert all(cell.font.b for cell in sheet[1]), sheet.title
        assert all(isinstance(cell.value, str) and cell.value for cell in sheet[1]), sheet.title
        last = openpyxl.utils.get_column_letter(sheet.max_column)
        assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}", sheet.title
        widths = [
            sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].width
            for i in range(1, 1 + sheet.max_column)
        ]
        assert all(6 <= width <= 60 for width in widths), (sheet.title, widths)


def test_column_widths_follow_the_content(export_result: AuditResult) -> None:
    sheet = _sheet(_workbook(export_result), "applications")
    # "Id" is narrow, the application name column is as wide as its longest name plus a margin.
    assert sheet.column_dimensions["A"].width == 6
    assert sheet.column_dimensions["B"].width == len("'" + FORMULA_NAMES["a1"]) + 2


# ---------------------------------------------------------------------------------------------------------
# Content


def test_applications_carry_every_inventory_field_and_the_assessment(result: AuditResult) -> None:
    records = {r["Id"]: r for r in _records(_sheet(_workbook(result), "applications"))}
    assert sorted(records) == ["a1", "a2", "a3", "a4"]
    a1 = records["a1"]
    assert (a1["Application"], a1["Inventory row"], a1["Vendor (as written)"]) == (
        "Klantcontactsysteem",
        "inventory.csv:2",
        "Salesforce",
    )
    assert (a1["Availability (B)"], a1["Integrity (I)"], a1["Confidentiality (V)"]) == (2, 2, 3)
    assert (a1["Business-critical"], a1["Personal data"]) == ("yes", "yes")
    assert (a1["Catalog product id"], a1["Catalog product"], a1["Match method"]) == (
        "salesforce-service-cloud",
        "Salesforce Service Cloud",
        "exact",
    )
    assert (a1["Ultimate controller"], a1["Controller's country"]) == ("Salesforce, Inc.", "US")
    assert (a1["SEAL"], a1["Rule for the SEAL level"], a1["Criticality"], a1["Weighted score"]) == (
        0,
        "seal-0-non-eu-operator",
        3,
        7.5,
    )
    assert records["a2"]["Lawful access (countries)"] == "NL, US"
    assert records["a2"]["Match score"] == 0.93
    a4 = records["a4"]
    assert (a4["SEAL"], a4["Lawful access (countries)"], a4["Catalog product"]) == (
        "unknown",
        "unknown",
        None,
    )
    assert a4["Suggestions"] == "Salesforce Service Cloud (41%); Acme Zaaksysteem (38%)"


def test_unknown_inventory_columns_are_carried_with_their_headers(export_result: AuditResult) -> None:
    sheet = _sheet(_workbook(export_result), "applications")
    headers = [cell.value for cell in sheet[1]]
    # In file order, between the inventory's own fields and the assessment; a repeated header keeps both values.
    start = headers.index("Notes") + 1
    assert headers[start : start + 5] == [
        "'=cmd|' /C calc'!A0",
        "Kostenplaats",
        "Kostenplaats (2)",
        "Opmerking",
        "Contract",
    ]
    records = {r["Id"]: r for r in _records(sheet)}
    assert (records["a1"]["'=cmd|' /C calc'!A0"], records["a1"]["Kostenplaats"]) == ("'@evil", "'-42")
    assert (records["a1"]["Kostenplaats (2)"], records["a2"]["Kostenplaats"]) == ("tweede", "7")
    assert records["a3"]["Contract"] == "bad\ufffdchar"  # a control character XML cannot hold
    assert records["a4"]["Kostenplaats"] is None


def test_numbers_are_numbers_and_shares_have_a_percent_format(result: AuditResult) -> None:
    sheet = _sheet(_workbook(result), "concentration")
    headers = [cell.value for cell in sheet[1]]
    share = sheet.cell(row=2, column=headers.index("Share of applications") + 1)
    assert (share.value, share.data_type, share.number_format) == (0.25, "n", "0.0%")
    count = sheet.cell(row=2, column=headers.index("Applications") + 1)
    assert (count.value, count.data_type) == (1, "n")
    # Largest first, ties by criticality share: Salesforce (3.0) before Acme (2.5) before the municipality.
    assert [r["Controller id"] for r in _records(sheet)] == ["salesforce-inc", "acme-zaak", "self", "unknown"]


def test_seal_distribution(result: AuditResult) -> None:
    rows = [(r["Level"], r["Applications"], r["Share"]) for r in _records(_sheet(_workbook(result), "seal"))]
    assert rows == [
        ("SEAL 0", 1, 0.25),
        ("SEAL 1", 0, 0),
        ("SEAL 2", 1, 0.25),
        ("SEAL 3", 0, 0),
        ("SEAL 4", 1, 0.25),
        ("SEAL unknown", 1, 0.25),
    ]


def test_evidence_has_one_row_per_application_axis_and_country_with_labelled_paths(
    result: AuditResult,
) -> None:
    records = _records(_sheet(_workbook(result), "evidence"))
    expected = sum(
        len(getattr(a, axis).countries)
        for a in result.assessments
        for axis in ("lawful_access", "residency", "continuity")
    )
    assert len(records) == expected
    zaak = [
        (r["Axis"], r["Country code"], r["Path from the application"])
        for r in records
        if r["Application id"] == "a2"
    ]
    assert zaak[:2] == [
        (
            "Lawful access",
            "NL",
            "—is→ Acme Zaaksysteem —operated by→ Acme Zaak B.V. —seated in→ Netherlands",
        ),
        (
            "Lawful access",
            "US",
            "—is→ Acme Zaaksysteem —runs on→ Azure West Europe —operated by→ Microsoft Ireland Operations Ltd"
            " —owned by→ Microsoft Corporation —seated in→ United States",
        ),
    ]
    unknown = [
        (r["Axis"], r["Country code"], r["Path from the application"])
        for r in records
        if r["Application id"] == "a4"
    ]
    assert unknown[0] == ("Lawful access", "unknown", "<script>alert(1)</script>")


def test_findings_one_row_per_finding_worded_in_the_language(result: AuditResult) -> None:
    records = _records(_sheet(_workbook(result, "nl"), "findings", "nl"))
    assert len(records) == len(result.findings)
    assert [(r["Regel"], r["Id applicatie"]) for r in records] == [
        ("residency-personal-data", "a1"),
        ("min-seal-critical", "a1"),
        ("min-seal-critical", "a2"),
        ("exit-plan-below-seal-2", "a4"),
        ("controller-share", None),
    ]
    assert records[1]["Bevinding"] == "SEAL 0; vereist is minstens SEAL 3."
    assert records[4]["Betrokken applicaties"] == "Klantcontactsysteem"
    assert records[2]["Onderbouwing"].count("\n") == 1  # two paths, one per line


@pytest.mark.parametrize(
    "evidence",
    [
        (),
        (("application:a1",),),
        (("application:a2", "instance_of", "product:x"), ("application:a1",), ()),
        (("application:a1", "instance_of", "product:x"), ("application:a2", "instance_of", "product:x"), ()),
    ],
)
def test_a_findings_evidence_is_each_path_worded_on_a_line_of_its_own_in_order(
    result: AuditResult, evidence: tuple[tuple[str, ...], ...]
) -> None:
    # The cell is joined at once, not from each path's own text: the same text as the paths joined by lines.
    finding = replace(result.findings[1], evidence=evidence)
    records = _records(_sheet(_workbook(replace(result, findings=(finding,))), "findings"))
    tables = sovereign.report.xlsx_report._Tables(result, load_export_messages(load_messages("en")))
    lines = [tables.path(path) for path in sorted(evidence)]
    assert records[0]["Evidence"] == ("\n".join(lines) or None)
    assert len(lines) < 2 or records[0]["Evidence"].split("\n")[0] == tables.path(min(evidence))


def test_findings_that_share_rule_kind_and_detail_read_alike_unless_the_view_cannot_word_them(
    result: AuditResult,
) -> None:
    finding = result.findings[1]  # min-seal-critical
    worded = [replace(finding, app_id=app_id, message=f"engine {app_id}") for app_id in ("a1", "a2")]
    unworded = [
        replace(finding, kind="new-kind", app_id=app_id, message=f"engine {app_id}")
        for app_id in ("a3", "a4")
    ]
    records = _records(_sheet(_workbook(replace(result, findings=(*worded, *unworded))), "findings"))
    assert {r["Application id"]: r["Finding"] for r in records} == {
        "a1": "SEAL 0; at least SEAL 3 is required.",
        "a2": "SEAL 0; at least SEAL 3 is required.",
        "a3": "engine a3",  # the engine's message names its own application
        "a4": "engine a4",
    }


def test_scenarios_one_row_per_stopped_application(result: AuditResult) -> None:
    records = _records(_sheet(_workbook(result), "scenarios"))
    assert len(records) == sum(len(s.stopped) for s in result.scenarios)
    assert [(r["Scenario id"], r["Application id"], r["Criticality"]) for r in records] == [
        ("us-services-stop", "a1", 3),
        ("us-services-stop", "a2", 2.5),
        ("largest-controller-withdraws", "a1", 3),
    ]
    assert records[2]["Scenario"] == "Salesforce, Inc. withdraws"


def test_a_scenario_of_our_own_is_titled_by_what_it_cuts(result: AuditResult) -> None:
    own = replace(result.scenarios[1], id="our-own", cut=("entity:salesforce-inc", "country:US"))
    records = _records(_sheet(_workbook(replace(result, scenarios=(own,))), "scenarios"))
    assert {r["Scenario"] for r in records} == {"Without Salesforce, Inc., United States"}


def test_single_points_heaviest_first(result: AuditResult) -> None:
    records = _records(_sheet(_workbook(result), "single_points"))
    assert [(r["Node id"], r["Share of criticality"], r["Which applications"]) for r in records] == [
        ("entity:salesforce-inc", 0.375, "Klantcontactsysteem"),
        ("entity:microsoft-corp", 0.3125, "Zaaksysteem"),
        ("application:a4", 0.0625, "<script>alert(1)</script>"),
    ]
    assert records[1]["Goes together with"] == (
        "Azure West Europe (hosting region); Microsoft Ireland Operations Ltd (organisation)"
    )


def test_application_lists_are_by_name_and_an_unknown_id_stands_for_itself(result: AuditResult) -> None:
    known = replace(result.single_points[1], applications=("a2", "a3", "a1", "a3"))
    unknown = replace(result.single_points[2], applications=("a2", "b-gone", "a3"))
    workbook = _workbook(replace(result, single_points=(result.single_points[0], known, unknown)))
    names = {r["Node id"]: r["Which applications"] for r in _records(_sheet(workbook, "single_points"))}
    assert names[known.node] == "Burgerzaken; Burgerzaken; Klantcontactsysteem; Zaaksysteem"
    assert names[unknown.node] == "b-gone; Burgerzaken; Zaaksysteem"


def test_an_application_list_names_a_repeated_id_by_its_last_assessment(result: AuditResult) -> None:
    # Ids are unique in an inventory; a result built otherwise still names each id as the findings sheet does.
    first = next(a for a in result.assessments if a.application.app_id == "a1")
    again = replace(first, application=replace(first.application, name="Aaa"))
    point = replace(result.single_points[1], applications=("a2", "a1"))
    workbook = _workbook(replace(result, assessments=(*result.assessments, again), single_points=(point,)))
    names = [r["Which applications"] for r in _records(_sheet(workbook, "single_points"))]
    assert names == ["Aaa; Zaaksysteem"]


def test_plan_sheets(export_result: AuditResult) -> None:
    workbook = _workbook(export_result)
    options = _records(_sheet(workbook, "options"))
    assert [
        (r["Application id"], r["Rank"], r["Alternative"], r["SEAL after"], r["In the plan"]) for r in options
    ] == [
        ("a1", 1, "Open Klant", 4, "Quick wins"),
        ("a4", None, None, None, None),  # no alternative in the catalog: still listed
    ]
    assert (options[0]["Effort"], options[0]["Hosting options"]) == ("low", "self-hosted, Dutch cloud")
    assert options[0]["Open standards"] == "ZGW API, =formula"  # not at the start: no quote needed
    waves = _records(_sheet(workbook, "waves"))
    assert [(r["Wave"], r["Step"], r["Moves"], r["US lawful access"], r["SEAL 4"]) for r in waves] == [
        (None, "Now", 0, 0.5, 1),
        (0, "Quick wins", 1, 0.25, 2),
    ]
    exits = _records(_sheet(workbook, "exits"))
    assert [(r["Application id"], r["Best alternative"], r["Must move with it"]) for r in exits] == [
        ("a1", "Open Klant", "'+1"),
    ]
    assert exits[0]["Secure in the contract now"] == (
        "a notice period long enough to move; export in an open, documented format"
    )


def test_data_quality_sheets(export_result: AuditResult) -> None:
    workbook = _workbook(export_result)
    assert [(r["Kind"], r["Change"], r["Applies to"]) for r in _records(_sheet(workbook, "local"))] == [
        ("organisation", "added", "'+1"),
    ]
    assert _records(_sheet(workbook, "rejected")) == [
        {"Row": "inventory.csv:7", "Reason": "'-column 'name' is empty"}
    ]
    assert _records(_sheet(workbook, "merged")) == [
        {"Row": "inventory.csv:6", "Merged into": "inventory.csv:2"}
    ]
    assert _records(_sheet(workbook, "warnings"))[0]["Warning"] == "'=warning"


def test_about_sheet(result: AuditResult) -> None:
    about = {r["Item"]: r["Value"] for r in _records(_sheet(_workbook(result), "about"))}
    assert about["Tool"] == "sovereign 0.1.0"
    assert about["Method version"] == "2026.1"
    assert about["Catalog digest"] == "sha256:" + "c" * 64
    assert about["Reference date"] == "23 November 2026"
    assert about["Input file"] == "inventory.csv: 6 rows, " + "a" * 64
    assert about["Policy"] == "Test policy (test-policy)"
    assert (about["Applications"], about["Policy findings"]) == (4, 5)


def test_without_policy_plan_or_scenarios_the_sheets_are_empty_tables(make_result: Any) -> None:
    workbook = _workbook(make_result(policy=None, findings=(), scenarios=(), single_points=(), plan=None))
    for key in ("findings", "scenarios", "single_points", "options", "waves", "exits", "local"):
        sheet = _sheet(workbook, key)
        assert sheet.max_row == 1, key
        assert sheet.auto_filter.ref.endswith("1"), key


# ---------------------------------------------------------------------------------------------------------
# Safety


def test_no_cell_starts_a_formula(export_result: AuditResult) -> None:
    workbook = _workbook(export_result)
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    for cell in cells:
        if isinstance(cell.value, str):
            assert not cell.value.startswith(FORMULA_STARTS), (cell.parent.title, cell.coordinate, cell.value)
    names = {r["Id"]: r["Application"] for r in _records(_sheet(workbook, "applications"))}
    assert names == {app_id: "'" + name for app_id, name in FORMULA_NAMES.items()}
    for name in FORMULA_NAMES.values():
        holding = [cell for cell in cells if isinstance(cell.value, str) and name in cell.value]
        assert holding
        # Wherever the name starts a cell it carries the quote; elsewhere it sits inside a longer text.
        assert all(cell.value.startswith("'") or not cell.value.startswith(name[0]) for cell in holding)


def test_text_that_looks_like_an_error_value_stays_text(export_result: AuditResult) -> None:
    sheet = _sheet(_workbook(export_result), "applications")
    department = [cell for cell in sheet["E"] if cell.value == "#N/A"]
    assert department and all(cell.data_type == "s" for cell in department)


def test_the_raw_xml_holds_no_formula_elements(export_result: AuditResult) -> None:
    with zipfile.ZipFile(io.BytesIO(render_findings_xlsx(export_result, load_messages("nl")))) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+31 20 123", "'+31 20 123"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rCR", "'\rCR"),
        ("a=b", "a=b"),
        ("", ""),
        ("bel\x07", "bel\ufffd"),
        ("x" * 40_000, "x" * 32_766 + "\u2026"),  # Excel's limit, and a mark that text is left out
        ("x" * 32_767, "x" * 32_767),
        ("x" * 32_768, "x" * 32_766 + "\u2026"),
        ("=" + "x" * 32_766, "'=" + "x" * 32_764 + "\u2026"),  # the quote counts
        ("=" + "x" * 32_765, "'=" + "x" * 32_765),
        ("x" * 32_765 + "\x01" + "x" * 10, "x" * 32_765 + "\ufffd\u2026"),
    ],
)
def test_neutralise(text: str, expected: str) -> None:
    assert neutralise(text) == expected


def test_every_character_xml_cannot_hold_is_replaced_and_every_other_kept() -> None:
    illegal = [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0xD800, 0xE000), 0xFFFE, 0xFFFF]
    for code in illegal:
        assert neutralise(f"a{chr(code)}b") == "a\ufffdb", hex(code)
    # Kept, printable or not: line breaks, spaces of every kind, format characters, private use, emoji.
    for text in ("a\nb\tc\rd", "a\u00a0b\u2028c\u200bd", "\u00ad\ue000\ufffd\U0001f600\U0010fffd"):
        assert neutralise(text) == text


@pytest.mark.parametrize(
    ("name", "used", "expected"),
    [
        ("Applications", set(), "Applications"),
        ("Risks: US/EU [draft]?", set(), "Risks US EU draft"),
        ("a" * 40, set(), "a" * 31),
        ("'quoted'", set(), "quoted"),
        ("Scenario's", set(), "Scenario's"),
        ("Waves", {"waves"}, "Waves (2)"),
        ("b" * 31, {"b" * 31}, "b" * 27 + " (2)"),
        ("***", set(), "Sheet"),
    ],
)
def test_sheet_title(name: str, used: set[str], expected: str) -> None:
    assert sheet_title(name, used) == expected


# ---------------------------------------------------------------------------------------------------------
# Determinism


@pytest.mark.parametrize("lang", LANGUAGES)
def test_two_renders_are_byte_identical(make_result: Any, lang: str) -> None:
    first = render_findings_xlsx(make_result(), load_messages(lang))
    second = render_findings_xlsx(make_result(), load_messages(lang))
    assert first == second


@pytest.mark.parametrize("batch", [1, 3])
def test_batches_of_any_size_give_the_same_workbook(
    export_result: AuditResult, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    monkeypatch.setattr(sovereign.report.xlsx_report, "_WIDTH_SAMPLE", 1)  # the first batch: one row
    expected = render_findings_xlsx(export_result, load_messages("en"))  # the other rows: one batch
    monkeypatch.setattr(sovereign.report.xlsx_report, "_BATCH", batch)
    monkeypatch.setattr(sovereign.report.xlsx_report, "_STRINGS", batch)
    assert render_findings_xlsx(export_result, load_messages("en")) == expected


def test_shared_strings_are_numbered_in_the_order_the_cells_meet_them(export_result: AuditResult) -> None:
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    with zipfile.ZipFile(io.BytesIO(render_findings_xlsx(export_result, load_messages("en")))) as archive:
        sheets = sorted(
            (name for name in archive.namelist() if name.startswith("xl/worksheets/")),
            key=lambda name: int(name.removeprefix("xl/worksheets/sheet").removesuffix(".xml")),
        )
        met = [
            int(cell.findtext(f"{main}v", ""))
            for name in sheets
            for cell in ElementTree.fromstring(archive.read(name)).iter(f"{main}c")
            if cell.get("t") == "s"
        ]
        count = len(ElementTree.fromstring(archive.read("xl/sharedStrings.xml")))
    assert list(dict.fromkeys(met)) == list(range(count))


# zipfile's finaliser then tries to finish the archive on the same handle and reports that it cannot.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_error_while_writing_is_raised(export_result: AuditResult) -> None:
    with pytest.raises(OSError, match="No space left on device"):
        sovereign.report.xlsx_report.write_findings_xlsx(export_result, load_messages("en"), FullDisk(10_000))


def test_timestamps_are_the_audit_date(result: AuditResult) -> None:
    data = render_findings_xlsx(result, load_messages("nl"))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 11, 23, 0, 0, 0)}
    properties = openpyxl.load_workbook(io.BytesIO(data)).properties
    assert (properties.created.isoformat(), properties.modified.isoformat()) == (
        "2026-11-23T00:00:00",
        "2026-11-23T00:00:00",
    )
    assert (properties.creator, properties.language) == ("sovereign 0.1.0", "nl")


def test_a_later_date_changes_the_timestamps(make_result: Any) -> None:
    data = render_findings_xlsx(make_result(date="2027-01-05"), load_messages("en"))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2027, 1, 5, 0, 0, 0)}


# ---------------------------------------------------------------------------------------------------------
# Translations and doctests


def _flatten(node: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(node, dict):
        flat: dict[str, Any] = {}
        for key, value in node.items():
            flat.update(_flatten(value, f"{prefix}{key}."))
        return flat
    return {prefix.rstrip("."): node}


def test_export_texts_have_the_same_keys_and_placeholders_in_every_language() -> None:
    flat = {lang: _flatten(load_export_messages(load_messages(lang)).texts["exports"]) for lang in LANGUAGES}
    nl, en = flat["nl"], flat["en"]
    assert set(nl) == set(en)
    for key, text in nl.items():
        assert isinstance(text, str) and isinstance(en[key], str), key
        assert "<" not in text + en[key] and ">" not in text + en[key], key
        fields = {name for _, name, _, _ in string.Formatter().parse(text) if name}
        assert fields == {name for _, name, _, _ in string.Formatter().parse(en[key]) if name}, key


def test_doctests() -> None:
    failures, tried = doctest.testmod(sovereign.report.xlsx_report)
    assert tried > 0
    assert failures == 0


# ---------------------------------------------------------------------------------------------------------
# End to end


def test_audit_of_the_example_writes_the_workbook(tmp_path: Path) -> None:
    out = tmp_path / "rapport"
    run = CliRunner().invoke(cli, ["audit", str(EXAMPLE), "--out", str(out), "--date", "2026-11-23"])
    assert run.exit_code == 0, run.output
    audit = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    workbook = openpyxl.load_workbook(out / "findings.xlsx")
    messages = load_export_messages(load_messages("nl"))
    assert workbook.sheetnames == [messages.t(f"exports.xlsx.{key}.name") for key in SHEETS]
    for sheet in workbook:
        assert all(cell.value for cell in sheet[1]), sheet.title
    applications = _records(_sheet(workbook, "applications", "nl"))
    assert len(applications) == len(audit["applications"])
    assert {r["Id"] for r in applications} == {a["id"] for a in audit["applications"]}
    assert len(_records(_sheet(workbook, "findings", "nl"))) == len(audit["violations"])
    assert len(_records(_sheet(workbook, "waves", "nl"))) == 1 + len(audit["plan"]["waves"])
    assert (out / "report.md").read_text(encoding="utf-8").startswith("# ")
    # An evidence path runs on from the row's application, so applications on the same chain read alike.
    applications_by_path: dict[str, set[str]] = {}
    for row in _records(_sheet(workbook, "evidence", "nl")):
        path = row["Keten vanaf de applicatie"]
        if path is not None and path != row["Applicatie"]:  # not the application alone
            assert path.startswith("—") and not path.startswith(row["Applicatie"]), row
            applications_by_path.setdefault(path, set()).add(row["Id applicatie"])
    assert max(map(len, applications_by_path.values())) > 1


# ---------------------------------------------------------------------------------------------------------
# The writer


def test_xml_special_and_illegal_characters_round_trip(make_result: Any) -> None:
    result = make_result()
    hostile = "A & B <c> \"d\" 'e' \x01 \ud800 \ufffe ]]> é"
    first = result.assessments[0]
    renamed = replace(first, application=replace(first.application, name=hostile))
    workbook = _workbook(replace(result, assessments=(renamed, *result.assessments[1:])))
    names = [r["Application"] for r in _records(_sheet(workbook, "applications"))]
    assert "A & B <c> \"d\" 'e' \ufffd \ufffd \ufffd ]]> é" in names


def test_a_table_longer_than_a_sheet_continues_on_the_next(
    export_result: AuditResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sovereign.report.xlsx_report, "_MAX_ROWS", 3)
    monkeypatch.setattr(sovereign.report.xlsx_report, "_WIDTH_SAMPLE", 2)
    workbook = _workbook(export_result)
    evidence = _sheet(workbook, "evidence").title
    parts = [sheet for sheet in workbook if sheet.title.startswith(evidence)]
    rows = [row for sheet in parts for row in _records(sheet)]
    assert len(parts) > 1 and all(sheet.max_row <= 4 for sheet in parts)
    assert [sheet.title for sheet in parts[1:]] == [f"{evidence} ({n})" for n in range(2, len(parts) + 1)]
    expected = sum(
        len(getattr(a, axis).countries)
        for a in export_result.assessments
        for axis in ("lawful_access", "residency", "continuity")
    )
    assert len(rows) == expected  # nothing lost


def test_written_to_a_stream_is_the_same_workbook(export_result: AuditResult) -> None:
    buffer = io.BytesIO()
    sovereign.report.xlsx_report.write_findings_xlsx(export_result, load_messages("en"), buffer)
    assert buffer.getvalue() == render_findings_xlsx(export_result, load_messages("en"))

"""The Archi CSV reader: folder, zip or elements.csv; the same model as the exchange file; safe zips.

The public GEMMA export in ``../shared/testdata/gemma`` is read where it is (never copied into the
repository); those tests are skipped when that folder is absent.
"""

from __future__ import annotations

import contextlib
import doctest
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import SHARED_TESTDATA
from hypothesis import given
from hypothesis import strategies as st
from property.strategies import SETTINGS

from sovereign.errors import InputError, InputErrors
from sovereign.inventory import (
    _archimate,
    archi_csv_reader,
    archimate_reader,
    read_inventories,
    read_inventory,
)
from sovereign.inventory._rows import build_inventory
from sovereign.model import Inventory

FIXTURES = Path(__file__).parents[1] / "fixtures"
ARCHI_CSV = FIXTURES / "archi_csv"
GEMMA = SHARED_TESTDATA / "gemma"
needs_gemma = pytest.mark.skipif(
    not GEMMA.is_dir(), reason=f"the public GEMMA test files are not here ({GEMMA}); they are never copied"
)
GEMMA_ELEMENTS = "GEMMA-coArchi-2026-06-30-elements.csv"  # derived from the coArchi repository, see README
HINT_EXPORT = "Hint: export the model again from Archi (File > Export > Model to CSV)"


@pytest.fixture(autouse=True)
def _in_fixture_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ARCHI_CSV)


def read(path: str | Path) -> Inventory:
    inventory = archi_csv_reader.read(Path(path))
    assert inventory.rows_read == len(inventory.applications) + len(inventory.merged) + len(
        inventory.rejected
    )
    return inventory


def error(path: str | Path) -> str:
    with pytest.raises((InputError, InputErrors)) as info:
        archi_csv_reader.read(Path(path))
    return str(info.value)


def zip_folder(folder: Path, target: Path, *, under: str = "") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.iterdir()):
            archive.write(file, under + file.name)
    return target


def export_folder(folder: Path, elements: str, relations: str = "", properties: str = "") -> Path:
    """An export with the given data rows under Archi's headers (CRLF, every field quoted)."""
    folder.mkdir(exist_ok=True)
    headers = {
        "elements.csv": '"ID","Type","Name","Documentation","Specialization"',
        "relations.csv": '"ID","Type","Name","Documentation","Source","Target","Specialization"',
        "properties.csv": '"ID","Key","Value"',
    }
    for name, rows in zip(headers, (elements, relations, properties), strict=True):
        (folder / name).write_bytes(("\r\n".join([headers[name], *rows.splitlines()]) + "\r\n").encode())
    return folder


# ---------------------------------------------------------------------------------------------------------
# The landscape, as folder, zip and elements.csv


def test_the_landscape_reads_as_the_exchange_file_does_except_access() -> None:
    inventory = read("landscape")
    assert [
        (str(a.source), a.app_id, a.vendor, a.gemma_component, a.hosting, str(a.biv) if a.biv else None,
         a.personal_data, a.business_critical, a.users, a.depends_on)
        for a in inventory.applications
    ] == [
        ("landscape/elements.csv:3#id-zaak", "zaaksysteem", "Voorbeeld Software B.V.", "Zaakafhandelcomponent",
         "SaaS", "3/2/2", True, True, 1200, ("documentbeheer", "identity-provider")),
        ("landscape/elements.csv:4#id-dms", "documentbeheer", "Voorbeeld Docs B.V.", None, None, None, True,
         False, None, ()),
        ("landscape/elements.csv:5#id-idp", "identity-provider", None, None, None, None, None, None, None, ()),
        ("landscape/elements.csv:6#id-portaal", "portaal", None, None, None, None, None, None, None,
         ("zaaksysteem",)),
        # The flow alone: without access types, reading the data object gives no dependency.
        ("landscape/elements.csv:7#id-rapportage", "rapportage", None, None, None, None, None, None, None,
         ("zaaksysteem",)),
    ]  # fmt: skip
    exchange = archimate_reader.read(FIXTURES / "archimate" / "landscape.xml").applications
    assert [
        replace(a, source=x.source) for a, x in zip(inventory.applications, exchange, strict=True)
    ] == list(exchange)
    assert inventory.warnings == (
        "landscape: 3 Access relationships: Archi's CSV export does not say whether they read or write, so "
        "they give no dependencies (the exchange file does)",
        "landscape/elements.csv:4#id-dms: property 'Users': 'lots' is not a number of users (expected e.g. "
        "300 or 1.200); left unknown",
        "landscape: read 11 elements and 14 relationships: 5 applications, 1 GEMMA reference component, "
        "1 vendor, 4 other elements, not applications (ApplicationInterface 1, ApplicationService 1, "
        "DataObject 1, BusinessProcess 1); 4 dependencies between the applications",
    )


def test_the_vendor_can_be_an_archi_specialization() -> None:
    model = archi_csv_reader.read_model(Path("landscape"))
    vendor = next(e for e in model.elements if e.identifier == "id-leverancier")
    assert (vendor.properties, vendor.specialization) == ((), "Leverancier")


def test_a_zip_of_the_export_in_a_folder(tmp_path: Path) -> None:
    path = zip_folder(Path("landscape"), tmp_path / "export.zip", under="Archi export/")
    inventory = read(path)
    assert [str(a.source) for a in inventory.applications][:1] == [
        f"{path}/Archi export/elements.csv:3#id-zaak"
    ]
    assert [a.depends_on for a in inventory.applications] == [
        a.depends_on for a in read("landscape").applications
    ]


def test_a_prefixed_export_with_semicolons_in_windows_1252() -> None:
    inventory = read("prefixed_semicolon/gemeente-elements.csv")
    assert [(str(a.source), a.name, a.vendor, a.hosting_provider, a.depends_on) for a in inventory.applications] == [
        ("prefixed_semicolon/gemeente-elements.csv:3#id-fin", "Financiën", "Exact Software", "Exact (Delft)",
         ("burgerzaken",)),
        ("prefixed_semicolon/gemeente-elements.csv:4#id-bz", "Burgerzaken", None, None, ()),
    ]  # fmt: skip
    assert [a.name for a in read("prefixed_semicolon").applications] == ["Financiën", "Burgerzaken"]


def test_relations_and_properties_may_be_missing_with_a_warning(tmp_path: Path) -> None:
    folder = tmp_path / "only"
    folder.mkdir()
    (folder / "elements.csv").write_text('"ID","Type","Name"\n"id-a","ApplicationComponent","A"\n', "utf-8")
    inventory = read(folder)
    assert [a.name for a in inventory.applications] == ["A"]
    assert inventory.warnings[:2] == (
        f"{folder}: no relations.csv next to elements.csv; read without relationships",
        f"{folder}: no properties.csv next to elements.csv; read without properties",
    )


# ---------------------------------------------------------------------------------------------------------
# Detection and registration


def test_detected_as_folder_zip_or_elements_csv(tmp_path: Path) -> None:
    assert archi_csv_reader.detect(Path("landscape"))
    assert archi_csv_reader.detect(Path("landscape/elements.csv"))
    assert archi_csv_reader.detect(zip_folder(Path("landscape"), tmp_path / "e.zip"))
    assert not archi_csv_reader.detect(FIXTURES / "csv")  # a folder of inventories
    assert not archi_csv_reader.detect(Path("landscape/relations.csv"))
    assert not archi_csv_reader.detect(tmp_path / "missing.zip")


def test_an_elements_csv_is_not_read_as_a_spreadsheet_inventory() -> None:
    inventory, files = read_inventories([Path("landscape/elements.csv"), Path("prefixed_semicolon")])
    assert [a.name for a in inventory.applications] == [
        "Zaaksysteem", "Documentbeheer", "Identity Provider", "Portaal", "Rapportage", "Financiën", "Burgerzaken",
    ]  # fmt: skip
    assert [(f.path, f.rows) for f in files] == [("landscape/elements.csv", 5), ("prefixed_semicolon", 2)]
    assert [a.name for a in read_inventory(Path("landscape"), format="archi-csv").applications][:1] == [
        "Zaaksysteem"
    ]


# ---------------------------------------------------------------------------------------------------------
# Malformed exports


def test_relation_and_property_of_missing_elements_are_reported_together() -> None:
    assert error("missing_element").splitlines() == [
        "missing_element/relations.csv:3#id-r2: column 'Source': 'id-gone' is not an element or relationship "
        "in the export",
        "missing_element/properties.csv:3#id-lost: column 'ID': 'id-lost' is not the model, an element or a "
        "relationship in the export",
    ]


def test_two_exports_in_one_folder() -> None:
    assert error("two_exports") == (
        "two_exports: the folder holds 2 Archi CSV exports ('2024-elements.csv', '2025-elements.csv')\n"
        "Hint: pass the elements.csv of the export you mean"
    )


def test_rows_without_id_or_type_and_repeated_ids(tmp_path: Path) -> None:
    folder = export_folder(
        tmp_path / "bad",
        '"","ApplicationComponent","A","",""\n"id-b","","B","",""\n"id-c","ApplicationComponent","C","",""\n'
        '"id-c","ApplicationComponent","C2","",""',
        '"id-r","ServingRelationship","","","","id-c",""',
    )
    assert error(folder).splitlines() == [
        f"{folder}/elements.csv:2: column 'ID' is empty: the element has no id",
        f"{folder}/elements.csv:3#id-b: column 'Type' is empty: the element has no ArchiMate type",
        f"{folder}/elements.csv:5#id-c: column 'ID': 'id-c' is used twice",
        f"{folder}/relations.csv:2#id-r: column 'Source' is empty",
    ]


def test_a_file_that_is_not_an_archi_export(tmp_path: Path) -> None:
    folder = tmp_path / "other"
    folder.mkdir()
    (folder / "elements.csv").write_text("Element;Soort\nA;B\n", encoding="utf-8")
    assert error(folder) == (
        f"{folder}/elements.csv:1: not an Archi elements.csv: missing columns 'ID', 'Type', 'Name' "
        f"(found 'Element', 'Soort')\n{HINT_EXPORT}"
    )


def test_a_folder_without_an_export(tmp_path: Path) -> None:
    assert error(tmp_path) == (
        f"{tmp_path}: no elements.csv in the folder\n"
        "Hint: pass the folder or zip that Archi's CSV export wrote (elements.csv, relations.csv, properties.csv)"
    )


# ---------------------------------------------------------------------------------------------------------
# Safe zips


def test_a_zip_with_a_path_traversal_name_is_refused() -> None:
    assert error("path_traversal.zip") == (
        "path_traversal.zip: refused: the zip holds a member named '../../relations.csv', a path that leads "
        "out of the archive\n"
        "Hint: zip the three files of Archi's CSV export again, without folders above them"
    )


@pytest.mark.parametrize("name", ["/etc/elements.csv", "C:/export/elements.csv", "export\\..\\..\\x.csv"])
def test_absolute_and_drive_names_are_refused_too(tmp_path: Path, name: str) -> None:
    path = tmp_path / "bad.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(name, '"ID","Type","Name"\r\n')
    assert "a path that leads out of the archive" in error(path)


def test_a_member_that_inflates_past_the_limit_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(_archimate, "MAX_MODEL_BYTES", 1024 * 1024)
    monkeypatch.setattr(archi_csv_reader, "MAX_MODEL_BYTES", 1024 * 1024)
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("elements.csv", '"ID","Type","Name"\r\n' + " " * (2 * 1024 * 1024))
    assert path.stat().st_size < 10_000
    assert error(path) == (
        f"{path}: the file is 2.0 MB; sovereign reads ArchiMate models up to 1 MB\n"
        "Hint: export only the application landscape (the application layer) and try again"
    )


def test_too_many_members_and_damaged_zips(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(archi_csv_reader, "MAX_ZIP_MEMBERS", 2)
    crowded = zip_folder(Path("landscape"), tmp_path / "crowded.zip")
    assert error(crowded).startswith(f"{crowded}: the zip holds 3 members; sovereign reads zips of up to 2\n")
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(b"PK\x03\x04 not really")
    assert error(damaged) == (
        f"{damaged}: not a readable zip archive (it is damaged, or not a zip)\n{HINT_EXPORT}"
    )


@SETTINGS
@given(st.text(max_size=300), st.sampled_from(["elements.csv", "relations.csv", "properties.csv"]))
def test_arbitrary_text_in_an_export_file_raises_only_input_errors(
    tmp_path_factory: pytest.TempPathFactory, text: str, name: str
) -> None:
    folder = tmp_path_factory.mktemp("export")
    for file in Path(ARCHI_CSV / "landscape").iterdir():
        (folder / file.name).write_bytes(file.read_bytes())
    (folder / name).write_text(text, encoding="utf-8")
    with contextlib.suppress(InputError, InputErrors):
        archi_csv_reader.read(folder)


def test_docstring_examples() -> None:
    result = doctest.testmod(archi_csv_reader)
    assert result.failed == 0 and result.attempted > 0


# ---------------------------------------------------------------------------------------------------------
# The public GEMMA export


@needs_gemma
@pytest.mark.parametrize("given", [".", GEMMA_ELEMENTS], ids=["folder", "elements.csv"])
def test_gemma_export_parses_completely(given: str) -> None:
    path = GEMMA / given
    model = archi_csv_reader.read_model(path)
    # The model row of elements.csv is not an element: 3,007 rows, 3,006 elements, as in the exchange file.
    assert (len(model.elements), len(model.relationships)) == (3006, 6257)
    roles = _archimate.classify(model)
    assert (len(roles.applications), len(roles.reference_components), len(roles.packages)) == (98, 171, 0)
    assert sum(map(len, (roles.applications, roles.reference_components, roles.packages, roles.vendors,
                         roles.other))) == 3006  # fmt: skip
    document = archi_csv_reader.read_table(path)
    # One dependency fewer than the exchange file's 48: it comes from Read/Write access to a data object.
    assert (len(document.entries), len(document.rejected), _archimate.count_dependencies(document)) == (
        98,
        0,
        47,
    )
    inventory = build_inventory([document])
    assert (len(inventory.applications), inventory.rows_read) == (98, 98)


@needs_gemma
def test_gemma_export_and_exchange_file_agree() -> None:
    csv_inventory = build_inventory([archi_csv_reader.read_table(GEMMA)])
    xml_inventory = build_inventory(
        [archimate_reader.read_table(GEMMA / "GEMMA_from_coArchi_2026-06-30.xml")]
    )

    def pairs(inventory: Inventory) -> set[tuple[str, str]]:
        return {(a.app_id, d) for a in inventory.applications for d in a.depends_on}

    # The same applications (in another order: the files list the elements differently).
    assert sorted(a.app_id for a in csv_inventory.applications) == sorted(
        a.app_id for a in xml_inventory.applications
    )
    assert pairs(csv_inventory) < pairs(xml_inventory)
    assert len(pairs(xml_inventory) - pairs(csv_inventory)) == 1

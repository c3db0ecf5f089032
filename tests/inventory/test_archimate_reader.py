"""The ArchiMate exchange-file reader: what becomes an application, dependencies, safety, malformed models.

The public GEMMA models in ``../shared/testdata/gemma`` are read where they are (never copied into the
repository); those tests are skipped when that folder is absent.
"""

from __future__ import annotations

import contextlib
import doctest
import re
from pathlib import Path

import pytest
from conftest import SHARED_TESTDATA
from hypothesis import given
from hypothesis import strategies as st
from property.strategies import SETTINGS

from sovereign.errors import InputError, InputErrors
from sovereign.inventory import _archimate, archimate_reader, read_inventories, read_inventory
from sovereign.inventory._rows import build_inventory
from sovereign.model import Application, Inventory

ARCHIMATE = Path(__file__).parents[1] / "fixtures" / "archimate"
GEMMA = SHARED_TESTDATA / "gemma"
needs_gemma = pytest.mark.skipif(
    not GEMMA.is_dir(), reason=f"the public GEMMA test files are not here ({GEMMA}); they are never copied"
)
HINT_EXPORT = (
    "export the model again from the architecture tool (in Archi: File > Export > Open Exchange File)"
)


@pytest.fixture(autouse=True)
def _in_fixture_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ARCHIMATE)


def read(path: str | Path) -> Inventory:
    inventory = archimate_reader.read(Path(path))
    assert inventory.rows_read == len(inventory.applications) + len(inventory.merged) + len(
        inventory.rejected
    )
    return inventory


def error(path: str | Path) -> str:
    with pytest.raises((InputError, InputErrors)) as info:
        archimate_reader.read(Path(path))
    return str(info.value)


def model_file(
    folder: Path, elements: str = "", relationships: str = "", definitions: str = "", *, name: str = "m.xml"
) -> Path:
    """A small exchange file with the given element, relationship and property definition XML."""
    path = folder / name
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="id-m">\n'
        f"<name>M</name>\n<elements>{elements}</elements>\n<relationships>{relationships}</relationships>\n"
        f"<propertyDefinitions>{definitions}</propertyDefinitions>\n</model>\n",
        encoding="utf-8",
    )
    return path


def component(identifier: str, name: str, properties: str = "") -> str:
    props = f"<properties>{properties}</properties>" if properties else ""
    return f'<element identifier="{identifier}" xsi:type="ApplicationComponent"><name>{name}</name>{props}</element>'


def prop(ref: str, value: str) -> str:
    return f'<property propertyDefinitionRef="{ref}"><value>{value}</value></property>'


def definition(ref: str, name: str) -> str:
    return f'<propertyDefinition identifier="{ref}" type="string"><name>{name}</name></propertyDefinition>'


def relationship(identifier: str, kind: str, source: str, target: str, extra: str = "") -> str:
    return f'<relationship identifier="{identifier}" xsi:type="{kind}" source="{source}" target="{target}" {extra}/>'


def flat(applications: tuple[Application, ...]) -> list[tuple[str, tuple[str, ...]]]:
    return [(a.app_id, a.depends_on) for a in applications]


# ---------------------------------------------------------------------------------------------------------
# A municipal landscape


def test_application_components_become_applications_with_their_properties() -> None:
    inventory = read("landscape.xml")
    assert [
        (str(a.source), a.app_id, a.vendor, a.gemma_component, a.hosting, str(a.biv) if a.biv else None,
         a.personal_data, a.business_critical, a.users, a.extra)
        for a in inventory.applications
    ] == [
        ("landscape.xml#id-zaak", "zaaksysteem", "Voorbeeld Software B.V.", "Zaakafhandelcomponent", "SaaS",
         "3/2/2", True, True, 1200, (("Object ID", "b1f3c2d4-0001"),)),
        # English property names; the vendor from a property, as no Leverancier element is linked.
        ("landscape.xml#id-dms", "documentbeheer", "Voorbeeld Docs B.V.", None, None, None, True, False,
         None, ()),
        ("landscape.xml#id-idp", "identity-provider", None, None, None, None, None, None, None, ()),
        ("landscape.xml#id-portaal", "portaal", None, None, None, None, None, None, None, ()),
        ("landscape.xml#id-rapportage", "rapportage", None, None, None, None, None, None, None, ()),
    ]  # fmt: skip
    assert inventory.rejected == ()


def test_relationships_become_dependencies_in_the_direction_of_need() -> None:
    assert flat(read("landscape.xml").applications) == [
        # Identity Provider serves Zaaksysteem; Documentbeheer realizes the service that serves it.
        ("zaaksysteem", ("documentbeheer", "identity-provider")),
        # Access "Access" (no direction) to the data Zaaksysteem writes gives Documentbeheer nothing.
        ("documentbeheer", ()),
        # Triggering Portaal gives Identity Provider nothing either way.
        ("identity-provider", ()),
        # Zaaksysteem's interface (it is composed of it) serves Portaal.
        ("portaal", ("zaaksysteem",)),
        # A flow from Zaaksysteem, and reading the data object Zaaksysteem writes: one dependency.
        ("rapportage", ("zaaksysteem",)),
    ]


def test_warnings_name_the_element_and_account_for_every_element() -> None:
    assert read("landscape.xml").warnings == (
        "landscape.xml#id-dms: property 'Users': 'lots' is not a number of users (expected e.g. 300 or "
        "1.200); left unknown",
        "landscape.xml: read 11 elements and 14 relationships: 5 applications, 1 GEMMA reference component, "
        "1 vendor, 4 other elements, not applications (ApplicationInterface 1, ApplicationService 1, "
        "DataObject 1, BusinessProcess 1); 4 dependencies between the applications",
    )
    roles = _archimate.classify(archimate_reader.read_model(Path("landscape.xml")))
    assert [
        [e.identifier for e in group]
        for group in (
            roles.applications,
            roles.reference_components,
            roles.packages,
            roles.vendors,
            roles.other,
        )
    ] == [
        ["id-zaak", "id-dms", "id-idp", "id-portaal", "id-rapportage"],
        ["id-zac"],
        [],
        ["id-leverancier"],
        ["id-zaken-api", "id-documentdienst", "id-zaak-data", "id-proces"],
    ]


# ---------------------------------------------------------------------------------------------------------
# Softwarecatalogus export


def test_softwarecatalogus_versions_in_use_are_applications_of_their_package() -> None:
    inventory = read("softwarecatalogus_export.xml")
    assert [
        (a.app_id, a.vendor, a.product, a.version, a.gemma_component, a.depends_on, a.extra)
        for a in inventory.applications
    ] == [
        ("key2zaken-5-1", "Centric", "Key2Zaken", "5.1", "Zaakafhandelcomponent", ("berichtenbox-2-0",),
         (("SWC type", "Pakketversie"), ("Gebruik status", "In productie"),
          ("Object ID", "9f0c51aa-5d3e-4d5e-9b0e-000000000051"), ("Extern pakket", "nee"))),
        # Uit te faseren: still running, so read.
        ("berichtenbox-2-0", None, "Berichtenbox", None, None, (),
         (("SWC type", "Pakketversie"), ("Gebruik status", "Uit te faseren"))),
        # A package without versions in the model is the application itself.
        ("eigen-koppelvlak", None, None, None, None, (), (("SWC type", "Pakket"), ("Extern pakket", "ja"))),
    ]  # fmt: skip


def test_softwarecatalogus_planned_and_retired_versions_are_rejected_with_the_reason() -> None:
    inventory = read("softwarecatalogus_export.xml")
    assert [(str(r.source), r.reason) for r in inventory.rejected] == [
        (
            "softwarecatalogus_export.xml#id-k2z-49",
            "retired, no longer in use (Gebruik status 'Uitgefaseerd')",
        ),
        ("softwarecatalogus_export.xml#id-k2z-60", "planned, not in use yet (Gebruik status 'Gepland')"),
    ]
    assert inventory.warnings == (
        "softwarecatalogus_export.xml: rejected 1 application component, retired, no longer in use "
        "(Gebruik status 'Uitgefaseerd'): id-k2z-49",
        "softwarecatalogus_export.xml: rejected 1 application component, planned, not in use yet "
        "(Gebruik status 'Gepland'): id-k2z-60",
        "softwarecatalogus_export.xml: 1 dependency on rejected applications (planned, retired or unnamed) "
        "left out",
        "softwarecatalogus_export.xml: read 9 elements and 8 relationships: 3 applications, 2 rejected, "
        "1 GEMMA reference component, 2 Softwarecatalogus packages (product of their versions), 1 vendor; "
        "1 dependency between the applications",
    )
    roles = _archimate.classify(archimate_reader.read_model(Path("softwarecatalogus_export.xml")))
    assert [e.name for e in roles.packages] == ["Key2Zaken", "Berichtenbox"]


def test_an_unknown_use_status_is_read_as_in_use_with_a_warning(tmp_path: Path) -> None:
    path = model_file(
        tmp_path,
        component("id-a", "A", prop("p1", "Misschien")),
        definitions=definition("p1", "Gebruik status"),
    )
    inventory = read(path)
    assert [a.app_id for a in inventory.applications] == ["a"]
    assert inventory.warnings[0] == (
        f"{path}#id-a: property 'Gebruik status': 'Misschien' is not a Gebruik status (Gepland, In productie, "
        "Uit te faseren, Uitgefaseerd); read as in use"
    )


# ---------------------------------------------------------------------------------------------------------
# Properties


def test_property_definitions_are_matched_by_name_not_by_id() -> None:
    archi, bizzdesign = read("property_ids_archi.xml"), read("property_ids_bizzdesign.xml")
    assert [(a.name, a.vendor, a.hosting, a.business_critical) for a in archi.applications] == [
        ("E-mail", "Microsoft", "Azure West-Europa", True)
    ]
    assert [(a.name, a.vendor, a.hosting, a.business_critical) for a in bizzdesign.applications] == [
        ("E-mail", "Microsoft", "Azure West-Europa", True)
    ]


def test_an_undefined_property_definition_is_ignored_with_a_warning(tmp_path: Path) -> None:
    path = model_file(tmp_path, component("id-a", "A", prop("propid-9", "x") + prop("propid-9", "y")))
    inventory = read(path)
    assert inventory.applications[0].extra == ()
    assert inventory.warnings[0] == (
        f"{path}: property definition 'propid-9' is not defined; 2 properties that refer to it are ignored"
    )


def test_an_exact_property_name_wins_over_one_with_a_remark(tmp_path: Path) -> None:
    # GEMMA gives "Beschikbaarheid (belangrijkste reden)" next to "Beschikbaarheid", reason first.
    properties = prop("p1", "1 : imagoschade") + prop("p2", "3")
    definitions = definition("p1", "Beschikbaarheid (belangrijkste reden)") + definition(
        "p2", "Beschikbaarheid"
    )
    inventory = read(model_file(tmp_path, component("id-a", "A", properties), definitions=definitions))
    app = inventory.applications[0]
    assert (str(app.biv), app.extra) == (
        "3/?/?",
        (("Beschikbaarheid (belangrijkste reden)", "1 : imagoschade"),),
    )


def test_what_relationships_say_wins_over_a_property_which_is_kept(tmp_path: Path) -> None:
    elements = (
        component("id-a", "A", prop("p1", "Andere B.V."))
        + '<element identifier="id-v" xsi:type="BusinessActor"><name>Leverancier B.V.</name>'
        f"<properties>{prop('p2', 'Leverancier')}</properties></element>"
        + '<element identifier="id-w" xsi:type="BusinessActor"><name>Tweede B.V.</name>'
        f"<properties>{prop('p2', 'Leverancier')}</properties></element>"
    )
    path = model_file(
        tmp_path,
        elements,
        relationship("id-r1", "Association", "id-v", "id-a")
        + relationship("id-r2", "Serving", "id-w", "id-a"),
        definition("p1", "Leverancier") + definition("p2", "SWC type"),
    )
    inventory = read(path)
    assert [(a.vendor, a.extra) for a in inventory.applications] == [
        ("Leverancier B.V.", (("Leverancier", "Andere B.V."),))
    ]
    assert (
        inventory.warnings[0]
        == f"{path}#id-a: linked to 2 vendors (Leverancier B.V., Tweede B.V.); using 'Leverancier B.V.'"
    )


# ---------------------------------------------------------------------------------------------------------
# Dependencies: junctions, realization, services shared


def test_a_junction_passes_a_relationship_on_to_each_target(tmp_path: Path) -> None:
    elements = (
        component("id-a", "A") + component("id-b", "B") + component("id-c", "C")
        + '<element identifier="id-j" xsi:type="OrJunction"><name/></element>'
    )  # fmt: skip
    relationships = (
        relationship("id-r1", "Flow", "id-a", "id-j")
        + relationship("id-r2", "Flow", "id-j", "id-b")
        + relationship("id-r3", "Flow", "id-j", "id-c")
        + relationship("id-r4", "Triggering", "id-j", "id-a")  # another type: does not continue the flow
    )
    inventory = read(model_file(tmp_path, elements, relationships))
    assert flat(inventory.applications) == [("a", ()), ("b", ("a",)), ("c", ("a",))]


def test_realization_between_applications_and_a_service_two_provide(tmp_path: Path) -> None:
    elements = (
        component("id-a", "A") + component("id-b", "B") + component("id-c", "C")
        + '<element identifier="id-s" xsi:type="ApplicationService"><name>S</name></element>'
    )  # fmt: skip
    relationships = (
        relationship("id-r1", "Realization", "id-a", "id-b")  # A realizes B: B depends on A
        + relationship("id-r2", "Realization", "id-a", "id-s")  # A and C both provide S: no dependency
        + relationship("id-r3", "Realization", "id-c", "id-s")
    )
    inventory = read(model_file(tmp_path, elements, relationships))
    assert flat(inventory.applications) == [("a", ()), ("b", ("a",)), ("c", ())]


# ---------------------------------------------------------------------------------------------------------
# Safe parsing


def test_entity_expansion_is_refused() -> None:
    assert error("entity_expansion.xml") == (
        "entity_expansion.xml: refused: the file declares an entity 'a'; entity expansion can turn a small "
        "file into gigabytes in memory\n"
        "Hint: ArchiMate exchange files have no entity declarations; " + HINT_EXPORT
    )


def test_an_external_entity_is_refused() -> None:
    assert error("external_entity.xml") == (
        "external_entity.xml: refused: the file declares an external entity 'secret' (file:///etc/passwd); "
        "it could make the parser read local files or fetch from the network\n"
        "Hint: ArchiMate exchange files have no entity declarations; " + HINT_EXPORT
    )


def test_a_file_over_the_size_limit_is_refused_unread(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(_archimate, "MAX_MODEL_BYTES", 1024 * 1024)
    path = tmp_path / "big.xml"
    path.write_bytes(b" " * (1024 * 1024 + 1))
    assert error(path) == (
        f"{path}: the file is 1.0 MB; sovereign reads ArchiMate models up to 1 MB\n"
        "Hint: export only the application landscape (the application layer) and try again"
    )


# ---------------------------------------------------------------------------------------------------------
# Malformed models


def test_a_relationship_to_a_missing_element() -> None:
    assert error("missing_element.xml") == (
        "missing_element.xml#id-r2: relationship target 'id-gone' is not an element or relationship of the model"
    )


def test_xml_that_is_not_well_formed_is_located_and_quoted(tmp_path: Path) -> None:
    path = tmp_path / "cut.xml"
    path.write_text('<?xml version="1.0"?>\n<model xmlns="x">\n  <elements>\n</model>\n', encoding="utf-8")
    assert error(path) == (
        f"{path}:4: not well-formed XML: mismatched tag (column 3)\n"
        "    </model>\n"
        "      ^\n"
        "Hint: the file may be cut off or edited by hand; " + HINT_EXPORT
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty\nHint: " + HINT_EXPORT),
        (
            '<model xmlns="http://www.opengroup.org/xsd/archimate"/>',
            "this is an ArchiMate 2 exchange file; sovereign reads the ArchiMate 3 exchange format\n"
            "Hint: open the model in an ArchiMate 3 tool and export it again as an Open Exchange File",
        ),
        (
            '<archimate:model xmlns:archimate="http://www.archimatetool.com/archimate"/>',
            "this is an Archi model file, not an exchange file\n"
            "Hint: in Archi: File > Export > Open Exchange File, or File > Export > Model to CSV",
        ),
        (
            '<bom xmlns="http://cyclonedx.org/schema/bom/1.5"/>',
            "not an ArchiMate model exchange file: the root element is <bom> in namespace "
            "http://cyclonedx.org/schema/bom/1.5\n"
            'Hint: an exchange file starts with <model xmlns="http://www.opengroup.org/xsd/archimate/3.0/">',
        ),
    ],
    ids=["empty", "archimate-2", "archi-native", "cyclonedx"],
)
def test_files_that_are_not_archimate_3_exchange_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "x.xml"
    path.write_text(content, encoding="utf-8")
    assert error(path) == f"{path}: {message}"


def test_every_identifier_problem_is_reported_at_once(tmp_path: Path) -> None:
    elements = (
        '<element xsi:type="ApplicationComponent"><name>Naamloos id</name></element>'
        + component("id-a", "A")
        + component("id-a", "A again")
        + '<element identifier="id-t"><name>No type</name></element>'
    )
    relationships = (
        '<relationship identifier="id-r1" xsi:type="Serving" target="id-a"/>'
        + relationship("id-r2", "Access", "id-a", "id-a", 'accessType="Sometimes"')
        + relationship("id-a", "Flow", "id-a", "id-a")
    )
    path = model_file(tmp_path, elements, relationships)
    assert error(path).splitlines() == [
        f"{path}: element number 1 (ApplicationComponent 'Naamloos id') has no identifier",
        f"{path}#id-a: identifier is used twice: by an earlier element and by this element",
        f"{path}#id-t: element has no xsi:type (its ArchiMate type)",
        f"{path}#id-r1: relationship has no source",
        f"{path}#id-r2: accessType 'Sometimes' is not one of Access, Read, ReadWrite, Write",
        f"{path}#id-a: identifier is used twice: by an earlier element and by this relationship",
    ]


def test_a_model_without_application_components(tmp_path: Path) -> None:
    path = model_file(tmp_path, '<element identifier="id-c" xsi:type="Capability"><name>C</name></element>')
    assert error(path) == (
        f"{path}: no application components in the model (found 1 element: Capability 1)\n"
        "Hint: sovereign reads the ApplicationComponent elements of your own landscape as applications; "
        "export the model that holds them"
    )


def test_a_model_of_reference_components_only(tmp_path: Path) -> None:
    path = model_file(
        tmp_path,
        component("id-z", "Zaakafhandelcomponent", prop("p", "Referentiecomponent")),
        definitions=definition("p", "GEMMA type"),
    )
    assert error(path).splitlines()[0] == (
        f"{path}: no application components in the model (it has only GEMMA reference components and "
        "Softwarecatalogus packages (1), which name kinds of application rather than applications in use)"
    )


def test_an_application_without_a_name_is_rejected(tmp_path: Path) -> None:
    path = model_file(tmp_path, component("id-a", "A") + component("id-b", " "))
    inventory = read(path)
    assert [(str(r.source), r.reason) for r in inventory.rejected] == [
        (f"{path}#id-b", "no application name")
    ]


def test_a_package_version_of_another_type_is_an_application(tmp_path: Path) -> None:
    element = (
        '<element identifier="id-v" xsi:type="SystemSoftware"><name>Suite 2.0</name>'
        f"<properties>{prop('p', 'Pakketversie')}</properties></element>"
    )
    path = model_file(tmp_path, element, definitions=definition("p", "SWC type"))
    assert [a.name for a in read(path).applications] == ["Suite 2.0"]


def test_a_prefixed_xsi_type_is_read(tmp_path: Path) -> None:
    path = model_file(
        tmp_path,
        '<element identifier="id-a" xsi:type="archimate:ApplicationComponent"><name>A</name></element>',
    )
    assert [a.name for a in read(path).applications] == ["A"]


@SETTINGS
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_arbitrary_bytes_raise_only_input_errors(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    path = tmp_path_factory.mktemp("xml") / "model.xml"
    path.write_bytes(data)
    with contextlib.suppress(InputError, InputErrors):
        archimate_reader.read(path)


@SETTINGS
@given(
    st.integers(min_value=0, max_value=(ARCHIMATE / "landscape.xml").stat().st_size), st.binary(max_size=8)
)
def test_a_damaged_model_raises_only_input_errors(
    tmp_path_factory: pytest.TempPathFactory, at: int, junk: bytes
) -> None:
    data = (ARCHIMATE / "landscape.xml").read_bytes()
    path = tmp_path_factory.mktemp("xml") / "model.xml"
    path.write_bytes(data[:at] + junk + data[at + len(junk) :])
    with contextlib.suppress(InputError, InputErrors):
        archimate_reader.read(path)


# ---------------------------------------------------------------------------------------------------------
# Registration


def test_detected_by_namespace_and_read_with_other_inventories(tmp_path: Path) -> None:
    assert archimate_reader.detect(Path("landscape.xml"))
    assert not archimate_reader.detect(Path("missing.xml"))
    inventory, files = read_inventories([Path("landscape.xml"), Path("softwarecatalogus_export.xml")])
    assert len(inventory.applications) == 8
    assert [(f.path, f.rows) for f in files] == [("landscape.xml", 5), ("softwarecatalogus_export.xml", 5)]
    assert [a.app_id for a in read_inventory(Path("landscape.xml"), format="archimate").applications][:1] == [
        "zaaksysteem"
    ]


def test_docstring_examples() -> None:
    result = doctest.testmod(_archimate)
    assert result.failed == 0 and result.attempted > 0


# ---------------------------------------------------------------------------------------------------------
# The public GEMMA models


def _application_components(path: Path) -> int:
    return len(re.findall(r'<element [^>]*xsi:type="ApplicationComponent"', path.read_text(encoding="utf-8")))


@needs_gemma
def test_gemma_model_parses_completely() -> None:
    path = GEMMA / "GEMMA_from_coArchi_2026-06-30.xml"  # derived from the coArchi repository, see README
    model = archimate_reader.read_model(path)
    assert (len(model.elements), len(model.relationships)) == (3006, 6257)
    roles = _archimate.classify(model)
    # 269 application components: 171 GEMMA reference components, 98 read (56 national facilities and
    # 42 without a GEMMA type).
    assert _application_components(path) == 269
    assert (len(roles.applications), len(roles.reference_components), len(roles.packages)) == (98, 171, 0)
    assert sum(map(len, (roles.applications, roles.reference_components, roles.packages, roles.vendors,
                         roles.other))) == 3006  # fmt: skip
    document = archimate_reader.read_table(path)
    assert (len(document.entries), len(document.rejected), _archimate.count_dependencies(document)) == (
        98,
        0,
        48,
    )
    inventory = build_inventory([document])
    assert (len(inventory.applications), len(inventory.merged), inventory.rows_read) == (98, 0, 98)
    national = next(a for a in inventory.applications if a.name == "DigiD")
    assert dict(national.extra)["GEMMA type"] == "Buitengemeentelijke voorziening"


@needs_gemma
def test_over_gemma_model_parses_completely() -> None:
    path = GEMMA / "Over_GEMMA_2025-01-29.ameff.xml"
    model = archimate_reader.read_model(path)
    assert (len(model.elements), len(model.relationships)) == (687, 1150)
    assert _application_components(path) == 49
    document = archimate_reader.read_table(path)
    assert (len(document.entries), len(document.rejected), _archimate.count_dependencies(document)) == (
        49,
        0,
        54,
    )
    roles = _archimate.classify(model)
    assert len(roles.applications) + len(roles.other) == 687


@needs_gemma
def test_softwarecatalogus_sample_that_is_not_well_formed() -> None:
    # docs/examples/GEMMA.xml opens <elements> and never closes it.
    message = error(GEMMA / "softwarecatalogus" / "GEMMA.xml")
    assert message.startswith(
        f"{GEMMA / 'softwarecatalogus' / 'GEMMA.xml'}:54: not well-formed XML: mismatched tag"
    )


@needs_gemma
def test_softwarecatalogus_sample_without_application_components() -> None:
    # Two capabilities, and properties that refer to definitions the file does not hold.
    assert error(GEMMA / "softwarecatalogus" / "GEMMA_test.xml").splitlines()[0] == (
        f"{GEMMA / 'softwarecatalogus' / 'GEMMA_test.xml'}: no application components in the model "
        "(found 2 elements: Capability 2)"
    )
    model = archimate_reader.read_model(GEMMA / "softwarecatalogus" / "GEMMA_test.xml")
    assert [w.split(": ", 1)[1] for w in model.warnings] == [
        "property definition 'propid-1' is not defined; 2 properties that refer to it are ignored",
        "property definition 'propid-2' is not defined; 2 properties that refer to it are ignored",
    ]

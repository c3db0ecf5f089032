"""The CycloneDX reader: one tiny BOM per quirk, the specification's own test files, the SaaSBOM example.

Also what ``sovereign.inventory`` adds for JSON: detection by content, ``format=``, and merging a BOM
with other inputs (ids kept apart, duplicates reported).
"""

from __future__ import annotations

import contextlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SHARED_TESTDATA
from hypothesis import given
from hypothesis import strategies as st
from property.strategies import SETTINGS

from sovereign.cli import cli
from sovereign.errors import InputError, InputErrors, UnsupportedFormatError
from sovereign.inventory import (
    _json,
    cyclonedx_reader,
    read_inventories,
    read_inventory,
    softwarecatalogus_reader,
)
from sovereign.model import Inventory

FIXTURES = Path(__file__).parents[1] / "fixtures" / "cyclonedx"
SPEC = SHARED_TESTDATA / "cyclonedx" / "spec-testdata"
SAASBOM_EXAMPLE = (
    SHARED_TESTDATA / "cyclonedx" / "bom-examples" / "SaaSBOM_apigateway-microservices-datastores_bom.json"
)
needs_shared = pytest.mark.skipif(
    not SHARED_TESTDATA.is_dir(), reason=f"shared test data not present at {SHARED_TESTDATA}"
)


@pytest.fixture(autouse=True)
def _in_fixture_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    # Read fixtures by their bare name, so messages read as a user would see them.
    monkeypatch.chdir(FIXTURES)


def read(name: str | Path) -> Inventory:
    inventory = cyclonedx_reader.read(Path(name))
    assert inventory.rows_read == len(inventory.applications) + len(inventory.merged) + len(
        inventory.rejected
    )
    return inventory


def error(name: str | Path) -> str:
    with pytest.raises(InputError) as info:
        cyclonedx_reader.read(Path(name))
    return str(info.value)


def errors(name: str | Path) -> list[str]:
    with pytest.raises(InputErrors) as info:
        cyclonedx_reader.read(Path(name))
    return [str(e) for e in info.value.errors]


def graph(inventory: Inventory) -> list[tuple[str, tuple[str, ...]]]:
    return [(a.app_id, a.depends_on) for a in inventory.applications]


# ---------------------------------------------------------------------------------------------------------
# Services


def test_a_service_with_its_provider_endpoints_trust_zone_and_data() -> None:
    [app] = read("saasbom_provider_country.json").applications
    assert (app.app_id, app.name, app.vendor, app.version, app.notes) == (
        "contoso-mail",
        "Contoso Mail",
        "Contoso Mail Inc.",
        "2025.1",
        "Hosted e-mail",
    )
    assert str(app.source) == "saasbom_provider_country.json#/services/0"
    assert app.personal_data is True
    # The provider's address is where the company sits, not where the data is kept.
    assert app.data_location is None and app.hosting is None
    assert app.extra == (
        ("bom-ref", "mail"),
        ("group", "com.contoso"),
        ("provider.address.country", "US"),
        ("endpoints (hosts)", "mail.contoso.example"),
        ("trustZone", "Public Internet"),
        ("x-trust-boundary", "true"),
        ("authenticated", "true"),
        ("data.classification", "PII"),
        ("data.flow", "PII bi-directional"),
        ("tags", "mail, saas"),
        ("property contract", "C-12, C-13"),
    )


def test_nested_services_are_flattened_and_the_graph_decides_where_it_speaks() -> None:
    inventory = read("nested_without_graph.json")
    assert [(str(a.source.element), a.name) for a in inventory.applications] == [
        ("/services/0", "Portal"),
        ("/services/0/services/0", "Portal API"),
        ("/services/0/services/0/services/0", "Portal DB"),
        ("/services/0/services/1", "Portal Search"),
    ]
    # Portal is not in the dependency graph: it depends on its parts. Portal API is: the graph alone counts.
    assert graph(inventory) == [
        ("portal", ("portal-api", "portal-search")),
        ("portal-api", ("portal-search",)),
        ("portal-db", ()),
        ("portal-search", ()),
    ]
    assert [dict(a.extra).get("parent service") for a in inventory.applications] == [
        None,
        "portal",
        "portal-api",
        "portal",
    ]


def test_application_components_count_and_the_graph_runs_through_libraries() -> None:
    inventory = read("application_components.json")
    assert [(a.app_id, a.vendor, a.version, str(a.source.element)) for a in inventory.applications] == [
        ("zaaksysteem", "Gemeente Voorbeeld", "4.2", "/metadata/component"),
        ("identity-provider", "Signicat", None, "/services/0"),
        ("burgerzaken-suite", "Centric", None, "/components/1"),
        ("printstraat", "Doxis", None, "/components/1/components/0"),
    ]
    # zaak -> idp-client (a library) -> Identity Provider: the application needs the service.
    assert graph(inventory)[0] == ("zaaksysteem", ("burgerzaken-suite", "identity-provider"))
    assert dict(inventory.applications[2].extra)["manufacturer.address.country"] == "NL"
    assert inventory.warnings == (
        "application_components.json: 3 components not read (1 container, 1 framework, 1 library): "
        "only services and components of type application are applications in use",
    )


@pytest.mark.parametrize(
    ("name", "personal"),
    [
        ("Payroll", True),  # PIFI among public data
        ("Open data", False),  # every classification public
        ("CRM", None),  # "Customer" does not say
        ("Zorg", True),  # "Bijzondere persoonsgegevens"
        ("Status page", None),  # no data at all
        ("Archive", True),  # "Personal data (GDPR art. 9)"
    ],
)
def test_personal_data_from_the_data_classification(name: str, personal: bool | None) -> None:
    apps = {a.name: a for a in read("data_classification.json").applications}
    assert apps[name].personal_data is personal


def test_hosts_of_data_flow_urls_are_kept_and_bom_links_are_not() -> None:
    apps = {a.name: a for a in read("data_classification.json").applications}
    assert dict(apps["Archive"].extra)["data flow hosts"] == "archive.example.eu"


def test_services_without_a_name_are_rejected_and_their_children_still_read() -> None:
    inventory = read("unnamed_service.json")
    assert [(str(r.source), r.reason) for r in inventory.rejected] == [
        ("unnamed_service.json#/services/0", "service without a name"),
        ("unnamed_service.json#/services/1", "service without a name"),
    ]
    assert graph(inventory) == [("child-service", ())]
    assert inventory.rows_read == 3


def test_bom_links_resolve_and_unknown_refs_are_warned_about() -> None:
    inventory = read("dangling_refs.json")
    assert graph(inventory) == [("a", ("b",)), ("b", ())]
    assert inventory.warnings == (
        "dangling_refs.json#/dependencies/0/dependsOn/1: 'gone' is not the bom-ref of any service or "
        "component in this BOM; left out",
        "dangling_refs.json#/dependencies/1/ref: 'ghost' is not the bom-ref of any service or component "
        "in this BOM; its dependencies are left out",
    )


def test_an_older_spec_version_is_read_with_a_warning() -> None:
    inventory = read("old_spec_version.json")
    assert [a.name for a in inventory.applications] == ["Legacy"]
    assert inventory.warnings == (
        "old_spec_version.json: CycloneDX 1.3 is not a version sovereign was tested with (1.4, 1.5, 1.6); "
        "read as 1.6",
    )


# ---------------------------------------------------------------------------------------------------------
# Errors


def test_every_wrong_type_is_reported_at_its_pointer_in_file_order() -> None:
    assert errors("wrong_types.json") == [
        "wrong_types.json#/dependencies: 'dependencies' must be an array, found an object",
        "wrong_types.json#/services/0/name: 'name' must be a string, found a number",
        "wrong_types.json#/services/1/endpoints: 'endpoints' must be an array, found a string",
        "wrong_types.json#/services/1/provider: 'provider' must be an object, found a string",
        "wrong_types.json#/services/2: a service must be an object, found a string",
        "wrong_types.json#/services/3/authenticated: 'authenticated' must be true or false, found a string",
        "wrong_types.json#/services/3/data/0/flow: 'flow' is 'sideways', not a data flow direction\n"
        "Hint: CycloneDX allows inbound, outbound, bi-directional or unknown",
    ]


def test_a_bom_ref_used_twice() -> None:
    assert error("duplicate_bom_ref.json") == (
        "duplicate_bom_ref.json#/services/1/bom-ref: bom-ref 'same' is used before, at /services/0; "
        "every bom-ref must be unique in a BOM"
    )


def test_malformed_json_names_line_and_column_with_a_caret() -> None:
    assert error("malformed.json") == (
        "malformed.json:4: not valid JSON: Expecting ',' delimiter (column 3)\n"
        '      "services": []\n'
        "      ^\n"
        "Hint: check the file with a JSON validator; it may be cut off or edited by hand"
    )


def test_a_long_minified_line_is_quoted_around_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "min.json"
    path.write_text('{"bomFormat":"CycloneDX","specVersion":"1.6","services":[' + '{"name":"x"},' * 20 + "]}")
    message = error(path)
    assert message.splitlines()[:3] == [
        f"{path}:1: not valid JSON: Expecting value (column 318)",
        '    ...x"},{"name":"x"},{"name":"x"},]}',
        "                                     ^",  # under the ] that follows a trailing comma
    ]


def test_not_a_cyclonedx_bom() -> None:
    assert error("not_cyclonedx.json") == (
        "not_cyclonedx.json#/bomFormat: not a CycloneDX BOM: 'bomFormat' is missing (expected \"CycloneDX\")\n"
        "Hint: sovereign reads CycloneDX JSON; convert an SPDX or XML BOM to CycloneDX JSON first"
    )


def test_a_bom_without_applications_is_an_error() -> None:
    assert error("only_libraries.json") == (
        "only_libraries.json: the BOM has no services and no components of type application: nothing to audit\n"
        "Hint: a SaaSBOM lists the services; an SBOM of one application names it in metadata.component"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "bom.json: the file is empty\nHint: export the inventory again as a JSON document"),
        (b"[1, 2]", "bom.json: a CycloneDX BOM is a JSON object, found an array"),
        (
            b'{"bomFormat": "CycloneDX", "specVersion": 1.6}',
            "bom.json#/specVersion: 'specVersion' is a number (expected e.g. \"1.6\")",
        ),
        (
            b'{"bomFormat": "CycloneDX", "specVersion": "1.6",\n"services": [{"name": "\xff"}]}',
            "bom.json:2: not valid JSON: byte 0xff is not UTF-8 text\n"
            "Hint: JSON files are UTF-8; export the file again, or save it as UTF-8",
        ),
        (b"[" * 100_000, "bom.json: not readable as JSON: arrays or objects are nested too deeply"),
    ],
)
def test_files_that_are_no_bom(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / "bom.json").write_bytes(content)
    assert error(tmp_path / "bom.json") == message.replace("bom.json", str(tmp_path / "bom.json"), 1)


def test_a_file_over_the_size_limit_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_json, "MAX_JSON_BYTES", 2 * 1024 * 1024)
    path = tmp_path / "huge.json"
    path.write_bytes(b" " * (3 * 1024 * 1024))
    assert error(path) == (
        f"{path}: the file is 3.0 MB; sovereign reads JSON files up to 2 MB\n"
        "Hint: leave out what is not an application (e.g. library components of an SBOM) and try again"
    )


# ---------------------------------------------------------------------------------------------------------
# The specification's test files and the SaaSBOM example


def _spec_files(prefix: str) -> list[Path]:
    return sorted(SPEC.glob(f"{prefix}-*.json")) if SPEC.is_dir() else []


# What each valid file holds: (application, vendor, personal data) in file order.
# fmt: off
_SAASBOM = [
    ("acme-saasbom-example", None, None), ("stock-ticker-service", "Acme Inc", True),
    ("microservice-1", "Acme Inc", True), ("microservice-2", "Acme Inc", True),
    ("microservice-3", "Acme Inc", False), ("postgres", None, True),
]
VALID = {
    "valid-properties":           [("stock-ticker-service", None, None)],
    "valid-saasbom-1.5":          [*_SAASBOM, ("s3", None, False)],
    "valid-saasbom-1.6":          [*_SAASBOM, ("s3", None, True)],  # 1.6 classifies S3's data as PII
    "valid-service":              [("stock-ticker-service", "Partner Org", True)],
    "valid-service-empty-objects": [("stock-ticker-service", None, None)],
    "valid-tags":                 [("my-service", None, None)],
}
# fmt: on


@needs_shared
@pytest.mark.parametrize("path", _spec_files("valid"), ids=lambda p: p.name)
def test_every_valid_spec_file_loads(path: Path) -> None:
    inventory = read(path)
    key = path.stem if path.stem in VALID else path.stem.rsplit("-", 1)[0]
    assert [(a.app_id, a.vendor, a.personal_data) for a in inventory.applications] == VALID[key]
    assert inventory.rejected == ()


@needs_shared
@pytest.mark.parametrize("path", _spec_files("invalid"), ids=lambda p: p.name)
def test_every_invalid_spec_file_is_refused_for_what_makes_it_invalid(path: Path) -> None:
    # invalid-service-data-*: the data item's flow is "bar", not one of the four directions. Its
    # classification "foo" is free text in every version, so that part is valid.
    assert error(path) == (
        f"{path}#/services/0/data/0/flow: 'flow' is 'bar', not a data flow direction\n"
        "Hint: CycloneDX allows inbound, outbound, bi-directional or unknown"
    )


@needs_shared
def test_the_spec_test_files_are_all_covered() -> None:
    names = {p.name for p in SPEC.glob("*.json")}
    assert names == {p.name for p in _spec_files("valid") + _spec_files("invalid")}
    assert len(names) == 15


@needs_shared
def test_the_saasbom_example_gives_its_services_and_dependencies() -> None:
    inventory = read(SAASBOM_EXAMPLE)
    assert [(a.name, a.vendor, str(a.source.element)) for a in inventory.applications] == [
        ("Acme Cloud Example", None, "/metadata/component"),
        ("API Gateway", "Acme Inc", "/services/0"),
        ("Microservice 1", "Acme Inc", "/services/0/services/0"),
        ("Microservice 2", "Acme Inc", "/services/0/services/1"),
        ("Microservice 3", "Acme Inc", "/services/0/services/2"),
        ("Postgres", None, "/services/0/services/3"),
        ("S3", None, "/services/0/services/4"),
    ]
    # Exactly the BOM's dependency graph; the nesting adds nothing, as every parent is in the graph.
    assert graph(inventory) == [
        ("acme-cloud-example", ("api-gateway",)),
        ("api-gateway", ("microservice-1", "microservice-2", "microservice-3")),
        ("microservice-1", ("postgres",)),
        ("microservice-2", ()),
        ("microservice-3", ("s3",)),
        ("postgres", ()),
        ("s3", ()),
    ]
    assert [dict(a.extra).get("endpoints (hosts)") for a in inventory.applications] == [
        None,
        "example.com",
        "ms-1.example.com",
        "ms-2.example.com",
        "ms-3.example.com",
        "ms-1-pgsql.example.com",
        "s3-example.amazon.com",
    ]
    assert [a.personal_data for a in inventory.applications] == [None, True, True, True, False, True, False]
    assert inventory.warnings == ()


# ---------------------------------------------------------------------------------------------------------
# Detection, format=, and several inputs


def test_a_json_file_is_read_by_what_it_holds() -> None:
    assert [a.name for a in read_inventory(Path("nested_without_graph.json")).applications][:1] == ["Portal"]
    register = FIXTURES.parent / "softwarecatalogus" / "uses.json"
    assert [a.name for a in read_inventory(register).applications] == ["Zaaksysteem"]


def test_a_json_file_of_another_kind_is_an_unsupported_format() -> None:
    with pytest.raises(UnsupportedFormatError) as info:
        read_inventory(Path("not_cyclonedx.json"))
    assert str(info.value) == (
        "not_cyclonedx.json: sovereign reads .json files as cyclonedx or softwarecatalogus, and this is neither\n"
        'Hint: a CycloneDX BOM has "bomFormat": "CycloneDX", a Softwarecatalogus register export "components" '
        "with \"objects\"; to see what is missing, force one with format 'cyclonedx' or 'softwarecatalogus'"
    )


def test_format_forces_a_reader_whatever_the_suffix(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    shutil.copy(FIXTURES / "saasbom_provider_country.json", path)
    assert [a.name for a in read_inventory(path, format="cyclonedx").applications] == ["Contoso Mail"]
    with pytest.raises(InputError) as info:
        read_inventory(path, format="softwarecatalogus")
    assert str(info.value) == (
        f"{path}#/components: not a Softwarecatalogus register export: no 'components' object\n"
        "Hint: export the register from OpenRegister (Registers > Export) as JSON"
    )


def test_an_unknown_format_name() -> None:
    with pytest.raises(UnsupportedFormatError) as info:
        read_inventory(Path("nested_without_graph.json"), format="spdx")
    assert str(info.value).startswith("unknown format 'spdx'; sovereign reads ")
    assert "cyclonedx" in str(info.value) and "softwarecatalogus" in str(info.value)


def test_ids_stay_apart_across_inputs_and_name_duplicates_are_reported(tmp_path: Path) -> None:
    spreadsheet = tmp_path / "saas.csv"
    spreadsheet.write_text("Applicatie;Leverancier\nPortal API;Eigen beheer\nPortal Search;Elastic\n")
    inventory, files = read_inventories([spreadsheet, Path("nested_without_graph.json")])
    # The BOM's Portal depends on the BOM's own parts, not on the spreadsheet's rows of the same name.
    assert graph(inventory) == [
        ("portal-api", ()),
        ("portal-search", ()),
        ("portal", ("portal-api-2", "portal-search-2")),
        ("portal-api-2", ("portal-search-2",)),
        ("portal-db", ()),
        ("portal-search-2", ()),
    ]
    assert [f.rows for f in files] == [2, 4]
    assert inventory.warnings == (
        f"'Portal API' is in more than one input and is kept apart as portal-api ({spreadsheet}:2), "
        "portal-api-2 (nested_without_graph.json#/services/0/services/0); "
        "if they are one application, keep it in one input",
        f"'Portal Search' is in more than one input and is kept apart as portal-search ({spreadsheet}:3), "
        "portal-search-2 (nested_without_graph.json#/services/0/services/1); "
        "if they are one application, keep it in one input",
    )


def test_the_same_bom_twice_merges_every_record(tmp_path: Path) -> None:
    copy = tmp_path / "again.json"
    shutil.copy(FIXTURES / "nested_without_graph.json", copy)
    inventory, _ = read_inventories([Path("nested_without_graph.json"), copy])
    assert [a.app_id for a in inventory.applications] == [
        "portal",
        "portal-api",
        "portal-db",
        "portal-search",
    ]
    assert len(inventory.merged) == 4 and inventory.rows_read == 8
    assert inventory.warnings == (
        f"{copy}: 4 records repeat an earlier record exactly and were merged into it: "
        "/services/0 into nested_without_graph.json#/services/0, "
        "/services/0/services/0 into nested_without_graph.json#/services/0/services/0, "
        "/services/0/services/0/services/0 into nested_without_graph.json#/services/0/services/0/services/0, "
        "/services/0/services/1 into nested_without_graph.json#/services/0/services/1",
    )


def test_a_broken_json_input_is_reported_with_the_other_files_problems(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputErrors) as info:
        read_inventories([empty, Path("malformed.json"), Path("duplicate_bom_ref.json")])
    assert [e.location for e in info.value.errors] == [
        str(empty),
        "malformed.json:4",
        "duplicate_bom_ref.json#/services/1/bom-ref",
    ]


# ---------------------------------------------------------------------------------------------------------
# End to end: sovereign audit


def test_audit_of_a_saasbom_a_register_and_a_spreadsheet_writes_one_report(tmp_path: Path) -> None:
    spreadsheet = tmp_path / "saas.csv"
    spreadsheet.write_text("Applicatie;Leverancier;Afhankelijk van\nIntranet;Eigen beheer;Contoso Mail\n")
    register = FIXTURES.parent / "softwarecatalogus" / "koppelingen.json"
    out = tmp_path / "rapport"
    arguments = [spreadsheet, "saasbom_provider_country.json", register, "--out", out, "--date", "2026-11-23"]
    result = CliRunner().invoke(cli, [str(a) for a in ["audit", *arguments]])
    assert result.exit_code == 0, result.output
    assert (out / "index.html").is_file()
    data = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    assert data["accounting"] == {"applications": 5, "merged": 0, "read": 5, "rejected": 0}
    assert [(i["path"], i["rows"]) for i in data["inputs"]] == [
        (str(spreadsheet), 1),
        ("saasbom_provider_country.json", 1),
        (str(register), 3),
    ]
    # The spreadsheet's "Contoso Mail" resolves, by name, to the BOM's service; the register's landelijke
    # voorziening is in no input.
    unresolved = [w for w in data["warnings"] if "which is not in the inventory" in w]
    assert unresolved == [
        f"{register}#/components/objects/8: depends on 'Landelijke Voorziening BAG', which is not in the inventory"
    ]


def test_audit_of_a_malformed_bom_is_a_user_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["audit", "malformed.json", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.stderr == (
        "Error: malformed.json:4: not valid JSON: Expecting ',' delimiter (column 3)\n"
        '      "services": []\n'
        "      ^\n"
        "Hint: check the file with a JSON validator; it may be cut off or edited by hand\n"
    )


# ---------------------------------------------------------------------------------------------------------
# Properties: whatever JSON comes in, only our errors come out, and every record is accounted for

_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
_JSON = st.recursive(
    _SCALARS,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=12,
)
_SERVICE_KEYS = (
    "bom-ref",
    "name",
    "provider",
    "endpoints",
    "data",
    "services",
    "trustZone",
    "x-trust-boundary",
)


def _objects(
    keys: tuple[str, ...], values: st.SearchStrategy[object]
) -> st.SearchStrategy[dict[str, object]]:
    return st.dictionaries(st.sampled_from(keys), values, max_size=len(keys))


_REF = st.sampled_from(["a", "b", "c"])
_SERVICE = _objects(_SERVICE_KEYS, _JSON | _REF | st.lists(_REF, max_size=2))
_BOMS = st.fixed_dictionaries(
    {"bomFormat": st.just("CycloneDX"), "specVersion": st.sampled_from(["1.4", "1.5", "1.6"])},
    optional={
        "services": st.lists(
            _SERVICE | _objects(("bom-ref", "name", "services"), _REF | st.lists(_SERVICE)), max_size=4
        ),
        "components": st.lists(
            _objects(("bom-ref", "type", "name"), _REF | st.just("application")), max_size=3
        ),
        "dependencies": st.lists(
            _objects(("ref", "dependsOn"), _REF | st.lists(_REF, max_size=3)), max_size=3
        ),
        "metadata": _JSON,
    },
)


def _resolve(document: object, at: str) -> object:
    for token in at.split("/")[1:]:
        key = token.replace("~1", "/").replace("~0", "~")
        document = document[int(key)] if isinstance(document, list) else document[key]  # type: ignore[index]
    return document


@SETTINGS
@given(document=_BOMS | _JSON)
def test_any_json_gives_an_inventory_or_our_error(
    tmp_path_factory: pytest.TempPathFactory, document: object
) -> None:
    path = tmp_path_factory.mktemp("json") / "bom.json"
    path.write_text(json.dumps(document))
    for reader in (cyclonedx_reader, softwarecatalogus_reader):
        try:
            inventory = reader.read(path)
        except (InputError, InputErrors):
            continue
        assert inventory.rows_read == len(inventory.applications) + len(inventory.merged) + len(
            inventory.rejected
        )
        # Every location is a JSON pointer to an object in the file.
        for located in [*(a.source for a in inventory.applications), *(r.source for r in inventory.rejected)]:
            assert located.element is not None
            assert isinstance(_resolve(document, located.element), dict)
    with contextlib.suppress(InputError, InputErrors, UnsupportedFormatError):
        read_inventory(path)

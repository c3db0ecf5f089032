"""The Softwarecatalogus register reader: one tiny export per quirk, and the real sample register."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SHARED_TESTDATA
from hypothesis import given
from hypothesis import strategies as st
from property.strategies import SETTINGS

from sovereign.errors import InputError, InputErrors
from sovereign.inventory import read_inventories, softwarecatalogus_reader
from sovereign.model import Biv, Inventory

FIXTURES = Path(__file__).parents[1] / "fixtures" / "softwarecatalogus"
REGISTER = SHARED_TESTDATA / "gemma" / "softwarecatalogus" / "voorzieningen_register.json"
needs_shared = pytest.mark.skipif(
    not REGISTER.is_file(), reason=f"shared test data not present at {REGISTER}"
)


@pytest.fixture(autouse=True)
def _in_fixture_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)


def read(name: str | Path) -> Inventory:
    inventory = softwarecatalogus_reader.read(Path(name))
    assert inventory.rows_read == len(inventory.applications) + len(inventory.merged) + len(
        inventory.rejected
    )
    return inventory


def error(name: str | Path) -> str:
    with pytest.raises((InputError, InputErrors)) as info:
        softwarecatalogus_reader.read(Path(name))
    return str(info.value)


# ---------------------------------------------------------------------------------------------------------
# Uses


def test_a_use_follows_its_ids_to_voorziening_version_offer_and_organisations() -> None:
    inventory = read("uses.json")
    [app] = inventory.applications
    assert (app.app_id, app.name, app.vendor, app.version, app.category, app.organisation) == (
        "zaaksysteem",
        "Zaaksysteem",
        "Roxit",
        "5.1",
        "Zaakgericht werken",
        "Gemeente Voorbeeld",
    )
    assert str(app.source) == "uses.json#/components/objects/5"
    assert (app.hosting, app.business_critical, app.personal_data, app.notes) == (
        "SaaS",  # the offer's hosting: the use states none
        True,
        True,  # privacyGevoelig 1
        "Contract loopt tot 2027",
    )
    assert app.biv == Biv(availability=3, integrity=2, confidentiality=3)
    # The beheerder's e-mail and phone are left out.
    assert app.extra == (
        ("id", "00000000-0000-4000-8000-0000000000d1"),
        ("status", "Actief"),
        ("startDatum", "2024-01-01"),
        ("bbnScore", "2"),
        ("ibpScore", "3"),
        ("voorzieningstype", "Toepassing"),
        ("referentieComponenten", "id-aaaa, id-bbbb"),
        ("beheerder", "A. Beheerder (Applicatiebeheerder)"),
    )
    assert inventory.warnings == (
        "uses.json: 1 voorzieninggebruik object read; the other 7 objects are catalogue data, not uses; "
        "looked up: 1 voorziening, 1 voorzieningaanbod, 1 voorzieningversie, 2 organisatie; "
        "not read: 1 contract, 1 kwetsbaarheid",
    )


def test_ended_uses_and_uses_without_a_name_are_rejected_with_their_reason() -> None:
    inventory = read("ended_and_unnamed.json")
    assert [(r.source.element, r.reason) for r in inventory.rejected] == [
        ("/components/objects/5", "no longer in use (status 'Beëindigd')"),
        ("/components/objects/6", "no voorzieningId, so no application name"),
        (
            "/components/objects/7",
            "voorziening '00000000-0000-4000-8000-0000000000ff' is not in the file, so no application name",
        ),
    ]
    # A planned use counts; its own hosting wins over the offer's.
    [planned] = inventory.applications
    assert (planned.source.element, dict(planned.extra)["status"], planned.hosting) == (
        "/components/objects/8",
        "Gepland",
        "on-premise",
    )
    assert planned.version is None and planned.vendor == "Roxit"  # no version: the one supplier of the offers


def test_koppelingen_run_from_van_to_naar() -> None:
    inventory = read("koppelingen.json")
    assert [(a.app_id, a.depends_on) for a in inventory.applications] == [
        (
            "zaaksysteem",
            ("brp-bevraging", "Landelijke Voorziening BAG"),
        ),  # a use by id, a voorziening by name
        ("brp-bevraging", ()),
        ("gis", ()),
    ]
    assert dict(inventory.applications[2].extra)["koppeling naar (not in file)"] == (
        "00000000-0000-4000-8000-00000000dead"
    )
    assert inventory.warnings[:3] == (
        "koppelingen.json#/components/objects/13: 'naar' '00000000-0000-4000-8000-00000000dead' is no "
        "application or voorziening in the file; kept as extra data",
        "koppelingen.json#/components/objects/14: 'van' '00000000-0000-4000-8000-00000000beef' is not a "
        "voorzieninggebruik read as an application; left out",
        "koppelingen.json#/components/objects/15: a koppeling needs both 'van' and 'naar'; left out",
    )


def test_fields_written_as_json_text_are_decoded() -> None:
    [app] = read("json_text_fields.json").applications
    assert app.biv == Biv(availability=1, integrity=1, confidentiality=2)
    assert (app.business_critical, app.personal_data) == (False, False)
    assert dict(app.extra)["beheerder"] == "B. Beheerder (Functioneel beheerder)"


def test_a_version_of_another_voorziening_is_not_used() -> None:
    inventory = read("version_of_other_voorziening.json")
    [app] = inventory.applications
    assert (app.name, app.version, app.vendor) == ("Zaaksysteem", None, "Roxit")
    assert inventory.warnings[0] == (
        "version_of_other_voorziening.json#/components/objects/8/versieId: version "
        "'00000000-0000-4000-8000-0000000000c5' belongs to an offer of another voorziening ('E-Diensten'); "
        "neither its version number nor that offer's supplier is used"
    )


def test_unreadable_values_are_left_unknown_with_a_warning() -> None:
    inventory = read("unreadable_values.json")
    [app] = inventory.applications
    assert (app.biv, app.business_critical, app.personal_data) == (None, None, None)
    assert inventory.warnings[:3] == (
        'unreadable_values.json#/components/objects/5/bivClassificatie: \'{"beschikbaarheid": "Zeer hoog"}\' '
        "is not a BIV classification (expected beschikbaarheid, integriteit, vertrouwelijkheid: Laag, Midden "
        "or Hoog); left unknown",
        "unreadable_values.json#/components/objects/5/bedrijfsKritisch: '2' is not true or false; left unknown",
        "unreadable_values.json#/components/objects/5/privacyGevoelig: 'misschien' is not true or false; "
        "left unknown",
    )


# ---------------------------------------------------------------------------------------------------------
# Errors


def test_a_register_without_uses_is_an_error() -> None:
    assert error("no_uses.json") == (
        "no_uses.json: the register has no voorzieninggebruik objects: nothing says which applications are in use\n"
        "Hint: export the register with the organisation's voorzieninggebruik objects"
    )


def test_wrong_shapes_are_reported_at_their_pointers() -> None:
    assert error("wrong_shape.json") == (
        "wrong_shape.json#/components/objects/5/@self: the object has no '@self', so its schema is not known\n"
        "wrong_shape.json#/components/objects/6/voorzieningId: 'voorzieningId' must be a string, found a number"
    )


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], ": a Softwarecatalogus register export is a JSON object, found an array"),
        ({"openapi": "3.0.0"}, "#/components: not a Softwarecatalogus register export: no 'components' object\n"
                               "Hint: export the register from OpenRegister (Registers > Export) as JSON"),
        ({"components": {"objects": {}}}, "#/components/objects: 'objects' is an object; expected an array of "
                                          "register objects"),
        ({"components": {"objects": [{"@self": {"id": "x"}}]}},
         "#/components/objects/0/@self/schema: the object does not name its schema"),
        ({"components": {"objects": [{"@self": {"id": "x", "schema": "voorzieninggebruik"}},
                                     {"@self": {"id": "x", "schema": "voorzieninggebruik"}}]}},
         "#/components/objects/1/@self/id: voorzieninggebruik id 'x' is used before, at /components/objects/0; "
         "ids must be unique"),
    ],
)  # fmt: skip
def test_exports_of_the_wrong_shape(tmp_path: Path, document: object, message: str) -> None:
    path = tmp_path / "register.json"
    path.write_text(json.dumps(document))
    assert error(path) == f"{path}{message}"


# ---------------------------------------------------------------------------------------------------------
# The sample register of the Softwarecatalogus


@needs_shared
def test_the_sample_register() -> None:
    inventory = read(REGISTER)
    assert [
        (a.source.element, a.name, a.vendor, a.version, a.organisation, a.personal_data, a.biv)
        for a in inventory.applications
    ] == [
        ("/components/objects/20", "Vergunningenportaal", None, "v1.0.0", None, True, None),
        ("/components/objects/21", "Omgevingsloket", None, "v1.0.0", None, True, None),
        ("/components/objects/22", "Burgerzaken Suite", None, "v1.0.0", None, True, None),
        ("/components/objects/23", "E-Diensten", None, None, None, True, None),
    ]
    # Its leverancier 66666666-... has no organisatie object in the sample, nor do its users have a naam.
    assert [dict(a.extra).get("leverancier (not in file)") for a in inventory.applications] == [
        "66666666-ffff-4bcd-8e5f-000000000006",
        "66666666-ffff-4bcd-8e5f-000000000006",
        "66666666-ffff-4bcd-8e5f-000000000006",
        None,
    ]
    assert [a.depends_on for a in inventory.applications] == [(), (), (), ()]  # the sample has no koppeling
    assert (inventory.rows_read, inventory.rejected) == (4, ())
    assert inventory.warnings == (
        f"{REGISTER}#/components/objects/23/versieId: version '24a21305-1882-4e5e-9c13-e627beb7f8b2' belongs "
        "to an offer of another voorziening ('Vergunningenportaal'); neither its version number nor that "
        "offer's supplier is used",
        f"{REGISTER}: 4 voorzieninggebruik objects read; the other 42 objects are catalogue data, not uses; "
        "looked up: 4 voorziening, 6 voorzieningaanbod, 3 voorzieningversie, 11 organisatie; "
        "not read: 8 contactgegevens, 3 contract, 2 gebruiker, 3 kwetsbaarheid, 2 standaard",
    )


@needs_shared
def test_the_sample_register_is_detected_and_merges_with_a_spreadsheet(tmp_path: Path) -> None:
    spreadsheet = tmp_path / "apps.csv"
    spreadsheet.write_text("Applicatie;Leverancier\nOmgevingsloket;Dimpact\n")
    inventory, files = read_inventories([spreadsheet, REGISTER])
    assert [a.app_id for a in inventory.applications] == [
        "omgevingsloket",
        "vergunningenportaal",
        "omgevingsloket-2",
        "burgerzaken-suite",
        "e-diensten",
    ]
    assert [f.rows for f in files] == [1, 4]
    assert inventory.warnings[-1].startswith("'Omgevingsloket' is in more than one input")


# ---------------------------------------------------------------------------------------------------------
# Properties: whatever the objects hold, only our errors come out, and every use is accounted for

_VALUES = (
    st.none() | st.booleans() | st.integers(-1, 3) | st.text(max_size=6) | st.sampled_from(["u1", "u2", "v1"])
)
_FIELDS = ("naam", "voorzieningId", "versieId", "organisatieId", "status", "hosting", "bivClassificatie",
           "bedrijfsKritisch", "privacyGevoelig", "van", "naar", "voorziening", "leverancier", "beheerder")  # fmt: skip
_OBJECTS = st.builds(
    lambda schema, object_id, fields: {**fields, "@self": {"schema": schema, "id": object_id}},
    st.sampled_from(
        ["voorzieninggebruik", "voorziening", "voorzieningaanbod", "koppeling", "organisatie", "x"]
    ),
    st.sampled_from(["u1", "u2", "v1", "o1"]) | st.none(),
    st.dictionaries(
        st.sampled_from(_FIELDS), _VALUES | st.dictionaries(st.text(max_size=4), _VALUES), max_size=6
    ),
)


@SETTINGS
@given(objects=st.lists(_OBJECTS, max_size=8))
def test_any_objects_give_an_inventory_or_our_error(
    tmp_path_factory: pytest.TempPathFactory, objects: list[dict[str, object]]
) -> None:
    path = tmp_path_factory.mktemp("register") / "register.json"
    path.write_text(json.dumps({"components": {"objects": objects}}))
    try:
        inventory = softwarecatalogus_reader.read(path)
    except (InputError, InputErrors):
        return
    uses = sum(1 for o in objects if o["@self"]["schema"] == "voorzieninggebruik")  # type: ignore[index]
    assert inventory.rows_read == len(inventory.applications) + len(inventory.merged) + len(
        inventory.rejected
    )
    assert inventory.rows_read == uses

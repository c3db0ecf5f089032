"""Invariants and key facts of the shipped catalog: what an audit of a real municipality relies on."""

from __future__ import annotations

import pytest

from sovereign.catalog import control_chain, load_catalog, match_hosting
from sovereign.model import Catalog


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_every_closed_source_vendor_and_operator_has_a_country(catalog):
    missing = sorted(
        f"{p.id}: {role} {entity}"
        for p in catalog.products.values()
        for role, entity in (("vendor", p.vendor), ("operator", p.operator))
        if entity and not p.open_source and not catalog.entities[entity].country
    )
    assert missing == []


def test_every_fact_has_a_source_or_says_it_is_inferred(catalog):
    records = [*catalog.entities.values(), *catalog.products.values(), *catalog.hosting.values()]
    unsourced = sorted(r.id for r in records if not r.sources and r.confidence != "inferred")
    assert unsourced == []


def test_all_eu_and_eea_countries_are_known(catalog):
    eu = {
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    }
    assert {c for c, j in catalog.jurisdictions.items() if j.bloc == "eu"} == eu
    assert {c for c, j in catalog.jurisdictions.items() if j.bloc == "eea"} == {"NO", "IS", "LI"}
    assert catalog.jurisdictions["US"].bloc == "other"
    assert "us-cloud-act" in catalog.jurisdictions["US"].laws


@pytest.mark.parametrize(
    ("entity", "controller", "country"),
    [
        ("microsoft-ireland", "microsoft-corp", "US"),
        ("aws-emea-sarl", "amazon-com-inc", "US"),
        ("google-cloud-emea", "alphabet-inc", "US"),
        ("pinkroccade-local-government", "constellation-software-inc", "CA"),
    ],
)
def test_ultimate_controllers(catalog, entity, controller, country):
    chain = control_chain(catalog, entity)
    assert chain[-1] == controller
    assert catalog.entities[controller].country == country


@pytest.mark.parametrize(
    ("text", "region", "country", "controller_country"),
    [
        ("Azure West Europe", "azure-westeurope", "NL", "US"),
        ("AWS Frankfurt", "aws-eu-central-1", "DE", "US"),
        ("Hetzner Falkenstein", "hetzner-fsn1", "DE", "DE"),
        ("Google Cloud Eemshaven", "gcp-europe-west4", "NL", "US"),
        ("Equinix AM3", "equinix-am3", "NL", "US"),
        ("OVHcloud Roubaix", "ovh-rbx", "FR", "FR"),
    ],
)
def test_hosting_texts_reach_the_right_region_and_controller(
    catalog, text, region, country, controller_country
):
    match = match_hosting(catalog, text, None)
    assert (match.kind, match.region) == ("region", region)
    hosting = catalog.hosting[region]
    assert hosting.country == country
    assert catalog.entities[control_chain(catalog, hosting.operator)[-1]].country == controller_country


@pytest.mark.parametrize("text", ["eigen rekencentrum", "On-premise", "Lokaal", "eigen beheer"])
def test_self_hosting_words(catalog, text):
    assert match_hosting(catalog, text, None).kind == "self-hosted"


def test_coverage_floors_for_this_issue(catalog):
    # The next issue raises these to 120 entities, 250 products, 60 regions and 50 alternatives.
    assert len(catalog.entities) >= 120
    assert len(catalog.products) >= 150
    assert len(catalog.hosting) >= 60

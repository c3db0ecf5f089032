"""Cut-off scenarios and single points of failure on a small hand-built landscape with known answers."""

from __future__ import annotations

import pytest
from builders import make_app
from hypothesis import given, settings
from hypothesis import strategies as st

from sovereign.assess import score_scenario
from sovereign.graph import build_cut_index, rank_single_points
from sovereign.model import Inventory
from sovereign.pipeline import _build_landscape

APPS = (
    make_app(
        "Mail", product="MegaSoft Mail Online", hosting="SaaS", business_critical=True, department="ICT"
    ),
    make_app("Identity", product="MegaSoft Identity", hosting="SaaS", line=3, department="ICT"),
    make_app("Zaken", product="PolderZaken", depends_on=("Identity",), line=4, department="Publiekszaken"),
    make_app("Kaart", product="MapView", hosting="on-premise", line=5, department="Ruimte"),
    make_app("Salaris", product="Fjord HR", hosting="SaaS", line=6, department="HR"),
    make_app("Onbekend", vendor="Tiny Firm", hosting="SaaS", line=7, department="HR"),
)


@pytest.fixture(scope="module")
def landscape(mini_catalog):
    return _build_landscape(Inventory(applications=APPS, rows_read=len(APPS)), mini_catalog)


@pytest.fixture(scope="module")
def index(landscape):
    return build_cut_index(landscape.graph, landscape.walker)


def stopped(index, *nodes):
    return [s.app_id for s in index.cut(nodes).stopped]


@pytest.mark.parametrize(
    ("cut", "expected"),
    [
        (["country:US"], ["identity", "mail", "zaken"]),  # Zaken only through its identity provider
        (["entity:megasoft-corp"], ["identity", "mail", "zaken"]),
        (["entity:megasoft-ireland"], ["identity", "mail", "zaken"]),  # the EU subsidiary runs them
        (["country:GB"], ["salaris"]),  # Fjord is controlled by a UK private-equity fund
        (["region:hoster-fsn"], ["zaken"]),
        (["entity:osgeo-community"], []),  # an open-source licence cannot be withdrawn
        (["application:identity"], ["identity", "zaken"]),
        (
            ["country:NL"],
            ["kaart", "salaris", "zaken"],
        ),  # we host Kaart ourselves; Polder and Fjord NL are Dutch
    ],
)
def test_what_stops(index, cut, expected):
    assert stopped(index, *cut) == expected


def test_via_paths_and_dependency_flag(index):
    result = {s.app_id: s for s in index.cut(["country:US"]).stopped}
    assert result["mail"].direct and result["mail"].via[-1] == "country:US"
    assert not result["zaken"].direct
    assert result["zaken"].via[:3] == ("application:zaken", "depends_on", "application:identity")


def test_unknown_chain_is_uncertain_not_safe(index):
    assert index.cut(["country:US"]).uncertain == ("onbekend",)


def test_scenario_outcome_counts_and_departments(landscape, index):
    by_id = {a.application.app_id: a for a in landscape.assessments}
    outcome = score_scenario("us", index.cut(["country:US"]), by_id)
    assert (len(outcome.stopped), len(outcome.uncertain), outcome.unaffected) == (3, 1, 2)
    # Mail 1 + 1.5 business-critical = 2.5; Identity 1; Zaken 1 -> 4.5 of 7.5 in all
    assert outcome.criticality_stopped == 4.5
    assert outcome.criticality_share == round(4.5 / 7.5, 4)
    assert outcome.by_department == (("ICT", 2, 3.5), ("Publiekszaken", 1, 1.0))


def test_single_points_group_equivalent_nodes(landscape, index):
    weights = {a.application.app_id: a.criticality for a in landscape.assessments}
    points = rank_single_points(
        landscape.graph, index, weights, kinds=("product", "region", "entity", "application")
    )
    top = points[0]
    # Losing MegaSoft stops Mail, Identity and Zaken (4.5); the cloud, the Irish entity and the parent are
    # one single point, shown as the most concrete node.
    assert (top.node, top.weight) == ("product:megasoft-cloud", 4.5)
    assert set(top.equivalent) == {"entity:megasoft-corp", "entity:megasoft-ireland"}


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_cutting_more_never_stops_less(index, data):
    nodes = [*list(index.nodes), "country:US", "country:NL", "country:GB", "country:DE"]
    smaller = data.draw(st.lists(st.sampled_from(nodes), max_size=3, unique=True))
    larger = smaller + data.draw(st.lists(st.sampled_from(nodes), max_size=3, unique=True))
    assert set(stopped(index, *smaller)) <= set(stopped(index, *larger))

"""Properties of the assessment on random small landscapes built from the tiny test catalog."""

from __future__ import annotations

from builders import make_app
from hypothesis import given, settings
from hypothesis import strategies as st

from sovereign.model import Inventory
from sovereign.pipeline import assess_inventory

PRODUCTS = [
    "MegaSoft Mail Online",
    "MegaSoft Identity",
    "MegaSoft Database Server",
    "PolderZaken",
    "PolderBelasting",
    "Fjord HR",
    "MapView",
    "CloudCo Forms",
    "PolderHeffen",
    "Iets Onbekends",
]
HOSTINGS = [
    None,
    "SaaS",
    "on-premise",
    "MegaCloud West Europe",
    "Hoster Falkenstein",
    "MegaCloud",
    "Polder datacenter",
    "ergens",
]
EU = {"NL", "IE", "DE", "LU", "NO", "EU"}


@st.composite
def landscapes(draw):
    n = draw(st.integers(min_value=1, max_value=8))
    apps = []
    for i in range(n):
        deps = draw(st.lists(st.integers(min_value=0, max_value=n - 1), max_size=3, unique=True))
        apps.append(
            make_app(
                f"App {i}",
                app_id=f"a{i}",
                line=i + 2,
                product=draw(st.sampled_from(PRODUCTS)),
                hosting=draw(st.sampled_from(HOSTINGS)),
                depends_on=tuple(f"App {d}" for d in deps if d != i),
                business_critical=draw(st.sampled_from([None, True, False])),
            )
        )
    return apps


@settings(max_examples=60, deadline=None)
@given(landscapes())
def test_unknown_is_never_counted_as_sovereign(mini_catalog, apps):
    result = assess_inventory(
        Inventory(applications=tuple(apps), rows_read=len(apps)), mini_catalog, date="2026-11-23"
    )
    assert len(result.assessments) == len(apps)
    for a in result.assessments:
        countries = {*a.lawful_access.countries, *a.residency.countries, *a.continuity.countries}
        if "unknown" in a.lawful_access.countries:
            assert a.seal in (None, 0)
        if a.seal == 4:
            assert countries <= EU
        if a.match.product is None:
            assert a.seal in (None, 0)
        # Every country comes with the path that justifies it, ending in that country.
        for axis in (a.lawful_access, a.residency, a.continuity):
            assert len(axis.paths) == len(axis.countries)
            for country, path in zip(axis.countries, axis.paths, strict=True):
                assert path[0] == f"application:{a.application.app_id}"
                assert path[-1] == f"country:{country}" or country == "unknown"
    p = result.portfolio
    assert sum(p.seal_distribution.values()) == len(apps)
    assert sum(c.applications for c in p.concentration) == len(apps)
    assert 0 <= p.us_lawful_access_share <= 1 and 0 <= p.unknown_share <= 1


@settings(max_examples=20, deadline=None)
@given(landscapes())
def test_assessment_is_deterministic(mini_catalog, apps):
    inventory = Inventory(applications=tuple(apps), rows_read=len(apps))
    first = assess_inventory(inventory, mini_catalog, date="2026-11-23")
    second = assess_inventory(inventory, mini_catalog, date="2026-11-23")
    assert first.assessments == second.assessments and first.portfolio == second.portfolio

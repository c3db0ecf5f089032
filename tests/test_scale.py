"""What makes a national inventory fast must not change what the audit says.

The audit walks the graph once per shape and renames the paths (``sovereign.pipeline._shapes``); the plan
re-assesses only what a wave touches; the portfolio is counted without pandas; dependencies are looked up in
the application's own organisation first. These tests compare each shortcut with the long way round, on a
synthetic inventory of several municipalities (``bench.generate``, the benchmark's own generator).
"""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

import pytest

from bench.generate import generate
from sovereign.assess import PortfolioTally, assessment_frame, score_portfolio
from sovereign.catalog import load_catalog, load_policy
from sovereign.graph import expose, make_walker
from sovereign.inventory import read_inventories
from sovereign.model import ApplicationAssessment
from sovereign.pipeline import assess_inventory
from sovereign.pipeline._audit import _build_landscape
from sovereign.pipeline._shapes import reassign


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scale") / "national.csv"
    path.write_text(generate(900, 3), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def catalog():
    return load_catalog([])


@pytest.fixture(scope="module")
def landscape(national, catalog):
    inventory, _ = read_inventories([national])
    return _build_landscape(inventory, catalog, load_policy(None))


def test_generator_writes_the_rows_and_organisations_asked_for(national):
    rows = list(csv.DictReader(io.StringIO(national.read_text(encoding="utf-8")), delimiter=";"))
    assert len(rows) == 900
    assert len({r["Gemeente"] for r in rows}) == 3
    assert len({r["ID"] for r in rows}) == 900
    # Realistic: some names no catalog knows, and the same product in every municipality.
    assert any(r["Leverancier"] == "eigen ontwikkeling" for r in rows)
    assert generate(900, 3) == national.read_text(encoding="utf-8")  # the same seed, the same file


def test_one_walk_per_shape_gives_what_walking_every_application_gives(landscape):
    """Countries on every axis, SEAL and controller equal a fresh walk of each application; the kept path of
    every country starts at the application itself and ends in that country."""
    g = landscape.graph
    walker = make_walker(g)
    for assessment in landscape.assessments:
        app_id = assessment.application.app_id
        exposure = expose(g, app_id, walker)
        assert assessment.lawful_access.countries == exposure.lawful_access.countries, app_id
        assert assessment.residency.countries == exposure.residency.countries, app_id
        assert assessment.continuity.countries == exposure.continuity.countries, app_id
        for axis in (assessment.lawful_access, assessment.residency, assessment.continuity):
            for country, path in zip(axis.countries, axis.paths, strict=True):
                assert path[0] == f"application:{app_id}"
                assert all(node in g for node in path[::2]), path
                assert country == "unknown" or path[-1] == f"country:{country}"


def test_reassign_carries_every_field_of_the_model(landscape):
    """``reassign`` names each field instead of calling dataclasses.replace: one the model gains must be
    carried over too, not left at its default."""
    template = next(a for a in landscape.assessments if a.weighted_score is not None and a.hosting_region)
    other = landscape.assessments[-1]
    made = reassign(template, application=other.application, match=other.match, criticality=0.123)
    own = {"application": other.application, "match": other.match, "criticality": 0.123}
    for field in dataclasses.fields(ApplicationAssessment):
        assert getattr(made, field.name) == own.get(field.name, getattr(template, field.name)), field.name
    renamed = reassign(
        template,
        application=other.application,
        match=other.match,
        criticality=0.123,
        names={f"application:{template.application.app_id}": "application:elsewhere"},
    )
    assert all(path[0] == "application:elsewhere" for path in renamed.continuity.paths)
    assert renamed.continuity.countries == template.continuity.countries


def test_portfolio_tally_follows_changed_assessments(landscape):
    """The plan's waves update a tally instead of counting every application again: after changes it
    must give exactly what counting the changed landscape from scratch gives."""
    assessments = list(landscape.assessments)
    tally = PortfolioTally(assessments)
    assert tally.portfolio() == score_portfolio(assessments)
    donors = [a for a in assessments if a.seal == 4][:5]
    for index in range(0, 300, 3):  # a hundred applications take other figures, some twice
        donor = donors[index % len(donors)]
        target = assessments[index % 200]
        moved = reassign(donor, application=target.application, match=donor.match, criticality=0.5)
        assessments[index % 200] = moved
        tally.update(moved)
    assert tally.portfolio() == score_portfolio(assessments)
    assert tally.portfolio() != score_portfolio(landscape.assessments)


def test_portfolio_tally_refigured_keeps_each_applications_criticality(landscape):
    """The waves hand the tally shared figures (another application's, with its criticality): the tally
    must take the flags from them and keep each application's own criticality."""
    assessments = list(landscape.assessments)
    tally = PortfolioTally(assessments)
    donors = [a for a in assessments if a.seal == 4 and a.criticality != 1.0][:3]
    assert donors
    for index in range(0, 200, 2):
        donor = donors[index % len(donors)]
        target = assessments[index]
        tally.refigure(target.application.app_id, donor)  # the donor's figures, as ShapeAssessor shares them
        assessments[index] = reassign(
            donor, application=target.application, match=donor.match, criticality=target.criticality
        )
    assert tally.portfolio() == score_portfolio(assessments)
    assert tally.portfolio() != score_portfolio(landscape.assessments)


def test_dependencies_resolve_within_the_organisation(landscape):
    """Every municipality has its own "Identity (Entra ID)"; each depends on its own, not the first one."""
    g = landscape.graph
    by_id = {a.application.app_id: a.application for a in landscape.assessments}
    crossing = [
        (a, b)
        for a, b, kind in g.edges(keys=True)
        if kind == "depends_on"
        and by_id[a.removeprefix("application:")].organisation
        != by_id[b.removeprefix("application:")].organisation
    ]
    assert crossing == []
    assert sum(1 for *_, kind in g.edges(keys=True) if kind == "depends_on") > 100


def test_portfolio_counts_equal_pandas(landscape):
    assessments = landscape.assessments
    portfolio = score_portfolio(assessments)
    frame = assessment_frame(assessments)
    assert portfolio.applications == len(frame)
    assert portfolio.us_lawful_access_share == round(float(frame["us_lawful_access"].mean()), 4)
    total = frame["criticality"].sum()
    weighted = frame.loc[frame["us_continuity"], "criticality"].sum() / total
    assert portfolio.us_continuity_weighted == round(float(weighted), 4)
    counts = frame["seal"].value_counts()
    assert portfolio.seal_distribution == {k: int(counts.get(k, 0)) for k in portfolio.seal_distribution}
    top = frame.groupby("controller_id").size().sort_values(ascending=False)
    assert portfolio.concentration[0].controller.id == top.index[0]
    assert portfolio.concentration[0].applications == int(top.iloc[0])


def _waves_match_a_fresh_audit(path: Path, catalog) -> int:
    """After each wave the projected figures equal an audit of the inventory with those moves made."""
    from dataclasses import replace

    from sovereign.model import Inventory
    from sovereign.pipeline._plan import _hosting_for, _replace_application

    policy = load_policy(None)
    inventory, _ = read_inventories([path])
    result = assess_inventory(inventory, catalog, date="2026-11-23", policy=policy, plan_effort="high")
    plan = result.plan
    assert plan is not None
    current = {a.app_id: a for a in inventory.applications}
    for wave in plan.waves:
        for app_id, alternative_id in wave.moves:
            option = next(
                m.alternative
                for o in plan.options
                if o.before.application.app_id == app_id
                for m in o.options
                if m.alternative.id == alternative_id
            )
            product = catalog.products[option.product]
            current[app_id] = _replace_application(
                current[app_id], product, catalog, _hosting_for(option, product)
            )
        moved = replace(inventory, applications=tuple(current[a.app_id] for a in inventory.applications))
        again = _build_landscape(Inventory(applications=moved.applications), catalog, policy)
        expected = score_portfolio(again.assessments)
        assert wave.projected.us_lawful_access_share == expected.us_lawful_access_share, wave.number
        assert wave.projected.us_continuity_share == expected.us_continuity_share, wave.number
        assert wave.projected.seal_distribution == expected.seal_distribution, wave.number
        assert wave.projected.concentration == expected.concentration, wave.number
    return len(plan.waves)


def test_plan_waves_equal_reassessing_the_whole_landscape(national, catalog):
    assert _waves_match_a_fresh_audit(national, catalog) >= 2


def test_plan_waves_with_a_dependency_cycle(tmp_path, catalog):
    """Applications on a dependency cycle see their own chain come back through what they depend on; the
    projection after each wave still equals a fresh audit."""
    example = Path(__file__).resolve().parents[1] / "catalogs" / "examples" / "gemeente-voorbeeld.csv"
    with example.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    name, depends = rows[0].index("Applicatie"), rows[0].index("Afhankelijk van")
    # Two cycles: identity <-> firewall, and virtualisation -> backup -> virtualisation.
    cycles = {
        "Identity (Entra ID)": "Netwerk/firewall",
        "Netwerk/firewall": "Identity (Entra ID)",
        "Virtualisatieplatform": "Backup",
        "Backup": "Virtualisatieplatform",
    }
    changed = 0
    for row in rows[1:]:
        if len(row) > name and row[name] in cycles:
            row[depends] = cycles[row[name]]
            changed += 1
    assert changed == 4
    path = tmp_path / "cyclic.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=";").writerows(rows)
    assert _waves_match_a_fresh_audit(path, catalog) >= 2


def test_one_stopped_applications_path_is_the_one_the_full_cut_gives(landscape):
    """Single points show one example path, found without cutting in full (``CutIndex.via``): it must be the
    path the full cut gives that application, also when it stops only through what it depends on."""
    from sovereign.graph import build_cut_index

    index = build_cut_index(landscape.graph, landscape.walker)
    nodes = list(index.nodes)
    cuts = [[n] for n in nodes[:: max(1, len(nodes) // 25)]] + [["country:US"], ["country:US", nodes[0]]]
    dependants_seen = 0
    for cut in cuts:
        full = {f"application:{s.app_id}": s for s in index.cut(cut).stopped}
        apps = sorted(full)[:: max(1, len(full) // 40)] + [a for a, s in full.items() if not s.direct][:20]
        for app in apps:
            assert index.via(cut, app) == full[app].via, (cut, app)
            dependants_seen += not full[app].direct
        standing = [a for a in sorted(index._apps) if a not in full][:5]
        assert all(index.via(cut, a) is None for a in standing)
    assert dependants_seen > 10  # the breadth-first part was exercised


def test_graph_size_counts_what_networkx_counts(landscape):
    from sovereign.pipeline._audit import _graph_size

    g = landscape.graph
    assert _graph_size(g) == (g.number_of_nodes(), g.number_of_edges())
    assert _graph_size(g)[1] > g.number_of_nodes()  # several edges per application: keys are counted

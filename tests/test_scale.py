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


# ---------------------------------------------------------------------------------------------------------
# Cuts and single points: the stop classes and the queues of what others depend on, against the long way


def _cyclic_landscape(tmp_path: Path, catalog):  # type: ignore[no-untyped-def]
    """The example municipality with two dependency cycles (identity <-> firewall, and a longer one)."""
    example = Path(__file__).resolve().parents[1] / "catalogs" / "examples" / "gemeente-voorbeeld.csv"
    with example.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    name, depends = rows[0].index("Applicatie"), rows[0].index("Afhankelijk van")
    cycles = {
        "Identity (Entra ID)": "Netwerk/firewall",
        "Netwerk/firewall": "Identity (Entra ID)",
        "Virtualisatieplatform": "Backup",
        "Backup": "Virtualisatieplatform",
    }
    for row in rows[1:]:
        if len(row) > name and row[name] in cycles:
            row[depends] = cycles[row[name]]
    path = tmp_path / "cyclic.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=";").writerows(rows)
    inventory, _ = read_inventories([path])
    return _build_landscape(inventory, catalog, load_policy(None))


def _reference_cut(index, nodes):  # type: ignore[no-untyped-def]
    """``CutIndex.cut`` as it was written first: every stopped application queued, sorted by ``Stop``."""
    from collections import deque

    from sovereign.graph import CutResult, Stop

    cut = tuple(sorted(set(nodes)))
    stops = {}
    for node in cut:
        for signature, tail in index._paths.get(node, {}).items():
            for app in index._members[signature]:
                if app not in stops or len(stops[app].via) > len(tail) + 1:
                    stops[app] = Stop(app_id=app.removeprefix("application:"), via=(app, *tail), direct=True)
        if node in index._apps and node not in stops:
            stops[node] = Stop(app_id=node.removeprefix("application:"), via=(node,), direct=True)
    queue = deque(sorted(stops))
    while queue:
        app = queue.popleft()
        for dependant in sorted(index._dependants.get(app, ())):
            if dependant not in stops:
                stops[dependant] = Stop(
                    app_id=dependant.removeprefix("application:"),
                    via=(dependant, "depends_on", *stops[app].via),
                    direct=False,
                )
                queue.append(dependant)
    uncertain = tuple(sorted(a.removeprefix("application:") for a in index._unknown if a not in stops))
    return CutResult(
        cut=cut, stopped=tuple(sorted(stops.values(), key=lambda s: s.app_id)), uncertain=uncertain
    )


def _reference_stopped_by(index, node):  # type: ignore[no-untyped-def]
    return {f"application:{s.app_id}" for s in _reference_cut(index, [node]).stopped}


def _reference_ranking(g, index, weights, *, kinds, limit, where=None):  # type: ignore[no-untyped-def]
    """``rank_single_points`` the long way: every node cut as a set of applications, weights summed per
    application, the example path from the full cut."""
    from sovereign.graph import _CONCRETE, SELF, CutCandidate

    weight_of = {f"application:{a}": w for a, w in weights.items()}
    groups: dict[frozenset[str], list[tuple[str, str, float]]] = {}
    for node in index.nodes:
        kind = str(g.nodes[node].get("kind", "")) if node in g else ""
        if kind not in kinds or node == SELF or (where is not None and not where(node, kind)):
            continue
        stopped = frozenset(_reference_stopped_by(index, node))
        if stopped:
            weight = round(sum(weight_of.get(a, 0.0) for a in stopped), 4)
            groups.setdefault(stopped, []).append((node, kind, weight))
    ranked = []
    for stopped, group in groups.items():
        group.sort(key=lambda c: (_CONCRETE.index(c[1]) if c[1] in _CONCRETE else len(_CONCRETE), c[0]))
        ranked.append((-group[0][2], -len(stopped), group[0][0], stopped, group))
    ranked.sort(key=lambda r: r[:3])
    candidates = []
    for *_, stopped, group in ranked[:limit]:
        node, kind, weight = group[0]
        heaviest = max(stopped, key=lambda a: (weight_of.get(a, 0.0), a.removeprefix("application:")))
        full = {f"application:{s.app_id}": s for s in _reference_cut(index, [node]).stopped}
        candidates.append(
            CutCandidate(
                node=node,
                kind=kind,
                applications=tuple(sorted(a.removeprefix("application:") for a in stopped)),
                weight=weight,
                example=full[heaviest].via,
                equivalent=tuple(c[0] for c in group[1:]),
            )
        )
    return tuple(candidates)


@pytest.fixture(scope="module")
def cyclic(tmp_path_factory: pytest.TempPathFactory, catalog):  # type: ignore[no-untyped-def]
    return _cyclic_landscape(tmp_path_factory.mktemp("cyclic"), catalog)


@pytest.mark.parametrize("which", ["national", "cyclic"])
def test_stop_classes_stop_what_cutting_each_node_stops(which, landscape, cyclic):
    """A company, product, region or country stops whole classes: the classes' applications are what the
    cut stops, also where dependencies run in a cycle."""
    from sovereign.graph import build_cut_index

    chosen = landscape if which == "national" else cyclic
    index = build_cut_index(chosen.graph, chosen.walker)
    classes = index.stop_classes()
    others = [n for n in index.nodes if n not in index._apps]
    assert len(others) > 5
    for node in others:
        assert classes.applications(classes.of_node.get(node, frozenset())) == _reference_stopped_by(
            index, node
        )
        assert index.stopped_by([node]) == _reference_stopped_by(index, node)
    for node in [n for n in index.nodes if n in index._apps]:
        assert index.stopped_by([node]) == _reference_stopped_by(index, node)


@pytest.mark.parametrize("which", ["national", "cyclic"])
def test_cut_equals_the_cut_that_queues_every_stopped_application(which, landscape, cyclic):
    from sovereign.graph import build_cut_index

    chosen = landscape if which == "national" else cyclic
    index = build_cut_index(chosen.graph, chosen.walker)
    nodes = list(index.nodes)
    cuts = [[n] for n in nodes[:: max(1, len(nodes) // 30)]] + [["country:US"], ["country:US", nodes[0]]]
    for cut in cuts:
        assert index.cut(cut) == _reference_cut(index, cut), cut


@pytest.mark.parametrize("which", ["national", "cyclic"])
@pytest.mark.parametrize("scale", [1.0, 0.1])  # quarters sum exactly per class; tenths are summed one by one
def test_single_points_equal_the_ranking_that_cuts_every_node(which, scale, landscape, cyclic):
    from sovereign.graph import build_cut_index, rank_single_points

    chosen = landscape if which == "national" else cyclic
    g = chosen.graph
    index = build_cut_index(g, chosen.walker)
    weights = {a.application.app_id: a.criticality * scale for a in chosen.assessments}
    every = ("product", "region", "entity", "application")
    for kinds, limit, where in [
        (
            ("product", "region"),
            1,
            lambda node, kind: kind == "region" or g.nodes[node].get("delivery") == "iaas",
        ),
        (every, 10, None),
        (every, 1000, None),  # all of them, the small and the equivalent ones too
        (("entity",), 1000, None),
    ]:
        found = rank_single_points(g, index, weights, kinds=kinds, limit=limit, where=where)
        assert found == _reference_ranking(g, index, weights, kinds=kinds, limit=limit, where=where)
        assert found


def test_policy_verdicts_per_value_equal_checking_each_application_alone(landscape, catalog):
    """The policy decides each rule once per distinct value it reads (SEAL and its reason, countries, exit
    plan); checked one application at a time, every finding is the same."""
    from sovereign.policy import evaluate_policy

    policy = load_policy(None)
    assessments = landscape.assessments
    together = evaluate_policy(policy, assessments, catalog)
    alone = [f for a in assessments for f in evaluate_policy(policy, [a], catalog) if f.app_id is not None]
    order = {rule.id: i for i, rule in enumerate(policy.rules)}
    alone.sort(key=lambda f: (order[f.rule_id], f.app_id or "", f.message))
    assert [f for f in together if f.app_id is not None] == alone
    assert len({f.kind for f in alone}) >= 4
    assert len({f.detail for f in alone}) > 10

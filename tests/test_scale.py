"""What makes a national inventory fast must not change what the audit says.

The audit walks the graph once per shape and builds each application's paths from the shape's
(``sovereign.pipeline._shapes``); the plan re-assesses only what a wave touches; the portfolio is counted
without pandas; dependencies are looked up in the application's own organisation first. These tests
compare each shortcut with the long way round, on a synthetic inventory of several municipalities
(``bench.generate``, the benchmark's own generator).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import random
from collections.abc import Iterable, Mapping
from pathlib import Path

import networkx as nx
import pytest
from builders import example_with_cycles

from bench.generate import generate
from sovereign.assess import PortfolioTally, assessment_frame, score_portfolio
from sovereign.catalog import load_catalog, load_policy
from sovereign.graph import expose, make_walker
from sovereign.inventory import read_inventories
from sovereign.model import Application, ApplicationAssessment, AxisResult, Match
from sovereign.pipeline import assess_inventory
from sovereign.pipeline._audit import _build_landscape
from sovereign.pipeline._shapes import NEUTRAL


def reassign(
    template: ApplicationAssessment,
    *,
    application: Application,
    match: Match,
    criticality: float,
    names: dict[str, str] | None = None,
) -> ApplicationAssessment:
    """``template``'s figures for another application, the general way: its own application, match and
    criticality, and (with ``names``) every node of the evidence paths renamed."""
    axes = {}
    if names is not None:
        for key in ("lawful_access", "residency", "continuity"):
            axis: AxisResult = getattr(template, key)
            paths = tuple(tuple(names.get(node, node) for node in path) for path in axis.paths)
            axes[key] = AxisResult(countries=axis.countries, paths=paths)
    return dataclasses.replace(
        template, application=application, match=match, criticality=criticality, **axes
    )


def to_neutral(ids: list[str]) -> dict[str, str]:
    """A shape's application nodes (``ids[0]`` the application itself) to neutral ones."""
    return {f"application:{app_id}": f"application:{NEUTRAL}{i}" for i, app_id in enumerate(ids)}


def from_neutral(ids: list[str]) -> dict[str, str]:
    return {f"application:{NEUTRAL}{i}": f"application:{app_id}" for i, app_id in enumerate(ids)}


def dependency_generations(g: nx.MultiDiGraph, app_ids: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """The plan's generations the long way (networkx's condensation; what the audit used before
    ``_plan._generations``): the given applications in generations, what others stand on first, a
    dependency cycle condensed into one generation."""
    wanted = {f"application:{a}" for a in app_ids}
    sub = nx.DiGraph()
    sub.add_nodes_from(wanted)
    for a in wanted:  # the given applications' own edges, not the whole landscape's
        for b, keys in g._succ[a].items() if a in g else ():
            if "depends_on" in keys and b in wanted and a != b:
                sub.add_edge(b, a)  # the dependency points at what stands on it: it comes first
    condensed = nx.condensation(sub)
    return tuple(
        tuple(
            sorted(m.removeprefix("application:") for c in generation for m in condensed.nodes[c]["members"])
        )
        for generation in nx.topological_generations(condensed)
    )


def on_dependency_cycles(dependencies: Mapping[str, Iterable[str]]) -> set[str]:
    """The ids on a dependency cycle of two or more, the long way (networkx; what the audit used before
    ``ShapeAssessor.on_cycles``)."""
    g = nx.DiGraph((a, b) for a, targets in dependencies.items() for b in targets if a != b)
    return {a for part in nx.strongly_connected_components(g) if len(part) > 1 for a in part}


def _random_dependencies(rng: random.Random, share: float) -> dict[str, list[str]]:
    """Up to 30 applications, about ``share`` of them depending on up to three (themselves included)."""
    ids = [f"a{i}" for i in range(rng.randint(1, 30))]
    return {
        a: sorted(set(rng.sample(ids, rng.randint(0, min(3, len(ids)))))) if rng.random() < share else []
        for a in ids
    }


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
    path = example_with_cycles(tmp_path)
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


def test_shape_templates_give_what_renaming_the_neutral_figures_gives(national, landscape):
    """Each application's figures come from its shape's template; renaming the shape's neutral figures to
    its own ids (the general way, ``reassign`` above) must give the very same assessment."""
    from sovereign.pipeline._shapes import ShapeIndex

    by_id = {a.application.app_id: a for a in landscape.assessments}
    texts = landscape.texts
    own = {
        k: (a.match.product, texts.hosting_of(a.application), texts.location_of(a.application))
        for k, a in by_id.items()
    }
    shapes = ShapeIndex(own, landscape.dependencies, {k: a.application.name for k, a in by_id.items()})
    neutral: dict = {}
    checked = 0
    inventory, _ = read_inventories([national])
    for app_id in [a.app_id for a in inventory.applications]:  # in the audit's order: the first one walks
        assessment = by_id[app_id]
        shape, ids = shapes.key(app_id)
        first = neutral.get(shape)
        if first is None:
            neutral[shape] = reassign(
                assessment,
                application=assessment.application,
                match=assessment.match,
                criticality=assessment.criticality,
                names=to_neutral(ids),
            )
            continue
        general = reassign(
            first,
            application=assessment.application,
            match=assessment.match,
            criticality=assessment.criticality,
            names=from_neutral(ids),
        )
        assert general == assessment, app_id
        checked += 1
    assert checked > len(by_id) // 4  # many applications share a shape with another


def test_shape_template_renames_every_application_on_a_path(landscape):
    """A path through dependencies names each application on it by its own id, the head by the application's."""
    from sovereign.pipeline._shapes import ShapeTemplate

    template = next(a for a in landscape.assessments if any("depends_on" in p for p in a.continuity.paths))
    ids = [template.application.app_id, *landscape.dependencies[template.application.app_id]]
    closure_path = next(p for p in template.continuity.paths if "depends_on" in p)
    made = ShapeTemplate(template, ids).assessment_of(
        template.application, template.match, template.criticality, ["x", *(f"d{i}" for i in range(1, 50))]
    )
    renamed = made.continuity.paths[template.continuity.paths.index(closure_path)]
    assert renamed[0] == "application:x"
    assert renamed[2].startswith("application:d")
    assert [n for n in renamed if not n.startswith("application:")] == [
        n for n in closure_path if not n.startswith("application:")
    ]
    assert made.lawful_access.countries == template.lawful_access.countries
    assert all(p[0] == "application:x" for p in made.lawful_access.paths)


def test_graph_built_in_bulk_equals_one_added_at_a_time(national, catalog, landscape):
    """build_graph writes the application nodes and edges into networkx's adjacency itself: the graph must
    equal, dict for dict and in the same order, one built with add_application and add_edge."""
    from sovereign.graph import SELF, _add_country, _add_edge, _add_node, add_application

    inventory, _ = read_inventories([national])
    by_id = {a.application.app_id: a for a in landscape.assessments}
    bulk = landscape.graph
    slow = nx.MultiDiGraph()
    _add_node(slow, SELF, "entity", bulk.nodes[SELF]["label"])
    _add_edge(slow, SELF, _add_country(slow, catalog, "NL"), "seated_in")
    slow.graph["organisation_country"] = "NL"
    texts = landscape.texts
    for app in inventory.applications:
        add_application(
            slow,
            catalog,
            f"application:{app.app_id}",
            app.name,
            by_id[app.app_id].match,
            texts.hosting_of(app),
            texts.location_of(app),
        )
    for app_id, targets in landscape.dependencies.items():
        for target in targets:
            _add_edge(slow, f"application:{app_id}", f"application:{target}", "depends_on")
    assert list(slow._node.items()) == list(bulk._node.items())
    assert repr(slow._succ) == repr(bulk._succ)
    assert repr(slow._pred) == repr(bulk._pred)
    for node, targets in bulk._succ.items():  # one key dict per edge, shared by both directions
        for target, keys in targets.items():
            assert bulk._pred[target][node] is keys


def test_exposing_like_another_application_gives_what_walking_it_gives(landscape):
    """An application walked after another with the same own edges takes that one's own figures with its
    own id at the head of each path (``expose_like``): everything must equal a fresh walk of it, except
    that the parties keep the other application's paths."""
    from sovereign.graph import expose_like

    g = landscape.graph
    texts = landscape.texts
    first: dict = {}
    compared = with_dependencies = 0
    for assessment in landscape.assessments:
        app = assessment.application
        own = (assessment.match.product, texts.hosting_of(app), texts.location_of(app))
        if own not in first:
            first[own] = app.app_id
            continue
        like_id = first[own]
        walker = make_walker(g)
        like = expose(g, like_id, walker)
        made = expose_like(g, app.app_id, walker, like, like_id)
        fresh = expose(g, app.app_id, make_walker(g))
        assert made.lawful_access == fresh.lawful_access, app.app_id
        assert made.residency == fresh.residency, app.app_id
        assert made.continuity == fresh.continuity, app.app_id
        assert made.dependency_countries == fresh.dependency_countries, app.app_id
        assert made.primary == fresh.primary, app.app_id
        strip = [dataclasses.replace(p, path=()) for p in made.parties]
        assert strip == [dataclasses.replace(p, path=()) for p in fresh.parties], app.app_id
        compared += 1
        with_dependencies += bool(landscape.dependencies[app.app_id])
    assert compared > 300 and with_dependencies > 50


def test_figures_built_without_init_name_every_field_of_the_model(landscape):
    """A shape's figures are set slot by slot, not through the dataclasses' __init__: the fields set must
    be every field the model has, and the objects must equal (and hash like) constructed ones."""
    from sovereign.model import AxisResult
    from sovereign.pipeline import _shapes

    assert tuple(f.name for f in dataclasses.fields(AxisResult)) == _shapes._AXIS_FIELDS
    assert tuple(f.name for f in dataclasses.fields(ApplicationAssessment)) == _shapes._ASSESSMENT_FIELDS
    made = _shapes._axis_result(("NL", "US"), (("application:a", "data_in", "country:NL"),))
    built = AxisResult(countries=("NL", "US"), paths=(("application:a", "data_in", "country:NL"),))
    assert made == built and hash(made) == hash(built) and repr(made) == repr(built)
    for assessment in landscape.assessments[:50]:
        ids = [assessment.application.app_id, *landscape.dependencies[assessment.application.app_id]]
        template = _shapes.ShapeTemplate(assessment, ids)
        again = template.assessment_of(assessment.application, assessment.match, assessment.criticality, ids)
        assert again == assessment and repr(again) == repr(assessment)
        for field in dataclasses.fields(ApplicationAssessment):
            assert getattr(again, field.name) == getattr(assessment, field.name), field.name


def test_reached_from_kept_country_sets_equals_walking_the_changed_graph(national, catalog):
    """The plan joins the countries each dependency reaches (kept per dependency, forgotten when a wave moves
    it or what it stands on) instead of walking the continuity paths: before and after a wave, that must
    equal the countries of the dependencies' continuity walked afresh on the changed graph. What stands on
    the moves is re-assessed only when what it reaches changed."""
    from sovereign.pipeline._plan import _replace_application
    from sovereign.pipeline._shapes import ShapeAssessor

    inventory, _ = read_inventories([national])
    landscape = _build_landscape(inventory, catalog, load_policy(None))
    assessor = ShapeAssessor(landscape)
    g, dependencies = landscape.graph, landscape.dependencies

    def walked(app_id: str) -> frozenset[str]:
        fresh = make_walker(g)
        return frozenset(
            country
            for dependency in dependencies[app_id]
            for country, _ in fresh.full_continuity(f"application:{dependency}")
        )

    countries: dict[str, frozenset[str]] = {}
    with_dependencies = [a for a in sorted(dependencies) if dependencies[a]]
    before = {a: assessor.reached(a, countries) for a in with_dependencies}
    assert all(before[a] == walked(a) for a in with_dependencies[::7])
    # A wave: what others stand on moves to a self-hosted product, and so do some applications nobody
    # depends on (their moves wait until they are walked).
    targets = sorted({d for a in with_dependencies for d in dependencies[a]})
    leaves = [a for a in sorted(dependencies) if a not in targets][:20]
    apps = {a.app_id: a for a in inventory.applications}
    product = catalog.products["nextcloud"]
    wave = {}
    for app_id in [*targets[::2], *leaves]:
        moved = _replace_application(apps[app_id], product, catalog, "on-premise")
        understood = (
            landscape.matcher.match(moved),
            landscape.texts.hosting_of(moved),
            landscape.texts.location_of(moved),
        )
        wave[app_id] = (moved.name, understood)
    pending: dict[str, tuple[str, tuple[object, object, object]]] = {}
    changed = assessor.move(wave, countries, pending)
    assert set(pending) == set(leaves)
    after = {a: assessor.reached(a, countries) for a in with_dependencies}
    assert sum(after[a] != before[a] for a in with_dependencies) > 10  # the wave changed what they reach
    assert all(after[a] == walked(a) for a in with_dependencies)
    # What move leaves out of a wave's re-assessment must reach what it reached before (its own edges stay).
    assert changed <= set(with_dependencies)
    assert all(after[a] == before[a] for a in with_dependencies if a not in changed and a not in wave)
    assert {a for a in with_dependencies if after[a] != before[a] and a not in wave} <= changed


def test_plan_generations_equal_condensing_every_move(landscape):
    """The waves condense only the moves linked to another move (``_generations``); the others go straight
    to the first generation. That must give the generations of condensing them all."""
    from sovereign.pipeline._plan import _generations
    from sovereign.pipeline._shapes import dependants_index

    dependencies = landscape.dependencies
    reverse = dependants_index(dependencies)
    ids = sorted(dependencies)
    for app_ids in (ids, ids[::2], ids[::3], [a for a in ids if a in reverse or dependencies[a]][:50]):
        expected = [tuple(gen) for gen in dependency_generations(landscape.graph, app_ids)]
        assert len(expected) >= 2  # some of them stand on others
        assert _generations(app_ids, dependencies, reverse) == expected


def test_plan_walks_like_the_first_of_an_own_key_equal_fresh_walks(national, catalog):
    """A wave's re-assessment takes what follows from an application's own edges from the first application
    walked with the same own key (``ShapeAssessor._walk``), even when that one has moved since. After a
    wave, every application's figures and paths must equal those of walking it afresh on the changed
    graph, and what a wave counts of them (``counted``, without walking) what the fresh walk gives; and the
    dependency cycles found on the plain dicts must equal networkx's."""
    from sovereign.assess import _combination
    from sovereign.pipeline._plan import _replace_application
    from sovereign.pipeline._shapes import ShapeAssessor

    inventory, _ = read_inventories([national])
    landscape = _build_landscape(inventory, catalog, load_policy(None))
    assessor = ShapeAssessor(landscape)
    g, dependencies = landscape.graph, landscape.dependencies
    assert assessor._cyclic == on_dependency_cycles(dependencies)
    apps = {a.app_id: a for a in inventory.applications}
    ordered = sorted(apps)

    def fresh(app_id: str, understood: tuple[object, object, object]) -> ApplicationAssessment:
        match, hosting, _ = understood
        exposure = expose(g, app_id, make_walker(g))
        return landscape.assessor._figures(apps[app_id], match, hosting, exposure)

    # Walk some applications first, so that those moved next were the first of their own keys.
    understood = {a: assessor._understand(apps[a]) for a in ordered}
    for app_id in ordered[::5]:
        match, hosting, location = understood[app_id]
        assessor._walk(apps[app_id], match, hosting, (match.product, hosting, location))
    targets = sorted({d for a in ordered for d in dependencies[a]})
    product = catalog.products["nextcloud"]
    wave = {}
    for app_id in [*targets[::2], *ordered[::10]]:
        moved = _replace_application(apps[app_id], product, catalog, "on-premise")
        understood[app_id] = (
            landscape.matcher.match(moved),
            landscape.texts.hosting_of(moved),
            landscape.texts.location_of(moved),
        )
        wave[app_id] = (moved.name, understood[app_id])
    assessor.move(wave, {})
    likes = 0
    for app_id in ordered:
        match, hosting, location = understood[app_id]
        own = (match.product, hosting, location)
        likes += own in assessor._like
        walked = assessor._walk(apps[app_id], match, hosting, own)
        assert walked == fresh(app_id, understood[app_id]), app_id
    assert likes > len(ordered) // 2  # most took their own edges' figures from another
    # What a wave counts (``counted``, no walk once the own key is known) equals what the fresh walk gives.
    # With the own keys walked already; with none (the first of each walked in full); and with none but the
    # landscape's assessment of each application that did not move (``before``: nothing walked).
    landscape_of = {a.application.app_id: a for a in landscape.assessments}
    for counting, with_before in (
        (assessor, False),
        (ShapeAssessor(landscape), False),
        (ShapeAssessor(landscape), True),
    ):
        countries: dict[str, frozenset[str]] = {}
        walks = counting.walks
        for app_id in ordered:
            counted = counting.counted(
                apps[app_id],
                counting.reached(app_id, countries),
                understood=understood[app_id],
                before=landscape_of[app_id] if with_before and app_id not in wave else None,
            )
            expected = fresh(app_id, understood[app_id])
            assert _combination(counted) == _combination(expected), app_id
            assert (counted.objectives, counted.weighted_score) == (
                expected.objectives,
                expected.weighted_score,
            )
        if with_before:
            assert counting.walks - walks < len(wave)  # only the first of a moved application's own key
    assert not [n for n in g if n.startswith("application:\x00")]  # the temporary nodes are gone


def test_dependency_cycles_on_plain_dicts_equal_networkx():
    """``ShapeAssessor.on_cycles`` (trimmed, then Tarjan's on dicts) must find the applications networkx
    finds on dependency cycles: random dependency lists with cycles, chains and self-dependencies."""
    from sovereign.pipeline._shapes import ShapeAssessor, dependants_index

    found = 0
    for seed in range(500):
        dependencies = _random_dependencies(random.Random(seed), 0.6)
        expected = on_dependency_cycles(dependencies)
        found += bool(expected)
        assert ShapeAssessor.on_cycles(dependencies, dependants_index(dependencies)) == expected, seed
    assert found > 100  # most of them have a cycle


def test_plan_generations_on_dicts_equal_networkx_with_cycles():
    """``_generations`` works on the dependency lists (Tarjan's and generations of the components); on random
    dependency lists with cycles and self-dependencies it must give networkx's condensed generations."""
    from sovereign.pipeline._plan import _generations
    from sovereign.pipeline._shapes import dependants_index

    cyclic = 0
    for seed in range(300):
        rng = random.Random(seed)
        dependencies = _random_dependencies(rng, 0.5)
        ids = list(dependencies)
        g = nx.MultiDiGraph()
        g.add_nodes_from(f"application:{a}" for a in ids)
        for a, targets in dependencies.items():
            for d in targets:
                g.add_edge(f"application:{a}", f"application:{d}", key="depends_on")
        app_ids = sorted(rng.sample(ids, rng.randint(1, len(ids))))
        expected = [tuple(gen) for gen in dependency_generations(g, app_ids)]
        cyclic += bool(
            on_dependency_cycles({a: [d for d in dependencies[a] if d in app_ids] for a in app_ids})
        )
        assert _generations(app_ids, dependencies, dependants_index(dependencies)) == expected, seed
    assert cyclic > 20

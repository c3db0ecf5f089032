"""Cuts, single points and the policy on a national inventory: each shortcut against the long way round.

The cut index groups applications into stop classes and queues only what others depend on; the ranking of
single points weighs a company as a set of classes; the policy decides each rule once per distinct value it
reads. Each is compared here with the plain way, on a synthetic inventory of several municipalities
(``bench.generate``) and on the example municipality with dependency cycles.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import example_with_cycles

from bench.generate import generate
from sovereign.catalog import load_catalog, load_policy
from sovereign.inventory import read_inventories
from sovereign.pipeline._audit import _build_landscape


@pytest.fixture(scope="module")
def catalog():
    return load_catalog([])


@pytest.fixture(scope="module")
def landscape(tmp_path_factory: pytest.TempPathFactory, catalog):
    path = tmp_path_factory.mktemp("scale") / "national.csv"
    path.write_text(generate(900, 3), encoding="utf-8")
    inventory, _ = read_inventories([path])
    return _build_landscape(inventory, catalog, load_policy(None))


def _cyclic_landscape(tmp_path: Path, catalog):  # type: ignore[no-untyped-def]
    """The example municipality with two dependency cycles (identity <-> firewall, and a longer one)."""
    path = example_with_cycles(tmp_path)
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

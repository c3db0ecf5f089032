"""The dependency graph: applications, products, entities, hosting regions and countries, with typed edges.

``build_graph`` turns matched applications plus the catalog into one ``networkx.MultiDiGraph`` whose edge
kinds are those of DESIGN §4 (instance_of, supplied_by, operated_by, runs_on, depends_on, owned_by, data_in,
seated_in). ``expose`` walks it for one application and returns plain dataclasses: the parties that can reach
or switch off the application, each with its control chain, and the three axes with one justifying path per
country. networkx stays inside this module. No I/O.

How hosting decides the walk: an application whose hosting text names a region, a platform, a hosting party or
self-hosting gets its own ``runs_on``/``operated_by`` edges, which replace the product's defaults; otherwise
(SaaS, or hosting not stated) the product's operator, platforms and data locations apply.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict, deque
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, compress

import networkx as nx

from .catalog import control_chain, controlling_owner
from .catalog.matching import HostingMatch
from .model import UNKNOWN, Application, AxisResult, Catalog, Delivery, Match, Product

__all__ = [
    "SELF",
    "CutCandidate",
    "CutIndex",
    "CutResult",
    "Exposure",
    "Party",
    "Stop",
    "add_application",
    "build_cut_index",
    "build_graph",
    "expose",
    "expose_like",
    "make_walker",
    "node_kind",
    "node_labels",
    "rank_single_points",
    "resolve_dependencies",
]

#: Node id of the organisation that owns the inventory (who operates what it hosts itself).
SELF = "organisation:self"

# Roles a party can play for an application.
OPERATOR = "operator"  # runs it and holds the data (SaaS operator, managed hoster, the organisation itself)
PLATFORM_OPERATOR = "platform-operator"  # runs the infrastructure under it (hyperscaler region)
VENDOR = "vendor"  # supplies the software: licences, updates, support
PLATFORM_VENDOR = "platform-vendor"  # supplies the platform technology under it

DATA_ROLES = frozenset({OPERATOR, PLATFORM_OPERATOR})


@dataclass(frozen=True, slots=True, kw_only=True)
class Party:
    """Someone whose cooperation the application needs, with the path from the application to them.

    ``chain`` is the control chain (entity node ids from the party up to its ultimate controller) and
    ``countries`` the seat of each, ``unknown`` where not known.
    """

    role: str
    node: str
    path: tuple[str, ...]  # from the application to ``node``
    chain: tuple[str, ...]
    countries: tuple[str, ...]
    open_source: bool = False  # the party only licenses open-source software: its withdrawal stops nothing

    @property
    def seat(self) -> str:
        return self.countries[0]

    @property
    def controller_country(self) -> str:
        return self.countries[-1]


@dataclass(frozen=True, slots=True, kw_only=True)
class Exposure:
    lawful_access: AxisResult
    residency: AxisResult
    continuity: AxisResult
    parties: tuple[Party, ...]  # the application's own parties
    #: Countries reached only through depends_on, at any depth (``unknown`` included).
    dependency_countries: tuple[str, ...] = ()
    primary: str | None = None  # entity node the application mainly depends on (for concentration)


# ---------------------------------------------------------------------------------------------------------
# Building


def _add_node(g: nx.MultiDiGraph, node: str, kind: str, label: str) -> None:
    if node not in g:
        g.add_node(node, kind=kind, label=label)


def _add_edge(g: nx.MultiDiGraph, a: str, b: str, kind: str, **attrs: object) -> None:
    if not g.has_edge(a, b, key=kind):
        g.add_edge(a, b, key=kind, kind=kind, **attrs)


def _add_country(g: nx.MultiDiGraph, catalog: Catalog, code: str) -> str:
    node = f"country:{code}"
    j = catalog.jurisdictions.get(code)
    _add_node(g, node, "country", j.name if j else code)
    return node


def _add_entity(g: nx.MultiDiGraph, catalog: Catalog, entity_id: str) -> str:
    """Add an entity, its seat and its whole ownership tree upwards."""
    node = f"entity:{entity_id}"
    if node in g:
        return node
    entity = catalog.entities[entity_id]
    _add_node(g, node, "entity", entity.name)
    if entity.country:
        _add_edge(g, node, _add_country(g, catalog, entity.country), "seated_in")
    controller = controlling_owner(entity)
    for owner in entity.owners:
        if owner.entity in catalog.entities:
            parent = _add_entity(g, catalog, owner.entity)
            _add_edge(
                g,
                node,
                parent,
                "owned_by",
                share=owner.share,
                as_of=owner.as_of,
                controls=owner is controller,
            )
    return node


def _add_place(g: nx.MultiDiGraph, catalog: Catalog, place_id: str) -> str:
    """Add a product or hosting region that something runs on, with everything under it."""
    if place_id in catalog.hosting:
        node = f"region:{place_id}"
        if node in g:
            return node
        region = catalog.hosting[place_id]
        _add_node(g, node, "region", region.name)
        _add_edge(g, node, _add_entity(g, catalog, region.operator), "operated_by")
        if region.country:
            _add_edge(g, node, _add_country(g, catalog, region.country), "data_in")
        return node
    return _add_product(g, catalog, place_id)


def _add_product(g: nx.MultiDiGraph, catalog: Catalog, product_id: str) -> str:
    node = f"product:{product_id}"
    if node in g:
        return node
    product = catalog.products[product_id]
    _add_node(g, node, "product", product.name)
    g.nodes[node]["open_source"] = bool(product.open_source)
    g.nodes[node]["delivery"] = str(product.delivery)
    _add_edge(g, node, _add_entity(g, catalog, product.vendor), "supplied_by")
    if product.operator:
        _add_edge(g, node, _add_entity(g, catalog, product.operator), "operated_by")
    for target in product.runs_on:
        _add_edge(g, node, _add_place(g, catalog, target), "runs_on")
    for code in product.data_locations:
        _add_edge(g, node, _add_country(g, catalog, code), "data_in")
    return node


def _region_user(g: nx.MultiDiGraph, catalog: Catalog, product: Product | None, region_id: str | None) -> str:
    """Who runs the application when the inventory puts it in a region or on a platform.

    A SaaS product is run by its operator wherever it sits. A product hosted in its own supplier's data
    centre (same ultimate controller as the vendor or operator) is run by that supplier. Anything else is our
    own software in our own tenant on someone's infrastructure: we run it, they run the infrastructure.
    """
    if product is not None and product.operator and product.delivery == Delivery.SAAS:
        return _add_entity(g, catalog, product.operator)
    region = catalog.hosting.get(region_id) if region_id else None
    if product is not None and region is not None:
        supplier = {control_chain(catalog, e)[-1] for e in (product.vendor, product.operator) if e}
        if control_chain(catalog, region.operator)[-1] in supplier:
            return _add_entity(g, catalog, region.operator)
    return SELF


def resolve_dependencies(applications: Iterable[Application]) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """Map each application's ``depends_on`` names to application ids; also the names nobody carries.

    A name matches an application id or name, case- and space-insensitively; a name is looked up in the
    application's own organisation first (every municipality of a national inventory has its "Identity"),
    then in the whole inventory.
    """
    apps = list(applications)
    index: dict[str, str] = {}
    own: dict[tuple[str, str], str] = {}
    # Each distinct name is folded once: a national inventory repeats them in every municipality.
    folded: dict[str, str] = {}

    def fold(text: str) -> str:
        found = folded.get(text)
        if found is None:
            found = folded[text] = " ".join(text.lower().split())
        return found

    for app in apps:
        name = fold(app.name)
        index.setdefault(name, app.app_id)
        if app.organisation:
            own.setdefault((app.organisation, name), app.app_id)
    for app in apps:
        index[" ".join(app.app_id.lower().split())] = app.app_id
    resolved: dict[str, tuple[str, ...]] = {}
    unresolved: list[str] = []
    for app in apps:
        if not app.depends_on:
            resolved[app.app_id] = ()
            continue
        targets: list[str] = []
        for name in app.depends_on:
            key = fold(name)
            target = own.get((app.organisation, key)) if app.organisation else None
            target = target or index.get(key)
            if target is None:
                unresolved.append(f"{app.source}: depends on '{name}', which is not in the inventory")
            elif target != app.app_id and target not in targets:
                targets.append(target)
        resolved[app.app_id] = tuple(targets)
    return resolved, unresolved


def build_graph(
    catalog: Catalog,
    applications: Iterable[Application],
    matches: Mapping[str, Match],
    hostings: Mapping[str, HostingMatch],
    data_locations: Mapping[str, tuple[str, ...] | None],
    dependencies: Mapping[str, tuple[str, ...]],
    *,
    organisation: str = "Eigen organisatie",
    organisation_country: str = "NL",
) -> nx.MultiDiGraph:
    """One graph for the whole landscape. Keys of the mappings are application ids."""
    g = nx.MultiDiGraph()
    _add_node(g, SELF, "entity", organisation)
    _add_edge(g, SELF, _add_country(g, catalog, organisation_country), "seated_in")
    g.graph["organisation_country"] = organisation_country
    # The adjacency is written directly for the application nodes, as add_application and add_edge would
    # (the same dicts, in the same order): a national inventory's 150,000 nodes and 400,000 edges through
    # networkx's add_node and add_edge, each checked with has_edge first, took seconds. A node that is
    # already there (an id twice) goes the long way.
    nodes, succ, pred = g._node, g._succ, g._pred
    planned: dict[Hashable, tuple[_Edge, ...]] = g.graph.setdefault("_own_edges", {})
    # Each distinct (product, hosting, data location) object triple of the mappings looks up its planned
    # edges once: HostingMatch hashes in Python. The objects live as long as this call, so ids are stable.
    seen: dict[tuple[str | None, int, int], tuple[_Edge, ...]] = {}
    unknown = HostingMatch(kind="unknown")
    for app in applications:
        app_id = app.app_id
        node = f"application:{app_id}"
        match = matches.get(app_id)
        hosting = hostings.get(app_id) or unknown
        location = data_locations.get(app_id)
        if node in succ:
            add_application(g, catalog, node, app.name, match, hosting, location)
            continue
        own: dict[str, dict[str, dict[str, object]]] = {}
        succ[node] = own
        pred[node] = {}
        nodes[node] = {"kind": "application", "label": app.name, "hosting_kind": hosting.kind}
        product = match.product if match else None
        quick = (product, id(hosting), id(location))
        edges = seen.get(quick)
        if edges is None:
            key = (product, hosting, location)
            edges = planned.get(key)
            if edges is None:
                edges = planned[key] = _own_edges(g, catalog, match, hosting, location)
            seen[quick] = edges
        for target, kind, attrs in edges:  # distinct (target, kind) pairs: none is there yet
            keys = own.get(target)
            if keys is None:
                own[target] = pred[target][node] = {kind: dict(attrs)}
            else:
                keys[kind] = dict(attrs)
    depends_on = {"kind": "depends_on"}
    for app_id, targets in dependencies.items():
        source = f"application:{app_id}"
        for target in targets:
            node = f"application:{target}"
            if source not in succ or node not in succ:
                _add_edge(g, source, node, "depends_on")
                continue
            keys = succ[source].get(node)
            if keys is None:
                succ[source][node] = pred[node][source] = {"depends_on": dict(depends_on)}
            elif "depends_on" not in keys:
                keys["depends_on"] = dict(depends_on)
    nx._clear_cache(g)  # as add_edge does (a fresh graph has nothing cached, but networkx may one day)
    return g


#: An application's own edge: (target node, edge kind, the edge's attributes).
_Edge = tuple[str, str, dict[str, object]]


def add_application(
    g: nx.MultiDiGraph,
    catalog: Catalog,
    node: str,
    label: str,
    match: Match | None,
    hosting: HostingMatch,
    data_location: tuple[str, ...] | None,
) -> None:
    """One application node and its own edges: product, operator or platform, data location.

    The edges follow from the product, hosting and data location, which a national inventory repeats in
    every municipality (and the plan's moves too): each distinct triple is worked out once per graph."""
    _add_node(g, node, "application", label)
    g.nodes[node]["hosting_kind"] = hosting.kind
    planned: dict[Hashable, tuple[_Edge, ...]] = g.graph.setdefault("_own_edges", {})
    key = (match.product if match else None, hosting, data_location)
    edges = planned.get(key)
    if edges is None:
        edges = planned[key] = _own_edges(g, catalog, match, hosting, data_location)
    for target, kind, attrs in edges:
        if not g.has_edge(node, target, key=kind):
            g.add_edge(node, target, key=kind, **attrs)


def _own_edges(
    g: nx.MultiDiGraph,
    catalog: Catalog,
    match: Match | None,
    hosting: HostingMatch,
    data_location: tuple[str, ...] | None,
) -> tuple[_Edge, ...]:
    """The own edges of an application with this match, hosting and data location, in the order they are
    added; the nodes they point to (products, regions, companies, countries) are added to ``g``."""
    edges: list[_Edge] = []

    def edge(target: str, kind: str, **attrs: object) -> None:
        if not any(t == target and k == kind for t, k, _ in edges):  # the first one counts, as in _add_edge
            edges.append((target, kind, {"kind": kind, **attrs}))

    organisation_country = str(g.graph.get("organisation_country", "NL"))
    if match and match.product:
        edge(_add_product(g, catalog, match.product), "instance_of")
    if hosting.kind == "self-hosted":
        edge(SELF, "operated_by")
        edge(_add_country(g, catalog, organisation_country), "data_in", basis="self-hosted")
    elif hosting.kind in ("region", "platform"):
        place = hosting.region or hosting.platform
        assert place is not None
        edge(_add_place(g, catalog, place), "runs_on")
        product = catalog.products.get(match.product) if match and match.product else None
        edge(_region_user(g, catalog, product, hosting.region), "operated_by")
    elif hosting.kind == "provider":
        assert hosting.provider is not None
        edge(_add_entity(g, catalog, hosting.provider), "operated_by")
    for code in data_location or ():
        if code != UNKNOWN:
            edge(_add_country(g, catalog, code), "data_in", basis="inventory")
    return tuple(edges)


def node_labels(g: nx.MultiDiGraph, nodes: Iterable[str]) -> dict[str, str]:
    """Human labels for the given node ids (edge kinds in a path are skipped)."""
    return {n: str(g.nodes[n].get("label", n)) for n in nodes if n in g}


# ---------------------------------------------------------------------------------------------------------
# Walking


def _out(g: nx.MultiDiGraph, node: str, kind: str) -> list[str]:
    # The adjacency dict itself (node -> neighbour -> edge key -> data): out_edges builds a view object per
    # call, which at a national inventory's hundreds of thousands of calls is most of the walk.
    return sorted(v for v, keys in g._succ[node].items() if kind in keys)


def _control(g: nx.MultiDiGraph, entity: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(control chain, seat countries, path from entity to the controller's seat) for an entity node.

    Kept in the graph's own attributes: an entity's chain is complete once the entity is in the graph (its
    owners are added with it; the plan's moves only change application edges), and every application of a
    vendor asks for the same chain."""
    cache = g.graph.setdefault("_control", {})
    if entity not in cache:
        cache[entity] = _walk_control(g, entity)
    found: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] = cache[entity]
    return found


def _walk_control(
    g: nx.MultiDiGraph, entity: str
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    chain = [entity]
    path: list[str] = [entity]
    while True:
        parents = [
            v
            for v, keys in g._succ[chain[-1]].items()
            for k, d in keys.items()
            if k == "owned_by" and d.get("controls")
        ]
        if not parents or parents[0] in chain:
            break
        chain.append(parents[0])
        path += ["owned_by", parents[0]]
    countries = []
    for e in chain:
        seats = _out(g, e, "seated_in")
        countries.append(seats[0].removeprefix("country:") if seats else UNKNOWN)
    return tuple(chain), tuple(countries), tuple(path)


def _seat_path(g: nx.MultiDiGraph, path: tuple[str, ...], entity: str) -> tuple[str, ...]:
    seats = _out(g, entity, "seated_in")
    return (*path, "seated_in", seats[0]) if seats else path


def _party(
    g: nx.MultiDiGraph, role: str, entity: str, path: tuple[str, ...], *, open_source: bool = False
) -> Party:
    chain, countries, _ = _control(g, entity)
    return Party(role=role, node=entity, path=path, chain=chain, countries=countries, open_source=open_source)


def _platform_parties(g: nx.MultiDiGraph, place: str, path: tuple[str, ...], seen: set[str]) -> list[Party]:
    """Parties of a platform (region or product) the application runs on, recursively down runs_on."""
    if place in seen:
        return []
    seen.add(place)
    parties = [
        _party(g, PLATFORM_OPERATOR, e, (*path, "operated_by", e)) for e in _out(g, place, "operated_by")
    ]
    if g.nodes[place].get("kind") == "product":
        parties += [
            _party(
                g,
                PLATFORM_VENDOR,
                e,
                (*path, "supplied_by", e),
                open_source=bool(g.nodes[place].get("open_source")),
            )
            for e in _out(g, place, "supplied_by")
        ]
    for below in _out(g, place, "runs_on"):
        parties += _platform_parties(g, below, (*path, "runs_on", below), seen)
    return parties


def _own_parties(g: nx.MultiDiGraph, app: str) -> tuple[list[Party], bool]:
    """The application's own parties, and whether its operator is known at all."""
    parties: list[Party] = []
    seen: set[str] = set()
    products = _out(g, app, "instance_of")
    own_operators = _out(g, app, "operated_by")
    own_places = _out(g, app, "runs_on")
    for e in own_operators:
        parties.append(_party(g, OPERATOR, e, (app, "operated_by", e)))
    for place in own_places:
        parties += _platform_parties(g, place, (app, "runs_on", place), seen)
    for product in products:
        start = (app, "instance_of", product)
        open_source = bool(g.nodes[product].get("open_source"))
        for e in _out(g, product, "supplied_by"):
            parties.append(_party(g, VENDOR, e, (*start, "supplied_by", e), open_source=open_source))
        if not own_operators and not own_places:
            for e in _out(g, product, "operated_by"):
                parties.append(_party(g, OPERATOR, e, (*start, "operated_by", e)))
            for place in _out(g, product, "runs_on"):
                parties += _platform_parties(g, place, (*start, "runs_on", place), seen)
    operator_known = any(p.role in DATA_ROLES for p in parties)
    return parties, operator_known


def _residency(g: nx.MultiDiGraph, node: str, path: tuple[str, ...], seen: set[str]) -> list[tuple[str, ...]]:
    """Paths ending in a country where the data of ``node`` lives (empty when nothing is known)."""
    if node in seen:
        return []
    seen.add(node)
    direct = _out(g, node, "data_in")
    if direct:
        return [(*path, "data_in", c) for c in direct]
    found: list[tuple[str, ...]] = []
    for place in _out(g, node, "runs_on"):
        found += _residency(g, place, (*path, "runs_on", place), seen)
    if not found and g.nodes[node].get("kind") == "application" and not _out(g, node, "operated_by"):
        for product in _out(g, node, "instance_of"):
            found += _residency(g, product, (*path, "instance_of", product), seen)
    return found


def _axis(entries: Iterable[tuple[str, tuple[str, ...]]]) -> AxisResult:
    """Countries with the shortest path for each (ties broken by the path text), sorted."""
    best: dict[str, tuple[str, ...]] = {}
    for country, path in entries:
        kept = best.get(country)
        # (len(path), path) < (len(kept), kept), without building the two tuples for every entry
        if kept is None or len(path) < len(kept) or (len(path) == len(kept) and path < kept):
            best[country] = path
    countries = tuple(sorted(best))
    return AxisResult(countries=countries, paths=tuple(best[c] for c in countries))


def _chain_entries(g: nx.MultiDiGraph, party: Party) -> list[tuple[str, tuple[str, ...]]]:
    """One (country, path) per entity in the party's control chain."""
    path = party.path
    return [(country, (*path, *tail)) for country, tail in _chain_tails(g, party.node)]


def _chain_tails(g: nx.MultiDiGraph, entity: str) -> list[tuple[str, tuple[str, ...]]]:
    """(country, the path from ``entity`` on) for each entity in its control chain, up to each one's seat.

    Kept in the graph's attributes like ``_control``: every application of a vendor asks for the same."""
    cache = g.graph.setdefault("_chain_tails", {})
    found: list[tuple[str, tuple[str, ...]]] | None = cache.get(entity)
    if found is None:
        chain, countries, _ = _control(g, entity)
        found = []
        tail: tuple[str, ...] = ()
        for i, (node, country) in enumerate(zip(chain, countries, strict=True)):
            if i:
                tail = (*tail, "owned_by", node)
            found.append((country, _seat_path(g, tail, node)))
        cache[entity] = found
    return found


@dataclass
class _Walker:
    g: nx.MultiDiGraph
    own: dict[str, tuple[list[Party], bool]] = field(default_factory=dict)
    own_entries: dict[str, list[tuple[str, tuple[str, ...]]]] = field(default_factory=dict)
    continuity: dict[str, list[tuple[str, tuple[str, ...]]]] = field(default_factory=dict)

    def own_parties(self, app: str) -> tuple[list[Party], bool]:
        if app not in self.own:
            self.own[app] = _own_parties(self.g, app)
        return self.own[app]

    def forget_own(self, app: str) -> None:
        """``app``'s own edges changed (or it left the graph): what was known of its own parties goes."""
        self.own.pop(app, None)
        self.own_entries.pop(app, None)

    def own_like(self, app: str, like: str) -> None:
        """``app``'s own edges equal ``like``'s (the same product, hosting and data location): its own
        continuity is ``like``'s with ``app`` at the head of every path, unless already known."""
        if app not in self.own_entries and app != like:
            self.own_entries[app] = [
                (country, (app, *path[1:])) for country, path in self.own_continuity(like)
            ]

    def own_continuity(self, app: str) -> list[tuple[str, tuple[str, ...]]]:
        """(country, path) for every party of the application's own that could stop it. Callers must not
        change the list (it is kept)."""
        found = self.own_entries.get(app)
        if found is not None:
            return found
        parties, operator_known = self.own_parties(app)
        entries: list[tuple[str, tuple[str, ...]]] = []
        for party in parties:
            if party.open_source and party.role in (VENDOR, PLATFORM_VENDOR):
                continue  # an open-source licence cannot be withdrawn
            entries += _chain_entries(self.g, party)
        if not operator_known:
            entries.append((UNKNOWN, (app,)))
        self.own_entries[app] = entries
        return entries

    def full_continuity(self, app: str, stack: tuple[str, ...] = ()) -> list[tuple[str, tuple[str, ...]]]:
        """Own continuity plus, over depends_on, that of everything the application needs."""
        if app in self.continuity:
            return self.continuity[app]
        own = self.own_continuity(app)
        dependencies = _out(self.g, app, "depends_on")
        entries = list(own) if dependencies else own  # the same list when there is nothing to add
        for dep in dependencies:
            if dep in stack or dep == app:
                continue  # a dependency cycle: what is on it is already counted
            for country, path in self.full_continuity(dep, (*stack, app)):
                entries.append((country, (app, "depends_on", *path)))
        if not stack:
            self.continuity[app] = entries
        return entries


def expose(g: nx.MultiDiGraph, app_id: str, walker: _Walker | None = None) -> Exposure:
    """The three axes and the parties of one application, each country with its path."""
    walker = walker or _Walker(g)
    app = f"application:{app_id}"
    parties, operator_known = walker.own_parties(app)

    lawful: list[tuple[str, tuple[str, ...]]] = []
    for party in parties:
        if party.role in DATA_ROLES:
            lawful += _chain_entries(g, party)
    if not operator_known:
        lawful.append((UNKNOWN, (app,)))

    residency_paths = _residency(g, app, (app,), set())
    residency = [(p[-1].removeprefix("country:"), p) for p in residency_paths] or [(UNKNOWN, (app,))]

    continuity = walker.full_continuity(app)
    own_continuity_paths = {path for _, path in walker.own_continuity(app)}
    dependency_entries = [(c, p) for c, p in continuity if p not in own_continuity_paths]

    return Exposure(
        lawful_access=_axis(lawful),
        residency=_axis(residency),
        continuity=_axis(continuity),
        parties=tuple(parties),
        dependency_countries=tuple(sorted({c for c, _ in dependency_entries})),
        primary=_primary(parties),
    )


def expose_like(g: nx.MultiDiGraph, app_id: str, walker: _Walker, like: Exposure, like_id: str) -> Exposure:
    """``expose`` of an application whose own edges equal those of application ``like_id``, exposed as
    ``like``: the parties (their paths are ``like``'s), the lawful-access and residency axes follow from the
    own edges alone and are ``like``'s with the application at the head of each path (every path starts
    there, so the shortest and first of equals are the same ones); only the continuity is walked, over
    what the application depends on."""
    app = f"application:{app_id}"
    walker.own_like(app, f"application:{like_id}")
    continuity = walker.full_continuity(app)
    # full_continuity lists the application's own entries first, then those through its dependencies
    # (each with depends_on after the head, which no own path has): the latter are what expose counts.
    own = walker.own_continuity(app)
    if continuity[: len(own)] == own:
        through_dependencies = continuity[len(own) :]
    else:  # not listed as full_continuity lists them: tell them apart as expose does
        own_paths = {path for _, path in own}
        through_dependencies = [(c, p) for c, p in continuity if p not in own_paths]
    return Exposure(
        lawful_access=_with_head(like.lawful_access, app),
        residency=_with_head(like.residency, app),
        continuity=_axis(continuity),
        parties=like.parties,
        dependency_countries=tuple(sorted({country for country, _ in through_dependencies})),
        primary=like.primary,
    )


def _with_head(axis: AxisResult, app: str) -> AxisResult:
    return AxisResult(countries=axis.countries, paths=tuple([(app, *path[1:]) for path in axis.paths]))


def _primary(parties: list[Party]) -> str | None:
    """Whom the application mainly depends on: its operator, unless we run it ourselves; then its vendor."""
    operators = [p for p in parties if p.role == OPERATOR and p.node != SELF]
    if operators:
        return operators[0].chain[-1]
    vendors = [p for p in parties if p.role == VENDOR and not p.open_source]
    if vendors:
        return vendors[0].chain[-1]
    if any(p.role == OPERATOR for p in parties):
        return SELF
    return None


def make_walker(g: nx.MultiDiGraph) -> _Walker:
    """A walker that caches per-application results; share one across all ``expose`` calls on a graph."""
    return _Walker(g)


# ---------------------------------------------------------------------------------------------------------
# Cut-off scenarios and single points of failure


@dataclass(frozen=True, slots=True, kw_only=True)
class Stop:
    """An application that stops in a scenario, and the path from it to the cut node that stops it."""

    app_id: str
    via: tuple[str, ...]
    direct: bool  # stopped by its own chain (False: only because something it depends on stops)


_SET_APP_ID, _SET_VIA, _SET_DIRECT = (vars(Stop)[name].__set__ for name in ("app_id", "via", "direct"))


def _stop(app_id: str, via: tuple[str, ...], direct: bool) -> Stop:
    """``Stop(app_id=..., via=..., direct=...)`` with its slots filled directly: a frozen dataclass's
    ``__init__`` goes through ``object.__setattr__`` per field, and a national cut makes a hundred thousand."""
    stop = _new_object(Stop)
    _SET_APP_ID(stop, app_id)
    _SET_VIA(stop, via)
    _SET_DIRECT(stop, direct)
    return stop


_new_object = object.__new__


@dataclass(frozen=True, slots=True, kw_only=True)
class CutResult:
    cut: tuple[str, ...]  # node ids
    stopped: tuple[Stop, ...]  # by app id
    uncertain: tuple[str, ...]  # not stopped, but whose own chain is partly unknown


class CutIndex:
    """For every node an application's continuity rests on, the applications that stop without it.

    Built once per graph from the walker's continuity paths (operators, platforms, vendors and their control
    chains up to the seat). Cutting a country cuts every party seated there and everything they control;
    cutting an entity cuts it and its subsidiaries; cutting a product or region cuts what is it or runs on
    it. Then whatever depends on a stopped application stops too, transitively.

    Applications with the same own edges (product, operator, platform, data location) rest on the same
    chains, so the chains are walked once per such signature, not once per application.
    """

    def __init__(self, g: nx.MultiDiGraph, walker: _Walker) -> None:
        self._apps = {n for n, d in g._node.items() if d.get("kind") == "application"}
        #: own-edge signature -> its applications, sorted
        self._members: dict[tuple[tuple[str, str], ...], list[str]] = {}
        #: node -> {signature: the shortest path from (any application of) the signature to the node,
        #: without the application itself}
        self._paths: dict[str, dict[tuple[tuple[str, str], ...], tuple[str, ...]]] = {}
        self._unknown: set[str] = set()
        self._dependants: dict[str, list[str]] = {}
        self._classes: StopClasses | None = None  # built by the first ranking (``stop_classes``)
        succ, by_signature, dependants = g._succ, self._members, self._dependants
        for app in sorted(self._apps):
            edges = []
            for target, keys in succ[app].items():
                for key in keys:
                    if key == "depends_on":
                        found = dependants.get(target)
                        if found is None:
                            dependants[target] = [app]
                        else:
                            found.append(app)
                    else:
                        edges.append((key, target))
            edges.sort()
            signature = tuple(edges)
            found = by_signature.get(signature)
            if found is None:
                by_signature[signature] = [app]
            else:
                found.append(app)
        for signature, members in self._members.items():
            for country, path in walker.own_continuity(members[0]):
                if country == UNKNOWN:
                    self._unknown.update(members)
                for i in range(2, len(path), 2):
                    known = self._paths.setdefault(path[i], {})
                    if signature not in known or len(known[signature]) > i:
                        known[signature] = path[1 : i + 1]

    @property
    def nodes(self) -> tuple[str, ...]:
        """Every node some application's continuity rests on (applications that others need included)."""
        return tuple(sorted(set(self._paths) | set(self._dependants)))

    def stopped_by(self, nodes: Iterable[str]) -> set[str]:
        """The application nodes that stop when ``nodes`` are cut (no paths: for ranking many cuts)."""
        stopped = self._direct_stops(nodes)
        dependants = self._dependants
        # Only what others depend on spreads the stop: the rest of a company's hundred thousand applications
        # is passed over in C.
        queue = deque(filter(dependants.__contains__, stopped))
        while queue:
            for dependant in dependants[queue.popleft()]:
                if dependant not in stopped:
                    stopped.add(dependant)
                    if dependant in dependants:
                        queue.append(dependant)
        return stopped

    def cut(self, nodes: Iterable[str]) -> CutResult:
        cut = tuple(sorted(set(nodes)))
        stops: dict[str, Stop] = {}
        for node in cut:
            for signature, tail in self._paths.get(node, {}).items():
                length = len(tail) + 1
                for app in self._members[signature]:
                    found = stops.get(app)
                    if found is None or len(found.via) > length:
                        stops[app] = _stop(app.removeprefix("application:"), (app, *tail), True)
            if node in self._apps and node not in stops:  # cutting an application itself
                stops[node] = Stop(app_id=node.removeprefix("application:"), via=(node,), direct=True)
        # Whatever depends on a stopped application stops too (breadth first: shortest chains). Only what
        # others depend on is queued: the others would be taken from the queue without effect.
        dependants = self._dependants
        queue = deque(sorted(filter(dependants.__contains__, stops)))
        while queue:
            app = queue.popleft()
            for dependant in sorted(dependants[app]):
                if dependant not in stops:
                    via = (dependant, "depends_on", *stops[app].via)
                    stops[dependant] = _stop(dependant.removeprefix("application:"), via, False)
                    if dependant in dependants:
                        queue.append(dependant)
        uncertain = tuple(sorted(a.removeprefix("application:") for a in self._unknown if a not in stops))
        # Sorted by node id, which is the order of the application ids (every one starts "application:").
        return CutResult(cut=cut, stopped=tuple(map(stops.__getitem__, sorted(stops))), uncertain=uncertain)

    def via(self, nodes: Iterable[str], app: str) -> tuple[str, ...] | None:
        """The path ``cut(nodes)`` gives application node ``app`` (None when it does not stop), without
        building every stopped application's path: a single point shows one example path."""
        cut = sorted(set(nodes))
        direct = self._direct_via(cut, app)
        if direct is not None:
            return direct
        # Stopped only through what it depends on: the same breadth-first order as ``cut``, keeping for
        # each application only what found it (and queueing only what others depend on).
        starts = self._direct_stops(cut)
        dependants = self._dependants
        found_by: dict[str, str] = {}
        queue = deque(sorted(filter(dependants.__contains__, starts)))
        while queue and app not in found_by:
            node = queue.popleft()
            for dependant in sorted(dependants[node]):
                if dependant not in starts and dependant not in found_by:
                    found_by[dependant] = node
                    if dependant in dependants:
                        queue.append(dependant)
        if app not in found_by:
            return None
        chain: list[str] = []
        step = app
        while step in found_by:
            chain += [step, "depends_on"]
            step = found_by[step]
        start = self._direct_via(cut, step)
        assert start is not None
        return (*chain, *start)

    def stop_classes(self) -> StopClasses:
        """The applications in classes that every cut of a company, product, region or country stops or
        spares whole (built once, kept for the next ranking)."""
        if self._classes is None:
            self._classes = StopClasses(self)
        return self._classes

    def _direct_stops(self, cut: Iterable[str]) -> set[str]:
        stops: set[str] = set()
        for node in cut:
            for signature in self._paths.get(node, {}):
                stops.update(self._members[signature])
            if node in self._apps:
                stops.add(node)
        return stops

    def _direct_via(self, cut: Sequence[str], app: str) -> tuple[str, ...] | None:
        """The path ``cut`` gives ``app`` when it stops by its own chain (shortest, the first of equals)."""
        # Looked for, not indexed: a dict from every application to its signature would stay alive (and
        # cost 10 MiB at a national audit's peak) for the ten example paths of the single points.
        signature = next((s for s, members in self._members.items() if _holds(members, app)), None)
        best: tuple[str, ...] | None = None
        for node in cut:
            tail = self._paths.get(node, {}).get(signature) if signature is not None else None
            if tail is not None and (best is None or len(best) > len(tail) + 1):
                best = (app, *tail)
            if node == app and best is None:
                best = (app,)
        return best


def _holds(ordered: list[str], item: str) -> bool:
    """Whether the sorted list holds ``item`` (bisected, not scanned)."""
    i = bisect_left(ordered, item)
    return i < len(ordered) and ordered[i] == item


def build_cut_index(g: nx.MultiDiGraph, walker: _Walker) -> CutIndex:
    """The index that answers cut-off scenarios on this graph."""
    return CutIndex(g, walker)


@dataclass(frozen=True, slots=True, kw_only=True)
class CutCandidate:
    """A node whose loss alone stops applications, with what it stops."""

    node: str
    kind: str  # product | region | entity | application | country
    applications: tuple[str, ...]  # the ids of the applications that stop, sorted
    weight: float  # summed weight (criticality) of what stops
    example: tuple[str, ...]  # the path that stops the heaviest of them (ties: the last id)
    #: Other nodes whose loss stops exactly the same applications (the vendor behind a product, its parent).
    equivalent: tuple[str, ...] = ()


class StopClasses:
    """Applications grouped by the nodes other than applications whose loss stops them.

    An application stops when a node on its own chains is cut, or when something it depends on (directly
    or further down) stops: so the nodes that stop it are those of its own signature's chains and of every
    application it reaches over depends_on. Applications with the same such nodes form a class, and a
    company, product, region or country stops a set of whole classes. A national landscape has about a
    hundred thousand applications behind one company but only some thousands of classes.
    """

    def __init__(self, index: CutIndex) -> None:
        paths, dependants, apps = index._paths, index._dependants, index._apps
        #: signature -> the nodes on its chains
        on_chains: dict[tuple[tuple[str, str], ...], set[str]] = {}
        for node, signatures in paths.items():
            for signature in signatures:
                on_chains.setdefault(signature, set()).add(node)
        base = {signature: frozenset(nodes) for signature, nodes in on_chains.items()}
        del on_chains
        # Applications whose nodes are not their signature's alone (they depend on others), and those the
        # nodes spread from (others depend on them).
        involved = {a for a in dependants if a in apps}
        involved.update(*dependants.values())
        reach: dict[str, frozenset[str]] = {}  # involved application -> the nodes that stop it
        groups: dict[frozenset[str], list[str]] = {}
        for signature, members in index._members.items():
            nodes = base.get(signature, _NO_NODES)
            if involved.isdisjoint(members):
                groups.setdefault(nodes, []).extend(members)
                continue
            for app in members:
                if app in involved:
                    reach[app] = nodes
                else:
                    groups.setdefault(nodes, []).append(app)
        # What stops an application stops what depends on it: spread the nodes to the dependants, what
        # others depend on first (each application once); what is left lies on or behind a dependency
        # cycle and is spread until nothing changes. Unions are kept per pair: applications share them.
        merged: dict[tuple[frozenset[str], frozenset[str]], frozenset[str]] = {}

        def spread(app: str) -> Iterator[str]:
            nodes = reach[app]
            for dependant in dependants[app]:
                known = reach[dependant]
                union = merged.get((known, nodes))
                if union is None:
                    union = merged[known, nodes] = known if nodes <= known else known | nodes
                if union is not known:
                    reach[dependant] = union
                yield dependant

        waiting = dict.fromkeys(reach, 0)  # application -> dependencies not yet spread to it
        for app in dependants:
            if app in reach:
                for dependant in dependants[app]:
                    waiting[dependant] += 1
        queue = deque(a for a in dependants if a in reach and not waiting[a])
        while queue:
            for dependant in spread(queue.popleft()):
                waiting[dependant] -= 1
                if not waiting[dependant] and dependant in dependants:
                    queue.append(dependant)
        if any(waiting.values()):
            queue = deque(a for a in dependants if a in reach)
            while queue:
                app = queue.popleft()
                before = [reach[d] for d in dependants[app]]
                for dependant, nodes in zip(spread(app), before, strict=True):
                    if reach[dependant] != nodes and dependant in dependants:
                        queue.append(dependant)
        for app, nodes in reach.items():
            groups.setdefault(nodes, []).append(app)
        #: class id -> its application nodes
        self.members: list[list[str]] = []
        #: node other than an application -> the classes its loss stops
        of_node: dict[str, list[int]] = {}
        class_ids: dict[frozenset[str], int] = {}
        for nodes, members in groups.items():
            class_ids[nodes] = len(self.members)
            self.members.append(members)
            for node in nodes:
                of_node.setdefault(node, []).append(class_ids[nodes])
        self.of_node: dict[str, frozenset[int]] = {node: frozenset(ids) for node, ids in of_node.items()}
        for members in self.members:
            members.sort()  # each class by id: a node's classes are then sorted runs
        #: class id -> how many applications it has
        self.sizes: list[int] = list(map(len, self.members))

    def heaviest(self, class_id: int, weight_of: Callable[[str], float]) -> tuple[float, str]:
        """(weight, node) of the class's heaviest application; of equals, the last by id."""
        members = self.members[class_id]
        weights = list(map(weight_of, members))
        most = max(weights)
        return most, max(compress(members, map(most.__eq__, weights)))

    def applications(self, ids: Iterable[int]) -> frozenset[str]:
        """The application nodes of the given classes."""
        return frozenset(chain.from_iterable(self.members[i] for i in ids))


_NO_NODES: frozenset[str] = frozenset()
_NO_CLASSES: frozenset[int] = frozenset()


class _ApplicationIds(dict[str, str]):
    """Application node -> application id; a node it was not given gets its id cut from the node id."""

    def __missing__(self, node: str) -> str:
        return node.removeprefix("application:")


def _with_dependants(index: CutIndex, app: str) -> set[str]:
    """``index.stopped_by([app])`` for an application on no one's chains: it and what stands on it."""
    dependants = index._dependants
    stopped = {app}
    found = [app]
    for node in found:  # the list grows while it is read: breadth first
        for dependant in dependants.get(node, ()):
            if dependant not in stopped:
                stopped.add(dependant)
                found.append(dependant)
    return stopped


def _exact_sums(values: Iterable[float], count: int) -> bool:
    """Whether sums of up to ``count`` of these values are exact in any order: every value a multiple of
    1/4096 below 2**20 (criticality weights are quarters), and ``count`` below 2**20."""
    return count < 2**20 and all(abs(v) < 2**20 and (v * 4096).is_integer() for v in set(values))


def rank_single_points(
    g: nx.MultiDiGraph,
    index: CutIndex,
    weights: Mapping[str, float],
    *,
    kinds: Iterable[str],
    limit: int = 10,
    where: Callable[[str, str], bool] | None = None,
) -> tuple[CutCandidate, ...]:
    """The nodes of the given kinds whose loss stops the most weight, heaviest first (ties: node id).

    A company, product, region or country is ranked on the index's stop classes: what it stops is a set
    of classes, its weight the sum of theirs, so the hundred thousand applications a company stops are
    neither listed nor summed one by one. An application others depend on is cut as a set of applications.
    Of the ``limit`` shown, only the heaviest stopped application's path is found. The index keeps its
    classes for the next ranking.
    """
    wanted = set(kinds)
    # A node without a weight weighs nothing; summed with map in C.
    node_weight = defaultdict(float, zip(map("application:".__add__, weights), weights.values(), strict=True))
    weight_of = node_weight.__getitem__
    classes = index.stop_classes()
    # A class's weight stands for its members' only when sums are exact in any order (criticality weights
    # are quarters); otherwise each node's applications are summed one by one.
    exact = _exact_sums(node_weight.values(), len(node_weight))
    class_weight = [sum(map(weight_of, members)) for members in classes.members] if exact else []
    # Nodes that stop the very same applications are one single point: show the most concrete one (the
    # application others depend on, then the product or region, then the company) and name the others.
    # An application's cut is keyed by what it stops; another node's by its classes, or, when it stops as
    # many applications as some application's cut does, by what it stops too (so equal sets meet).
    groups: dict[frozenset[int] | frozenset[str], list[tuple[str, str, float]]] = {}
    sizes: dict[frozenset[int] | frozenset[str], int] = {}

    def join(key: frozenset[int] | frozenset[str], size: int, node: str, kind: str, weight: float) -> None:
        group = groups.get(key)
        if group is None:
            groups[key], sizes[key] = [(node, kind, weight)], size
        else:
            group.append((node, kind, weight))

    others = []
    for node in index.nodes:
        kind = str(g.nodes[node].get("kind", "")) if node in g else ""
        if kind not in wanted or node == SELF or (where is not None and not where(node, kind)):
            continue
        if node not in index._apps:
            others.append((node, kind))
            continue
        stopped = index.stopped_by([node]) if node in index._paths else _with_dependants(index, node)
        join(frozenset(stopped), len(stopped), node, kind, round(sum(map(weight_of, stopped)), 4))
    application_sizes = set(sizes.values())
    for node, kind in others:
        ids = classes.of_node.get(node, _NO_CLASSES)
        size = sum(map(classes.sizes.__getitem__, ids))
        if not size:
            continue
        if exact:
            weight = round(sum(map(class_weight.__getitem__, ids)), 4)
        else:
            weight = round(sum(map(weight_of, classes.applications(ids))), 4)
        join(classes.applications(ids) if size in application_sizes else ids, size, node, kind, weight)
    ranked = []
    for key, group in groups.items():
        group.sort(key=lambda c: (_CONCRETE.index(c[1]) if c[1] in _CONCRETE else len(_CONCRETE), c[0]))
        ranked.append((-group[0][2], -sizes[key], group[0][0], group))
    ranked.sort(key=lambda r: r[:3])
    # The shown nodes' applications by id, each id the application's own string (not a new one per node).
    app_ids = _ApplicationIds(zip(map("application:".__add__, weights), weights, strict=True))
    heaviest_of: dict[int, tuple[float, str]] = {}  # class -> its heaviest application (weight, node)
    candidates = []
    for *_, group in ranked[:limit]:
        node, kind, weight = group[0]
        if node in index._apps:
            stopped = index.stopped_by([node])
            ordered = sorted(stopped)  # by id, as every node id starts with "application:"
            heaviest = max(stopped, key=lambda a: (weight_of(a), a))
        else:
            ids = classes.of_node[node]
            ordered = sorted(chain.from_iterable(map(classes.members.__getitem__, ids)))  # sorted runs
            for i in ids:
                if i not in heaviest_of:
                    heaviest_of[i] = classes.heaviest(i, weight_of)
            heaviest = max(map(heaviest_of.__getitem__, ids))[1]
        example = index.via([node], heaviest)
        assert example is not None  # it is among what the node stops
        candidates.append(
            CutCandidate(
                node=node,
                kind=kind,
                applications=tuple(map(app_ids.__getitem__, ordered)),
                weight=weight,
                example=example,
                equivalent=tuple(c[0] for c in group[1:]),
            )
        )
    return tuple(candidates)


_CONCRETE = ("application", "product", "region", "entity", "country")


def node_kind(g: nx.MultiDiGraph, node: str) -> str | None:
    """The kind of a node (application, product, entity, region, country), None when not in the graph."""
    return str(g.nodes[node]["kind"]) if node in g else None

"""The audit: match, graph, assess, scenarios, policy and plan for one landscape, and ``sovereign audit``.

No click, no printing; reports are rendered in memory before anything is written.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..catalog import load_catalog
from ..errors import UserError
from ..model import (
    UNKNOWN,
    Accounting,
    Alternative,
    Application,
    ApplicationAssessment,
    AuditResult,
    Catalog,
    Entity,
    HostingRegion,
    InputFile,
    Inventory,
    LocalFact,
    Policy,
    Portfolio,
    Product,
    ScenarioOutcome,
    SinglePoint,
)

if TYPE_CHECKING:  # networkx is imported only when an audit runs
    from ..graph import CutIndex

__all__ = ["AuditOutcome", "assess_inventory", "run_audit", "summarise"]


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditOutcome:
    result: AuditResult
    index_path: Path
    summary: str
    pdfs: tuple[Path, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class _Landscape:
    """An assessed landscape: the graph and its walker kept for scenarios, and every assessment."""

    graph: Any  # networkx.MultiDiGraph; typed loosely so this module does not import networkx
    walker: Any
    assessments: tuple[ApplicationAssessment, ...]
    labels: dict[str, str]
    warnings: tuple[str, ...]
    assessor: NodeAssessor
    dependencies: dict[str, tuple[str, ...]]  # application id -> the ids it depends on, as resolved
    texts: TextCache
    matcher: Any  # the ProductMatcher, with every name it matched cached


@dataclass(slots=True)
class TextCache:
    """What each distinct hosting text and data-location text means, each understood once (a national
    inventory repeats them); kept with the landscape for the plan's moved applications."""

    catalog: Catalog
    hosting: dict[tuple[str | None, str | None], Any] = field(default_factory=dict)
    locations: dict[str | None, tuple[str, ...] | None] = field(default_factory=dict)
    _same: dict[Any, Any] = field(default_factory=dict)  # each distinct HostingMatch value, itself

    # The imports only on a text not seen before: an import statement runs on every call, and these are
    # called for every application of the landscape and of the plan's waves.

    def hosting_of(self, app: Application) -> Any:
        """The ``HostingMatch`` of the application's hosting and hosting-party columns."""
        key = (app.hosting, app.hosting_provider)
        found = self.hosting.get(key)
        if found is None:
            from ..catalog import match_hosting

            found = match_hosting(self.catalog, app.hosting, app.hosting_provider)
            # Texts that mean the same give the same object: the audit tells them apart by identity.
            found = self.hosting[key] = self._same.setdefault(found, found)
        return found

    def location_of(self, app: Application) -> tuple[str, ...] | None:
        """The countries of the application's data-location column (None when it says nothing)."""
        text = app.data_location
        locations = self.locations
        if text in locations:
            return locations[text]
        from ..catalog import parse_countries

        found = locations[text] = parse_countries(text)
        return found


def _build_landscape(
    inventory: Inventory,
    catalog: Catalog,
    policy: Policy | None = None,
    matcher: Any = None,
) -> _Landscape:
    """Match, build the graph and assess every application (criticality and weights from the policy)."""
    # Imported here, not at the top: pandas and networkx are slow to import and `catalog validate` needs neither.
    from ..assess import score_criticality
    from ..catalog import ProductMatcher
    from ..graph import build_graph, make_walker, resolve_dependencies
    from ._shapes import ShapeIndex, ShapeTemplate

    matcher = matcher or ProductMatcher(catalog)
    apps = inventory.applications
    matches = {a.app_id: matcher.match(a) for a in apps}
    texts = TextCache(catalog)
    hostings = {a.app_id: texts.hosting_of(a) for a in apps}
    locations = {a.app_id: texts.location_of(a) for a in apps}
    dependencies, warnings = resolve_dependencies(apps)
    warnings += [
        f"{a.source}: hosting '{' / '.join(t for t in (a.hosting, a.hosting_provider) if t)}' is not "
        "understood; the product's defaults apply"
        for a in apps
        if hostings[a.app_id].kind == "unknown" and (a.hosting or a.hosting_provider)
    ]
    organisations = sorted({a.organisation for a in apps if a.organisation})
    g = build_graph(
        catalog,
        apps,
        matches,
        hostings,
        locations,
        dependencies,
        # One organisation by its name; several (a region, the country) as the organisation itself.
        organisation=organisations[0] if len(organisations) == 1 else "Eigen organisatie",
    )

    walker = make_walker(g)
    node_assessor = NodeAssessor(g, walker, catalog, policy)
    criticality_model = node_assessor.criticality_model

    # The first application walked with each own number, with its exposure: another one with the same own
    # edges takes what follows from them (parties, lawful access, residency, controller, objectives).
    walked: dict[int, tuple[ApplicationAssessment, Any]] = {}
    # The first node met with each own number: the others' own continuity is its, head renamed (the walk
    # of a new shape meets the applications it depends on, most of them with own edges seen before).
    first_node: dict[int, str] = {}

    def assess_one(app: Application, ids: list[str]) -> ApplicationAssessment:
        for member in ids:
            node = f"application:{member}"
            seen = first_node.setdefault(own[member], node)
            if seen != node:
                walker.own_like(node, seen)
        number = own[app.app_id]
        like = walked.get(number)
        if like is None:
            like = walked[number] = node_assessor.exposed(app, matches[app.app_id], hostings[app.app_id])
            return like[0]
        return node_assessor.assess_like(app, matches[app.app_id], hostings[app.app_id], like)

    # Walk the graph once per shape (what an application and everything it depends on is matched to and
    # hosted on), not once per row: a national inventory repeats the same shapes in every municipality.
    # An application's own key is a small number per distinct (product, hosting, data location): a shape
    # key of numbers hashes in C, where one of HostingMatch values called Python once per member.
    # Equal hosting matches are one object (TextCache), so the key holds its id and hashes in C; the
    # objects outlive this function in the text cache.
    own_numbers: dict[tuple[Any, ...], int] = {}
    own = {
        a.app_id: own_numbers.setdefault(
            (matches[a.app_id].product, id(hostings[a.app_id]), locations[a.app_id]), len(own_numbers)
        )
        for a in apps
    }
    shapes = ShapeIndex(own, dependencies, {a.app_id: a.name for a in apps})
    alone: dict[int, ShapeTemplate] = {}  # the shapes of applications without dependencies, by own number
    assessments = []
    for app in apps:
        app_id = app.app_id
        if dependencies.get(app_id):
            shape, ids = shapes.key(app_id)
            template = shapes.cache.get(shape)
        else:
            shape, ids = None, [app_id]
            template = alone.get(own[app_id])
        if template is None:
            assessment = assess_one(app, ids)
            template = ShapeTemplate(assessment, ids)
            if shape is None:
                alone[own[app_id]] = template
            else:
                shapes.cache[shape] = template
        else:
            assessment = template.assessment_of(
                app, matches[app_id], score_criticality(app, criticality_model)[0], ids
            )
        assessments.append(assessment)
    # Every node gets a label (scenarios may name any), and so does every product offered as a suggestion.
    labels = {str(n): str(data.get("label", n)) for n, data in g._node.items()}  # the node dicts themselves
    for match in matches.values():
        for pid, _ in match.suggestions:
            labels.setdefault(f"product:{pid}", catalog.products[pid].name)
    return _Landscape(
        graph=g,
        walker=walker,
        assessments=tuple(sorted(assessments, key=attrgetter("application.app_id"))),
        labels=labels,
        warnings=tuple(warnings),
        assessor=node_assessor,
        dependencies=dependencies,
        texts=texts,
        matcher=matcher,
    )


class NodeAssessor:
    """Assess an application from its node in a landscape graph (the three axes, SEAL, controller, scores)."""

    def __init__(self, g: Any, walker: Any, catalog: Catalog, policy: Policy | None) -> None:
        from ..assess import DEFAULT_CRITICALITY

        self.g = g
        self.walker = walker
        self.catalog = catalog
        self.blocs = {code: j.bloc for code, j in catalog.jurisdictions.items()}
        self.criticality_model = policy.criticality if policy else DEFAULT_CRITICALITY
        self.weight_set = policy.seal_weights if policy else None

    def assess(self, app: Application, node_id: str, match: Any, hosting: Any) -> ApplicationAssessment:
        """``app`` as the graph has it under ``application:<node_id>`` (paths start at that node)."""
        from ..graph import expose

        return self._figures(app, match, hosting, expose(self.g, node_id, self.walker))

    def assess_like(
        self, app: Application, match: Any, hosting: Any, like: tuple[ApplicationAssessment, Any]
    ) -> ApplicationAssessment:
        """``app`` (under its own id), whose own edges equal those of ``like``, an assessment with its
        exposure: the figures that follow from the own edges alone are ``like``'s, the rest is worked out
        (``expose_like``). The same as ``assess``, without walking the own edges again."""
        from ..graph import expose_like

        template, like_exposure = like
        exposure = expose_like(self.g, app.app_id, self.walker, like_exposure, template.application.app_id)
        return self._figures(app, match, hosting, exposure, like=template)

    def exposed(self, app: Application, match: Any, hosting: Any) -> tuple[ApplicationAssessment, Any]:
        """``assess`` of ``app`` under its own id, with the exposure it was worked out from."""
        from ..graph import expose

        exposure = expose(self.g, app.app_id, self.walker)
        return self._figures(app, match, hosting, exposure), exposure

    def _figures(
        self,
        app: Application,
        match: Any,
        hosting: Any,
        exposure: Any,
        like: ApplicationAssessment | None = None,
    ) -> ApplicationAssessment:
        """The assessment from an exposure; with ``like`` (an application with the same own edges) its
        controller, objectives and weighted score, which follow from the own edges alone, are taken over."""
        from ..assess import score_criticality, score_seal

        blocs = self.blocs
        seal, seal_reason = score_seal(exposure, blocs, matched=match.product is not None)
        if like is not None:
            controller, objectives, weighted = like.controller, like.objectives, like.weighted_score
        else:
            from ..assess import controller_ref, party_seats, score_objectives, score_weighted
            from ..graph import node_labels

            product = self.catalog.products.get(match.product) if match.product else None
            objectives = score_objectives(
                exposure,
                blocs,
                open_source=product.open_source if product else None,
                open_standards=len(product.open_standards) if product else 0,
            )
            primary_label = node_labels(self.g, [exposure.primary] if exposure.primary else [])
            controller = controller_ref(exposure.primary, primary_label, party_seats(exposure.parties))
            weight_set = self.weight_set
            weighted = score_weighted(objectives, weight_set.weights) if weight_set else None
        return ApplicationAssessment(
            application=app,
            match=match,
            lawful_access=exposure.lawful_access,
            residency=exposure.residency,
            continuity=exposure.continuity,
            seal=seal,
            seal_reason=seal_reason,
            criticality=score_criticality(app, self.criticality_model)[0],
            controller=controller,
            hosting_region=hosting.region,
            hosting_kind=hosting.kind,
            objectives=objectives,
            weighted_score=weighted,
        )


def _standard_scenarios(
    landscape: _Landscape, portfolio: Portfolio
) -> tuple[tuple[ScenarioOutcome, ...], tuple[SinglePoint, ...], CutIndex]:
    """The report's standard scenarios (US services stop, the largest controller withdraws, the largest
    platform is down), the ten single points of failure, and the cut index (the plan's exits use it too)."""
    from ..assess import score_scenario, score_single_points
    from ..graph import build_cut_index, rank_single_points

    by_id = {a.application.app_id: a for a in landscape.assessments}
    weights = {k: a.criticality for k, a in by_id.items()}
    g = landscape.graph
    index = build_cut_index(g, landscape.walker)
    scenarios = [score_scenario("us-services-stop", index.cut(["country:US"]), by_id)]
    controllers = [c for c in portfolio.concentration if c.controller.id not in ("self", UNKNOWN)]
    if controllers:
        top = max(controllers, key=lambda c: (c.criticality_share, c.applications, c.controller.id))
        scenarios.append(
            score_scenario("largest-controller-withdraws", index.cut([f"entity:{top.controller.id}"]), by_id)
        )
    platforms = rank_single_points(
        g,
        index,
        weights,
        kinds=("product", "region"),
        limit=1,
        where=lambda node, kind: kind == "region" or g.nodes[node].get("delivery") in ("iaas", "paas"),
    )
    if platforms:
        scenarios.append(score_scenario("largest-platform-down", index.cut([platforms[0].node]), by_id))
    points = rank_single_points(
        g, index, weights, kinds=("product", "region", "entity", "application"), limit=10
    )
    return tuple(scenarios), score_single_points(points, by_id), index


def assess_inventory(
    inventory: Inventory,
    catalog: Catalog,
    *,
    date: str,
    inputs: Sequence[InputFile] = (),
    policy: Policy | None = None,
    plan_effort: str | None = None,
    on_phase: Callable[[str], None] | None = None,
) -> AuditResult:
    """Match, graph and assess an inventory against a catalog and a policy; the whole audit without I/O.

    With ``plan_effort`` (low, medium or high) the result also carries a migration plan. ``on_phase`` is
    told the name of each phase as it ends (the benchmark's ``bench.phases`` times them).
    """
    from ..assess import METHOD_VERSION, score_portfolio
    from ..policy import evaluate_policy

    phase = on_phase or (lambda name: None)
    landscape = _build_landscape(inventory, catalog, policy)
    phase("match, graph and assess")
    assessments = landscape.assessments
    apps = inventory.applications
    unresolved = landscape.warnings
    labels = landscape.labels
    portfolio = score_portfolio(assessments)
    scenarios, single_points, cut_index = _standard_scenarios(landscape, portfolio)
    phase("portfolio, scenarios, single points")
    local = _local_knowledge(catalog, assessments)
    inventory = Inventory(
        applications=inventory.applications,
        merged=inventory.merged,
        rejected=inventory.rejected,
        rows_read=inventory.rows_read,
        warnings=(*inventory.warnings, *unresolved),
    )
    result = AuditResult(
        tool_version=__version__,
        method_version=METHOD_VERSION,
        catalog_digest=catalog.digest,
        date=date,
        inputs=tuple(inputs),
        accounting=Accounting(
            read=inventory.rows_read,
            applications=len(apps),
            merged=len(inventory.merged),
            rejected=len(inventory.rejected),
        ),
        inventory=inventory,
        assessments=assessments,
        portfolio=portfolio,
        labels=labels,
        catalog=catalog,
        local_knowledge=local,
        scenarios=scenarios,
        single_points=single_points,
        policy=policy,
        findings=evaluate_policy(policy, assessments, catalog) if policy else (),
        graph_size=_graph_size(landscape.graph),
    )
    phase("policy")
    if plan_effort is not None:
        from ._plan import _make_plan  # here, not at the top: _plan builds on this module

        plan = _make_plan(result, landscape, catalog, policy, plan_effort, cut_index=cut_index)
        result = replace(result, plan=plan)
        phase("plan")
    # networkx keeps views of the graph (``g.degree``, ``g.edges``) in the graph itself, a reference cycle:
    # while the cycle collector is paused (run_audit) the graph would outlive the audit and stay in memory
    # through rendering. Emptying it frees its nodes and edges now.
    landscape.graph.clear()
    return result


def _local_knowledge(catalog: Catalog, assessments: Sequence[ApplicationAssessment]) -> tuple[LocalFact, ...]:
    """Every local overlay record, whether it replaced a shipped one, and the applications it touches."""
    node_prefix = {"entity": "entity:", "product": "product:", "hosting": "region:"}
    facts = []
    tables: tuple[tuple[str, Sequence[Entity | Product | HostingRegion | Alternative]], ...] = (
        ("entity", list(catalog.entities.values())),
        ("product", list(catalog.products.values())),
        ("hosting", list(catalog.hosting.values())),
        ("alternative", list(catalog.alternatives.values())),
    )
    for kind, records in tables:
        for record in sorted(records, key=lambda r: r.id):
            if record.origin != "local":
                continue
            node = node_prefix.get(kind, "?") + record.id
            touched = sorted(
                a.application.app_id
                for a in assessments
                if a.match.product == record.id
                or any(
                    node in path
                    for axis in (a.lawful_access, a.residency, a.continuity)
                    for path in axis.paths
                )
            )
            facts.append(
                LocalFact(
                    kind=kind,
                    id=record.id,
                    name=record.product if isinstance(record, Alternative) else record.name,
                    reason=record.reason or "",
                    file=record.file or "",
                    overrides=f"{kind}:{record.id}" in catalog.overridden,
                    applications=tuple(touched),
                )
            )
    return tuple(facts)


def _graph_size(g: Any) -> tuple[int, int]:
    """(nodes, edges) of the landscape graph. The edges are counted on networkx's own adjacency (neighbour
    -> edge keys): ``number_of_edges`` builds a degree view and took 0.4 s for a national graph."""
    from itertools import chain

    return len(g), sum(map(len, chain.from_iterable(map(dict.values, g._succ.values()))))


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Python's cycle collector off while the audit builds its (acyclic) data: with a national inventory's
    millions of live objects each full collection walks them all, a quarter of the time at 10,000 rows.
    Reference counting still frees everything; the collector runs again afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def run_audit(
    paths: Sequence[Path],
    *,
    catalogs: Sequence[Path] = (),
    out: Path,
    lang: str = "nl",
    date: str,
    policy: Path | None = None,
    input_format: str | None = None,
    pdf: bool = False,
) -> AuditOutcome:
    """``sovereign audit``: read, assess, render in memory, then write the report folder.

    With ``pdf``, both pages are also printed to PDF through headless Chromium; a missing Chromium is
    reported before anything is read or written.
    """
    from ..catalog import load_policy
    from ..inventory import read_inventories
    from ..report import render_report, write_report
    from ..report.pdf import find_chromium, print_report_pdfs

    if pdf and find_chromium() is None:
        raise UserError(
            "--pdf: Chromium was not found, so no PDF can be written"
            "\nHint: install Chromium (Debian/Ubuntu: apt-get install chromium) or leave out --pdf."
        )
    with _without_cycle_collection():
        catalog = load_catalog(catalogs)
        rules = load_policy(policy)
        inventory, inputs = read_inventories(paths, format=input_format)
        result = assess_inventory(
            inventory, catalog, date=date, inputs=inputs, policy=rules, plan_effort="high"
        )
        files = render_report(result, lang=lang)
        # Still without the collector: the writers stream through every table, and a full collection over
        # the live result would walk all of it for garbage it does not hold.
        write_report(files, out)
    pdfs = tuple(print_report_pdfs(out, date=date)) if pdf else ()
    return AuditOutcome(result=result, index_path=out / "index.html", summary=summarise(result), pdfs=pdfs)


def summarise(result: AuditResult) -> str:
    """A few lines for the terminal (English, like all CLI output)."""
    a, p = result.accounting, result.portfolio
    files = len(result.inputs)
    seal = ", ".join(f"{k}: {v}" for k, v in p.seal_distribution.items())
    top = p.concentration[0] if p.concentration else None
    lines = [
        f"Read {a.read} rows from {files} file{'s' if files != 1 else ''}: {a.applications} applications, "
        f"{a.merged} merged duplicates, {a.rejected} rejected.",
        f"Matched to the catalog: {p.matched_share:.0%}; something unknown: {p.unknown_share:.0%}.",
        f"US lawful access: {p.us_lawful_access_share:.0%} of applications "
        f"({p.us_lawful_access_weighted:.0%} weighted by criticality); "
        f"US continuity: {p.us_continuity_share:.0%}; data in the US: {p.us_residency_share:.0%}.",
        f"SEAL levels: {seal}.",
    ]
    if top:
        lines.append(
            f"Largest controller: {top.controller.name} ({top.controller.country or 'unknown'}), "
            f"{top.share:.0%} of applications; HHI {p.hhi:.0f}."
        )
    if result.policy is not None:
        errors = sum(1 for f in result.findings if f.severity == "error")
        warnings = len(result.findings) - errors
        apps = len({f.app_id for f in result.findings if f.app_id})
        lines.append(
            f"Policy '{result.policy.id}': {errors} errors and {warnings} warnings in {apps} applications."
        )
    if result.inventory.warnings:
        lines.append(f"{len(result.inventory.warnings)} warnings: see the report's data-quality section.")
    return "\n".join(lines)

"""Wires the stages: ingest -> match -> graph -> assess -> report. The one entry point per CLI command.

Each function takes typed arguments and returns a plain outcome; the CLI prints it. Nothing here imports
click or exits. Reports are rendered completely in memory before anything is written, so a failure leaves no
half-written output.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import __version__
from .catalog import load_catalog
from .errors import UserError
from .model import (
    UNKNOWN,
    Accounting,
    Alternative,
    AlternativeOption,
    Application,
    ApplicationAssessment,
    ApplicationOptions,
    AuditResult,
    Catalog,
    CheckOutcome,
    Confidence,
    Entity,
    HostingRegion,
    InputFile,
    Inventory,
    LocalFact,
    Location,
    MigrationOption,
    Plan,
    Policy,
    Portfolio,
    Product,
    ScenarioOutcome,
    SinglePoint,
    Wave,
)

__all__ = ["AuditOutcome", "assess_inventory", "run_audit", "validate_catalog"]


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditOutcome:
    result: AuditResult
    index_path: Path
    summary: str


@dataclass(frozen=True, slots=True, kw_only=True)
class _Landscape:
    """An assessed landscape: the graph and its walker kept for scenarios, and every assessment."""

    graph: Any  # networkx.MultiDiGraph; typed loosely so this module does not import networkx
    walker: Any
    assessments: tuple[ApplicationAssessment, ...]
    labels: dict[str, str]
    warnings: tuple[str, ...]


def _build_landscape(
    inventory: Inventory, catalog: Catalog, policy: Policy | None = None, matcher: Any = None
) -> _Landscape:
    """Match, build the graph and assess every application (criticality and weights from the policy)."""
    # Imported here, not at the top: pandas and networkx are slow to import and `catalog validate` needs neither.
    from .assess import (
        DEFAULT_CRITICALITY,
        controller_ref,
        party_seats,
        score_criticality,
        score_objectives,
        score_seal,
        score_weighted,
    )
    from .catalog import ProductMatcher, match_hosting, parse_countries
    from .graph import build_graph, expose, make_walker, node_labels, resolve_dependencies

    matcher = matcher or ProductMatcher(catalog)  # planning reuses one matcher for many small landscapes
    apps = inventory.applications
    matches = {a.app_id: matcher.match(a) for a in apps}
    hostings = {a.app_id: match_hosting(catalog, a.hosting, a.hosting_provider) for a in apps}
    locations = {a.app_id: parse_countries(a.data_location) for a in apps}
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
        organisation=" / ".join(organisations) or "Eigen organisatie",
    )

    walker = make_walker(g)
    blocs = {code: j.bloc for code, j in catalog.jurisdictions.items()}
    assessments = []
    for app in apps:
        exposure = expose(g, app.app_id, walker)
        match = matches[app.app_id]
        seal, seal_reason = score_seal(exposure, blocs, matched=match.product is not None)
        criticality, _ = score_criticality(app, policy.criticality if policy else DEFAULT_CRITICALITY)
        product = catalog.products.get(match.product) if match.product else None
        objectives = score_objectives(
            exposure,
            blocs,
            open_source=product.open_source if product else None,
            open_standards=len(product.open_standards) if product else 0,
        )
        weight_set = policy.seal_weights if policy else None
        seats = party_seats(exposure.parties)
        primary_label = node_labels(g, [exposure.primary] if exposure.primary else [])
        hosting = hostings[app.app_id]
        assessments.append(
            ApplicationAssessment(
                application=app,
                match=match,
                lawful_access=exposure.lawful_access,
                residency=exposure.residency,
                continuity=exposure.continuity,
                seal=seal,
                seal_reason=seal_reason,
                criticality=criticality,
                controller=controller_ref(exposure.primary, primary_label, seats),
                hosting_region=hosting.region,
                hosting_kind=hosting.kind,
                objectives=objectives,
                weighted_score=score_weighted(objectives, weight_set.weights) if weight_set else None,
            )
        )
    # Every node gets a label (scenarios may name any), and so does every product offered as a suggestion.
    labels = {str(n): str(g.nodes[n].get("label", n)) for n in g.nodes}
    for match in matches.values():
        for pid, _ in match.suggestions:
            labels.setdefault(f"product:{pid}", catalog.products[pid].name)
    return _Landscape(
        graph=g,
        walker=walker,
        assessments=tuple(sorted(assessments, key=lambda a: a.application.app_id)),
        labels=labels,
        warnings=tuple(warnings),
    )


def _standard_scenarios(
    landscape: _Landscape, portfolio: Portfolio
) -> tuple[tuple[ScenarioOutcome, ...], tuple[SinglePoint, ...]]:
    """The report's standard scenarios (US services stop, the largest controller withdraws, the largest
    platform is down) and the ten single points of failure."""
    from .assess import score_scenario, score_single_points
    from .graph import build_cut_index, rank_single_points

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
    platforms = [
        c
        for c in rank_single_points(g, index, weights, kinds=("product", "region"), limit=50)
        if c.kind == "region" or g.nodes[c.node].get("delivery") in ("iaas", "paas")
    ]
    if platforms:
        scenarios.append(score_scenario("largest-platform-down", index.cut([platforms[0].node]), by_id))
    points = rank_single_points(
        g, index, weights, kinds=("product", "region", "entity", "application"), limit=10
    )
    return tuple(scenarios), score_single_points(points, by_id)


def assess_inventory(
    inventory: Inventory,
    catalog: Catalog,
    *,
    date: str,
    inputs: Sequence[InputFile] = (),
    policy: Policy | None = None,
    plan_effort: str | None = None,
) -> AuditResult:
    """Match, graph and assess an inventory against a catalog and a policy; the whole audit without I/O.

    With ``plan_effort`` (low, medium or high) the result also carries a migration plan.
    """
    from .assess import METHOD_VERSION, score_portfolio
    from .policy import evaluate_policy

    landscape = _build_landscape(inventory, catalog, policy)
    assessments = landscape.assessments
    apps = inventory.applications
    unresolved = landscape.warnings
    labels = landscape.labels
    portfolio = score_portfolio(assessments)
    scenarios, single_points = _standard_scenarios(landscape, portfolio)
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
    )
    if plan_effort is not None:
        result = replace(result, plan=_make_plan(result, landscape, catalog, policy, plan_effort))
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


def run_audit(
    paths: Sequence[Path],
    *,
    catalogs: Sequence[Path] = (),
    out: Path,
    lang: str = "nl",
    date: str,
    policy: Path | None = None,
) -> AuditOutcome:
    """``sovereign audit``: read, assess, render in memory, then write the report folder."""
    from .catalog import load_policy
    from .inventory import read_inventories
    from .report import render_report, write_report

    catalog = load_catalog(catalogs)
    rules = load_policy(policy)
    inventory, inputs = read_inventories(paths)
    result = assess_inventory(inventory, catalog, date=date, inputs=inputs, policy=rules, plan_effort="high")
    files = render_report(result, lang=lang)
    write_report(files, out)
    return AuditOutcome(result=result, index_path=out / "index.html", summary=summarise(result))


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


def validate_catalog(catalogs: Sequence[Path] = ()) -> str:
    """``sovereign catalog validate``: load everything (raises on any problem) and describe what was read."""
    catalog = load_catalog(catalogs)
    return (
        f"Catalog is valid: {len(catalog.entities)} entities, {len(catalog.products)} products, "
        f"{len(catalog.hosting)} hosting regions, {len(catalog.alternatives)} alternatives, "
        f"{len(catalog.jurisdictions)} jurisdictions, "
        f"{len(catalog.laws)} laws ({catalog.digest})."
    )


# ---------------------------------------------------------------------------------------------------------
# catalog show, search, stale, stats


def show_catalog_record(text: str, catalogs: Sequence[Path] = ()) -> dict[str, Any]:
    """``sovereign catalog show``: one record with its derived controller and chain, as plain data."""
    from .catalog import describe_record, find_record

    catalog = load_catalog(catalogs)
    return describe_record(catalog, find_record(catalog, text))


def format_catalog_record(data: dict[str, Any]) -> str:
    """The text form of ``show_catalog_record`` for the terminal."""

    def entity(ref: dict[str, Any] | None) -> str:
        return f"{ref['name']} ({ref['country'] or 'country unknown'})" if ref else "-"

    def chain(links: list[dict[str, Any]]) -> str:
        text = f"{links[0]['name']} ({links[0]['country'] or '?'})"
        for below, link in itertools.pairwise(links):
            held = f"owned {below['share']:g} % by" if below.get("share") is not None else "controlled by"
            text += f", {held} {link['name']} ({link['country'] or '?'})"
        return text

    lines = [
        f"{data['name']}  [{data['kind']} {data['id']}, {data['confidence']}"
        + (", local" if data.get("origin") == "local" else "")
        + "]"
    ]
    if data["kind"] == "product":
        lines += [
            f"  delivery:   {data['delivery']}; category {data['category'] or '-'}",
            f"  vendor:     {chain(data['vendor_chain'])}",
            f"  operator:   {chain(data['operator_chain']) if data['operator'] else '- (whoever hosts it)'}",
            f"  runs on:    {', '.join(r['name'] for r in data['runs_on']) or '-'}",
            f"  data in:    {', '.join(data['data_locations']) or 'unknown'}",
        ]
        if data["alternatives"]:
            lines.append(f"  alternatives: {', '.join(data['alternatives'])}")
    elif data["kind"] == "entity":
        lines += [f"  seat:       {data['country'] or 'unknown'}", f"  control:    {chain(data['chain'])}"]
        if data["supplies"]:
            lines.append(f"  supplies:   {', '.join(data['supplies'])}")
    elif data["kind"] == "hosting":
        lines += [
            f"  location:   {data['city'] or '-'}, {data['country'] or 'unknown'}",
            f"  operator:   {chain(data['chain'])}",
        ]
    elif data["kind"] == "alternative":
        lines += [
            f"  product:    {data['product']}; vendor chain {chain(data['chain'])}",
            f"  replaces:   {', '.join(data['replaces']['products'] + data['replaces']['categories'])}",
            f"  hosting:    {', '.join(data['hosting_options']) or '-'}; maturity {data['maturity']}; "
            f"effort {data['effort']}",
            f"  adopters:   {', '.join(a['name'] for a in data['adopters']) or '-'}",
        ]
    elif data["kind"] == "jurisdiction":
        lines += [
            f"  bloc:       {data['bloc']}",
            f"  laws:       {', '.join(x['name'] for x in data['laws']) or '-'}",
        ]
    elif data["kind"] == "law":
        lines += [f"  country:    {data['country']}", f"  {data['summary']}"]
    if data.get("controller"):
        lines.append(f"  controller: {entity(data['controller'])}")
    if data.get("notes"):
        lines.append(f"  notes:      {data['notes']}")
    if data.get("reason"):
        lines.append(f"  reason:     {data['reason']}")
    lines.append("  sources:" + ("" if data["sources"] else " none (inferred)"))
    lines += [f"    - {s['title']} <{s['url']}> (checked {s['checked']})" for s in data["sources"]]
    return "\n".join(lines)


def search_catalog_records(text: str, catalogs: Sequence[Path] = ()) -> list[dict[str, Any]]:
    """``sovereign catalog search``: records that contain or resemble the text."""
    from .catalog import search_catalog

    return search_catalog(load_catalog(catalogs), text)


def stale_catalog_facts(catalogs: Sequence[Path] = (), *, date: str, months: int) -> list[dict[str, Any]]:
    """``sovereign catalog stale``: records not checked within ``months`` of ``date``."""
    from .catalog import stale_facts

    return stale_facts(load_catalog(catalogs), date=date, months=months)


def catalog_statistics(catalogs: Sequence[Path] = ()) -> dict[str, Any]:
    """``sovereign catalog stats``."""
    from .catalog import catalog_stats

    return catalog_stats(load_catalog(catalogs))


# ---------------------------------------------------------------------------------------------------------
# scenario

CUT_KINDS = ("country", "entity", "product", "region", "application")


@dataclass(frozen=True, slots=True, kw_only=True)
class ScenarioRun:
    outcome: ScenarioOutcome
    cuts: tuple[tuple[str, str, str], ...]  # (as given, node id, label)
    labels: dict[str, str]
    applications: int


def _resolve_cut(spec: str, catalog: Catalog, landscape: _Landscape) -> str:
    """'country:US', 'entity:Microsoft', 'product:Azure', 'application:Identity (Entra ID)' -> a node id."""
    from .catalog import find_record, normalise

    kind, _, name = spec.partition(":")
    kind, name = kind.strip().lower(), name.strip()
    if kind not in CUT_KINDS or not name:
        raise UserError(f"--cut '{spec}': expected KIND:NAME with KIND one of {', '.join(CUT_KINDS)}")
    if kind == "country":
        wanted = normalise(name)
        for code, j in sorted(catalog.jurisdictions.items()):
            if wanted in (code.lower(), normalise(j.name)):
                return f"country:{code}"
        raise UserError(f"--cut '{spec}': '{name}' is not a country code or name in the catalog")
    if kind == "application":
        wanted = normalise(name)
        for a in landscape.assessments:
            if wanted in (normalise(a.application.app_id), normalise(a.application.name)):
                return f"application:{a.application.app_id}"
        raise UserError(f"--cut '{spec}': no application '{name}' in the inventory")
    record = find_record(catalog, name)
    prefix = {"entity": "entity", "product": "product", "hosting": "region"}.get(record.kind)
    if prefix is None or (kind == "entity") != (prefix == "entity"):
        raise UserError(f"--cut '{spec}': '{name}' is a {record.kind} in the catalog, not a {kind}")
    return f"{prefix}:{record.id}"


def run_scenario(paths: Sequence[Path], cuts: Sequence[str], *, catalogs: Sequence[Path] = ()) -> ScenarioRun:
    """``sovereign scenario``: what stops when the given countries, entities, products or regions are cut."""
    from .assess import score_scenario
    from .graph import build_cut_index
    from .inventory import read_inventories

    catalog = load_catalog(catalogs)
    inventory, _ = read_inventories(paths)
    landscape = _build_landscape(inventory, catalog)
    nodes = [_resolve_cut(spec, catalog, landscape) for spec in cuts]
    index = build_cut_index(landscape.graph, landscape.walker)
    by_id = {a.application.app_id: a for a in landscape.assessments}
    outcome = score_scenario("custom", index.cut(nodes), by_id)
    labels = landscape.labels
    resolved = tuple((spec, node, labels.get(node, node)) for spec, node in zip(cuts, nodes, strict=True))
    return ScenarioRun(outcome=outcome, cuts=resolved, labels=labels, applications=len(by_id))


def format_scenario(run: ScenarioRun) -> str:
    """The terminal text of a scenario: what was cut, what stops (by department), what stays uncertain."""
    o = run.outcome

    def path(via: tuple[str, ...]) -> str:
        return " -> ".join(run.labels.get(n, n) if i % 2 == 0 else n for i, n in enumerate(via))

    lines = ["Cut: " + "; ".join(f"{label} ({node})" for _, node, label in run.cuts)]
    lines.append(
        f"{len(o.stopped)} of {run.applications} applications stop "
        f"({o.criticality_share:.0%} of all criticality); {o.unaffected} unaffected"
        + (f"; {len(o.uncertain)} uncertain (chain partly unknown)." if o.uncertain else ".")
    )
    if o.stopped:
        lines.append("By department:")
        lines += [
            f"  {d:<40} {n:>3} application{'s' if n != 1 else ''}, criticality {c:g}"
            for d, n, c in o.by_department
        ]
        lines.append("What stops (most critical first):")
        for s in sorted(o.stopped, key=lambda s: (-s.criticality, s.name)):
            lines.append(f"  {s.name} [{s.department or '-'}, criticality {s.criticality:g}]")
            lines.append(f"      via {path(s.via)}")
    if o.uncertain:
        lines.append("Uncertain: " + ", ".join(run.labels.get(f"application:{a}", a) for a in o.uncertain))
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------------
# check


def _candidate_product(candidate: str, catalog: Catalog, candidate_file: Path | None) -> Product:
    from .catalog import find_record

    if candidate_file is not None:
        defined = [p for p in catalog.products.values() if p.origin == "candidate"]
        if len(defined) != 1:
            raise UserError(
                f"{candidate_file}: a candidate file must define exactly one product under 'products:', "
                f"found {len(defined)}"
            )
        return defined[0]
    record = find_record(catalog, candidate)
    if isinstance(record.record, Alternative):
        return catalog.products[record.record.product]
    if not isinstance(record.record, Product):
        raise UserError(
            f"'{candidate}' is a {record.kind} in the catalog, not a product"
            "\nHint: name a product, or describe a new one in a YAML file (see `sovereign check --help`)"
        )
    return record.record


def run_check(
    candidate: str,
    *,
    inventories: Sequence[Path] = (),
    catalogs: Sequence[Path] = (),
    policy: Path | None = None,
    business_critical: bool | None = None,
    personal_data: bool | None = None,
    biv: str | None = None,
    depends_on: Sequence[str] = (),
    hosting: str | None = None,
    data_location: str | None = None,
    name: str | None = None,
    date: str,
) -> CheckOutcome:
    """``sovereign check``: the candidate against the landscape and the policy, with alternatives."""
    from .catalog import load_policy
    from .check import (
        CANDIDATE_ID,
        alternatives_for,
        candidate_findings,
        exit_questions,
        portfolio_delta,
        rank_alternatives,
        verdict,
    )
    from .inventory import parse_biv, read_inventories

    candidate_file = Path(candidate) if candidate.endswith((".yaml", ".yml")) else None
    if candidate_file is not None and not candidate_file.is_file():
        raise UserError(f"{candidate}: candidate file does not exist")
    catalog = load_catalog(catalogs, candidate=candidate_file)
    rules = load_policy(policy)
    product = _candidate_product(candidate, catalog, candidate_file)
    rating = None
    if biv:
        try:
            rating = parse_biv(biv)
        except ValueError:
            rating = None
        if rating is None:
            raise UserError(f"--biv '{biv}' is not a BIV rating\nHint: write it as 2/3/3 or H/M/L")
    if inventories:
        inventory, _ = read_inventories(inventories)
    else:
        inventory = Inventory()
    known = {a.name.lower() for a in inventory.applications} | {
        a.app_id.lower() for a in inventory.applications
    }
    for dependency in depends_on:
        if dependency.lower() not in known:
            raise UserError(
                f"--depends-on '{dependency}': no such application in the inventory"
                + ("" if inventories else "\nHint: pass the current landscape with --inventory")
            )

    def as_application(p: Product, app_name: str, app_hosting: str | None) -> Application:
        return Application(
            app_id=CANDIDATE_ID,
            name=app_name,
            source=Location(path=candidate_file.name if candidate_file else "candidate"),
            product=p.name,
            vendor=catalog.entities[p.vendor].name,
            hosting=app_hosting,
            business_critical=business_critical,
            personal_data=personal_data,
            biv=rating,
            depends_on=tuple(depends_on),
            department="candidate",
            data_location=data_location if p is product else None,
        )

    def with_app(app: Application) -> Inventory:
        return Inventory(
            applications=(*inventory.applications, app),
            merged=inventory.merged,
            rejected=inventory.rejected,
            rows_read=inventory.rows_read + 1,
        )

    app = as_application(product, name or product.name, hosting)
    before = assess_inventory(inventory, catalog, date=date, policy=rules)
    after = assess_inventory(with_app(app), catalog, date=date, policy=rules)
    assessed = next(a for a in after.assessments if a.application.app_id == CANDIDATE_ID)

    # Each alternative in the candidate's place, in a landscape of just what the candidate depends on.
    needed = _dependency_closure(inventory, depends_on)
    options = []
    for alternative in alternatives_for(catalog, product.id):
        alt_product = catalog.products[alternative.product]
        # The sovereign way to run an alternative that can be self-hosted is to host it ourselves.
        self_hostable = alt_product.delivery == "on-premise" or "self-hosted" in alternative.hosting_options
        alt_hosting = "on-premise" if self_hostable else None
        alt_app = as_application(alt_product, alt_product.name, alt_hosting)
        small = Inventory(applications=(*needed, alt_app), rows_read=len(needed) + 1)
        landscape = _build_landscape(small, catalog, rules)
        alt_assessed = next(a for a in landscape.assessments if a.application.app_id == CANDIDATE_ID)
        options.append(
            AlternativeOption(
                alternative=alternative,
                assessment=alt_assessed,
                adopters_with_source=sum(1 for a in alternative.adopters if a.source),
            )
        )
    blocs = {code: str(j.bloc) for code, j in catalog.jurisdictions.items()}
    found = candidate_findings(after)
    return CheckOutcome(
        candidate=assessed,
        product=product,
        verdict=verdict(found),
        findings=found,
        deltas=portfolio_delta(before, after, assessed),
        alternatives=rank_alternatives(options, product.id),
        questions=exit_questions(assessed, catalog, blocs),
        result=after,
        landscape_size=len(inventory.applications),
        date=date,
    )


def _dependency_closure(inventory: Inventory, names: Sequence[str]) -> tuple[Application, ...]:
    """The inventory's applications reachable from the named ones over depends_on, those included."""
    index = {a.name.lower(): a for a in inventory.applications} | {
        a.app_id.lower(): a for a in inventory.applications
    }
    seen: dict[str, Application] = {}
    queue = [n.lower() for n in names]
    while queue:
        app = index.get(queue.pop())
        if app is None or app.app_id in seen:
            continue
        seen[app.app_id] = app
        queue += [d.lower() for d in app.depends_on]
    return tuple(seen[k] for k in sorted(seen))


# ---------------------------------------------------------------------------------------------------------
# plan


def _replace_application(
    app: Application, product: Product, catalog: Catalog, hosting: str | None
) -> Application:
    """The application as it would be after moving to ``product`` (same name, department, flags, dependencies)."""
    return replace(
        app,
        product=product.name,
        vendor=catalog.entities[product.vendor].name,
        hosting=hosting,
        hosting_provider=None,
        data_location=None,
        version=None,
    )


def _hosting_for(alternative: Alternative, product: Product) -> str | None:
    """Self-host what can be self-hosted (the sovereign way to run it); otherwise the product's own hosting."""
    if product.delivery == "on-premise" or "self-hosted" in alternative.hosting_options:
        return "on-premise"
    return None


def _rehost_option(before: ApplicationAssessment, catalog: Catalog) -> Alternative | None:
    """Keep the product, leave the non-EU platform: for software we run ourselves on a hyperscaler region or
    platform, self-hosting it (or at a Dutch or European hoster) is an option of its own."""
    product = catalog.products.get(before.match.product or "")
    if product is None or before.hosting_kind not in ("region", "platform"):
        return None
    if product.delivery not in ("on-premise", "hybrid") and not product.open_source:
        return None
    return Alternative(
        id=f"rehost-{product.id}",
        product=product.id,
        replaces_products=(product.id,),
        hosting_options=("self-hosted", "dutch-cloud", "european-cloud"),
        maturity="established",
        effort="medium",
        open_standards=product.open_standards,
        notes="Same product, hosted in our own data centre or at an EU hoster.",
        confidence=Confidence.INFERRED,
    )


def _make_plan(
    result: AuditResult, landscape: _Landscape, catalog: Catalog, policy: Policy | None, max_effort: str
) -> Plan:
    """Options for every application below the bar, quick wins, waves with re-assessed figures, exits."""
    from .assess import score_portfolio
    from .catalog import ProductMatcher
    from .check import alternatives_for, rank_alternatives
    from .graph import build_cut_index, dependants_of, dependency_generations
    from .plan import build_exit_outline, choose_move, explain_option, is_quick_win, rules_broken

    matcher = ProductMatcher(catalog)
    g = landscape.graph
    inventory_apps = {a.application.app_id: a.application for a in result.assessments}
    all_apps = tuple(inventory_apps.values())
    options: list[ApplicationOptions] = []
    for before in result.assessments:
        app = before.application
        broken = rules_broken(app.app_id, result.findings)
        if not broken:
            continue
        assessed: list[AlternativeOption] = []
        needed = _dependency_closure(Inventory(applications=all_apps), app.depends_on)
        candidates = list(alternatives_for(catalog, before.match.product))
        rehost = _rehost_option(before, catalog)
        if rehost is not None:
            candidates.insert(0, rehost)
        for alternative in candidates:
            product = catalog.products[alternative.product]
            moved = _replace_application(app, product, catalog, _hosting_for(alternative, product))
            small = Inventory(applications=(*[n for n in needed if n.app_id != app.app_id], moved))
            after = next(
                a
                for a in _build_landscape(small, catalog, policy, matcher).assessments
                if a.application.app_id == app.app_id
            )
            assessed.append(
                AlternativeOption(
                    alternative=alternative,
                    assessment=after,
                    adopters_with_source=sum(1 for x in alternative.adopters if x.source),
                )
            )
        ranked = rank_alternatives(assessed, before.match.product)
        migration = tuple(
            MigrationOption(
                alternative=o.alternative,
                after=o.assessment,
                adopters_with_source=o.adopters_with_source,
                explanation="",
            )
            for o in ranked
        )
        migration = tuple(
            replace(m, explanation=explain_option(before, m, i)) for i, m in enumerate(migration, 1)
        )
        options.append(
            ApplicationOptions(
                before=before, findings=broken, options=migration, dependants=dependants_of(g, app.app_id)
            )
        )

    # Choose moves; quick wins first, then the rest in dependency order.
    moves = {
        o.before.application.app_id: (o, m) for o in options if (m := choose_move(o, max_effort)) is not None
    }
    quick = sorted(app_id for app_id, (o, m) in moves.items() if is_quick_win(o, m))
    rest = [app_id for app_id in moves if app_id not in quick]
    groups = [tuple(quick)] if quick else []
    groups += [tuple(gen) for gen in dependency_generations(g, rest)]

    waves: list[Wave] = []
    current = dict(inventory_apps)
    for number, group in enumerate(groups, 0 if quick else 1):
        for app_id in group:
            move = moves[app_id][1]
            product = catalog.products[move.alternative.product]
            current[app_id] = _replace_application(
                current[app_id], product, catalog, _hosting_for(move.alternative, product)
            )
        changed = Inventory(applications=tuple(current[k] for k in inventory_apps))
        projected = score_portfolio(_build_landscape(changed, catalog, policy, matcher).assessments)
        waves.append(
            Wave(
                number=number,
                moves=tuple((a, moves[a][1].alternative.id) for a in group),
                projected=projected,
            )
        )

    # Exit outlines for business-critical applications at SEAL 0 or 1.
    index = build_cut_index(g, landscape.walker)
    exits = []
    for o in options:
        before = o.before
        if before.application.business_critical is not True or before.seal is None or before.seal > 1:
            continue
        current_product = catalog.products.get(before.match.product or "")
        controller = f"entity:{before.controller.id}" if before.controller else None
        cut = index.cut([controller]) if controller else None
        stops = tuple(s.app_id for s in cut.stopped) if cut else ()
        exits.append(build_exit_outline(o, current_product, stops))
    return Plan(
        baseline=result.portfolio,
        options=tuple(options),
        quick_wins=tuple(quick),
        waves=tuple(waves),
        exits=tuple(exits),
        max_effort=max_effort,
    )


def run_plan(
    paths: Sequence[Path],
    *,
    catalogs: Sequence[Path] = (),
    policy: Path | None = None,
    max_effort: str = "high",
    date: str,
) -> AuditResult:
    """``sovereign plan``: the audit with its migration plan, nothing written."""
    from .catalog import load_policy
    from .inventory import read_inventories

    catalog = load_catalog(catalogs)
    rules = load_policy(policy)
    inventory, inputs = read_inventories(paths)
    return assess_inventory(
        inventory, catalog, date=date, inputs=inputs, policy=rules, plan_effort=max_effort
    )

"""Wires the stages: ingest -> match -> graph -> assess -> report. The one entry point per CLI command.

Each function takes typed arguments and returns a plain outcome; the CLI prints it. Nothing here imports
click or exits. Reports are rendered completely in memory before anything is written, so a failure leaves no
half-written output.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .catalog import load_catalog
from .model import Accounting, ApplicationAssessment, AuditResult, Catalog, InputFile, Inventory

__all__ = ["AuditOutcome", "assess_inventory", "run_audit", "validate_catalog"]


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditOutcome:
    result: AuditResult
    index_path: Path
    summary: str


def assess_inventory(
    inventory: Inventory, catalog: Catalog, *, date: str, inputs: Sequence[InputFile] = ()
) -> AuditResult:
    """Match, graph and assess an inventory against a catalog; the whole audit without any I/O."""
    # Imported here, not at the top: pandas and networkx are slow to import and `catalog validate` needs neither.
    from .assess import (
        METHOD_VERSION,
        controller_ref,
        party_seats,
        score_criticality,
        score_portfolio,
        score_seal,
    )
    from .catalog import ProductMatcher, match_hosting, parse_countries
    from .graph import build_graph, expose, make_walker, node_labels, resolve_dependencies

    matcher = ProductMatcher(catalog)
    apps = inventory.applications
    matches = {a.app_id: matcher.match(a) for a in apps}
    hostings = {a.app_id: match_hosting(catalog, a.hosting, a.hosting_provider) for a in apps}
    locations = {a.app_id: parse_countries(a.data_location) for a in apps}
    dependencies, unresolved = resolve_dependencies(apps)
    unresolved += [
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
    used_nodes: set[str] = set()
    for app in apps:
        exposure = expose(g, app.app_id, walker)
        match = matches[app.app_id]
        seal, seal_reason = score_seal(exposure, blocs, matched=match.product is not None)
        criticality, _ = score_criticality(app)
        seats = party_seats(exposure.parties)
        labels = node_labels(g, [exposure.primary] if exposure.primary else [])
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
                controller=controller_ref(exposure.primary, labels, seats),
                hosting_region=hosting.region,
                hosting_kind=hosting.kind,
            )
        )
        for axis in (exposure.lawful_access, exposure.residency, exposure.continuity):
            for path in axis.paths:
                used_nodes.update(path[::2])
        if exposure.primary:
            used_nodes.add(exposure.primary)
    for match in matches.values():
        used_nodes.update(f"product:{pid}" for pid, _ in match.suggestions)
    labels = node_labels(g, sorted(used_nodes))
    for node in sorted(used_nodes):  # suggestions may name products that are not in the graph
        if node.startswith("product:") and node not in labels:
            product = catalog.products.get(node.removeprefix("product:"))
            if product:
                labels[node] = product.name

    inventory = Inventory(
        applications=inventory.applications,
        merged=inventory.merged,
        rejected=inventory.rejected,
        rows_read=inventory.rows_read,
        warnings=(*inventory.warnings, *unresolved),
    )
    return AuditResult(
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
        assessments=tuple(sorted(assessments, key=lambda a: a.application.app_id)),
        portfolio=score_portfolio(assessments),
        labels=labels,
        catalog=catalog,
    )


def run_audit(
    paths: Sequence[Path], *, catalogs: Sequence[Path] = (), out: Path, lang: str = "nl", date: str
) -> AuditOutcome:
    """``sovereign audit``: read, assess, render in memory, then write the report folder."""
    from .inventory import read_inventories
    from .report import render_report, write_report

    catalog = load_catalog(catalogs)
    inventory, inputs = read_inventories(paths)
    result = assess_inventory(inventory, catalog, date=date, inputs=inputs)
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
    if result.inventory.warnings:
        lines.append(f"{len(result.inventory.warnings)} warnings: see the report's data-quality section.")
    return "\n".join(lines)


def validate_catalog(catalogs: Sequence[Path] = ()) -> str:
    """``sovereign catalog validate``: load everything (raises on any problem) and describe what was read."""
    catalog = load_catalog(catalogs)
    return (
        f"Catalog is valid: {len(catalog.entities)} entities, {len(catalog.products)} products, "
        f"{len(catalog.hosting)} hosting regions, {len(catalog.jurisdictions)} jurisdictions, "
        f"{len(catalog.laws)} laws ({catalog.digest})."
    )

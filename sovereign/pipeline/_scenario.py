"""``sovereign scenario``: resolve KIND:NAME cuts and report what stops."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..catalog import load_catalog
from ..errors import UserError
from ..model import (
    Catalog,
    ScenarioOutcome,
)
from ._audit import _build_landscape, _Landscape

__all__ = ["CUT_KINDS", "ScenarioRun", "format_scenario", "run_scenario"]

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
    from ..catalog import find_record, normalise

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


def run_scenario(
    paths: Sequence[Path],
    cuts: Sequence[str],
    *,
    catalogs: Sequence[Path] = (),
    input_format: str | None = None,
) -> ScenarioRun:
    """``sovereign scenario``: what stops when the given countries, entities, products or regions are cut."""
    from ..assess import score_scenario
    from ..graph import build_cut_index
    from ..inventory import read_inventories

    catalog = load_catalog(catalogs)
    inventory, _ = read_inventories(paths, format=input_format)
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

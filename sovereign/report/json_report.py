"""``audit.json``: the complete, machine-readable result of one audit, for other tools and for next year's diff.

The key names are a contract (DESIGN.md section 7): keep them, add freely. Content is deterministic: lists are
sorted by stable keys (applications by id, rows by file and line), and the text is written with sorted keys,
``ensure_ascii=False``, an indent of 2 and a trailing newline, so two runs over the same inputs and date give the
same bytes. This module turns an ``AuditResult`` into plain JSON data; it does no I/O and no formatting for
humans (no translations, no rounding).
"""

from __future__ import annotations

import json
from typing import Any

from sovereign.model import (
    UNKNOWN,
    ApplicationAssessment,
    AuditResult,
    AxisResult,
    Biv,
    ControllerRef,
    ControllerShare,
    Location,
    Portfolio,
    ScenarioOutcome,
)
from sovereign.report.plan_json import plan_json

__all__ = ["build_audit_json", "location_key", "render_audit_json", "scenario_json", "sort_concentration"]

TOOL_NAME = "sovereign"


def build_audit_json(result: AuditResult) -> dict[str, Any]:
    """The ``audit.json`` document as plain data (dicts, lists, str, int, float, bool, None)."""
    assessments = sorted(result.assessments, key=lambda a: a.application.app_id)
    return {
        "tool": {"name": TOOL_NAME, "version": result.tool_version},
        "method_version": result.method_version,
        "catalog_digest": result.catalog_digest,
        "inputs": [{"path": f.path, "sha256": f.sha256, "rows": f.rows} for f in result.inputs],
        "date": result.date,
        "accounting": {
            "read": result.accounting.read,
            "applications": result.accounting.applications,
            "merged": result.accounting.merged,
            "rejected": result.accounting.rejected,
        },
        "rejected_rows": [
            {"source": str(row.source), "reason": row.reason}
            for row in sorted(result.inventory.rejected, key=lambda r: location_key(r.source))
        ],
        "merged_rows": [
            {"source": str(row.source), "into": str(row.into)}
            for row in sorted(result.inventory.merged, key=lambda r: location_key(r.source))
        ],
        # Warnings keep the order they were raised in (file order); that order is itself deterministic.
        "warnings": list(result.inventory.warnings),
        "applications": [_application(result, a) for a in assessments],
        "portfolio": _portfolio(result.portfolio),
        "nodes": _nodes(result),
        "graph": {"nodes": result.graph_size[0], "edges": result.graph_size[1]},
        "scenarios": [scenario_json(s) for s in result.scenarios],
        "plan": plan_json(result),
        "policy": _policy(result),
        "violations": [
            {
                "rule": f.rule_id,
                "kind": f.kind,
                "severity": f.severity,
                "application": f.app_id,
                "applications": list(f.applications),
                "message": f.message,
                "evidence": [list(p) for p in f.evidence],
                "detail": dict(f.detail),
            }
            for f in result.findings
        ],
        "single_points_of_failure": [
            {
                "node": p.node,
                "kind": p.kind,
                "label": result.labels.get(p.node, p.node),
                "applications": list(p.applications),
                "criticality": p.criticality,
                "criticality_share": p.criticality_share,
                "example": list(p.example),
                "equivalent": list(p.equivalent),
            }
            for p in result.single_points
        ],
        "local_knowledge": [
            {
                "kind": f.kind,
                "id": f.id,
                "name": f.name,
                "reason": f.reason,
                "file": f.file,
                "overrides": f.overrides,
                "applications": list(f.applications),
            }
            for f in result.local_knowledge
        ],
    }


def render_audit_json(result: AuditResult) -> bytes:
    """``audit.json`` as UTF-8 bytes: sorted keys, indent 2, non-ASCII kept, trailing newline."""
    text = json.dumps(build_audit_json(result), ensure_ascii=False, indent=2, sort_keys=True, allow_nan=False)
    return (text + "\n").encode("utf-8")


def location_key(location: Location) -> tuple[str, str, int, str]:
    """Sort key for a location: by file, sheet, line number (numerically) and element."""
    return (location.path, location.sheet or "", location.line or 0, location.element or "")


# ---------------------------------------------------------------------------------------------------------
# Parts


def _application(result: AuditResult, assessment: ApplicationAssessment) -> dict[str, Any]:
    app = assessment.application
    match = assessment.match
    product = result.catalog.products.get(match.product) if match.product else None
    return {
        "id": app.app_id,
        "name": app.name,
        "source": str(app.source),
        "department": app.department,
        "vendor": app.vendor,
        # The product column as the inventory wrote it; `product_name` is the matched catalog product's name.
        "inventory_product": app.product,
        "product_name": product.name if product else None,
        "match": {
            "product": match.product,
            "method": match.method.value,
            "score": match.score,
            "suggestions": [{"product": pid, "score": score} for pid, score in match.suggestions],
        },
        "controller": _controller(assessment.controller),
        "hosting": app.hosting,
        "hosting_region": assessment.hosting_region,
        "hosting_kind": assessment.hosting_kind,
        "biv": _biv(app.biv),
        "business_critical": app.business_critical,
        "personal_data": app.personal_data,
        "lawful_access": _axis(assessment.lawful_access),
        "residency": _axis(assessment.residency),
        "continuity": _axis(assessment.continuity),
        "seal": assessment.seal,
        "seal_reason": assessment.seal_reason,
        "criticality": assessment.criticality,
        "objectives": dict(assessment.objectives),
        "weighted_score": assessment.weighted_score,
    }


def _axis(axis: AxisResult) -> dict[str, Any]:
    return {
        "countries": sorted(axis.countries),
        "paths": [list(path) for path in sorted(axis.paths)],
    }


def _controller(controller: ControllerRef | None) -> dict[str, Any] | None:
    if controller is None:
        return None
    return {"id": controller.id, "name": controller.name, "country": controller.country or UNKNOWN}


def _biv(biv: Biv | None) -> dict[str, Any] | None:
    if biv is None:
        return None
    return {
        "availability": biv.availability,
        "integrity": biv.integrity,
        "confidentiality": biv.confidentiality,
    }


def _portfolio(portfolio: Portfolio) -> dict[str, Any]:
    return {
        "applications": portfolio.applications,
        "matched_share": portfolio.matched_share,
        "unknown_share": portfolio.unknown_share,
        "us_lawful_access_share": portfolio.us_lawful_access_share,
        "us_residency_share": portfolio.us_residency_share,
        "us_continuity_share": portfolio.us_continuity_share,
        "us_lawful_access_weighted": portfolio.us_lawful_access_weighted,
        "us_residency_weighted": portfolio.us_residency_weighted,
        "us_continuity_weighted": portfolio.us_continuity_weighted,
        "non_eu_lawful_access_share": portfolio.non_eu_lawful_access_share,
        "seal_distribution": dict(portfolio.seal_distribution),
        "concentration": [_share(s) for s in sort_concentration(portfolio.concentration)],
        "hhi": portfolio.hhi,
    }


def sort_concentration(shares: tuple[ControllerShare, ...]) -> list[ControllerShare]:
    """Largest controller first; ties by criticality share, then by id so the order never depends on input."""
    return sorted(shares, key=lambda s: (-s.applications, -s.criticality_share, s.controller.id))


def _share(share: ControllerShare) -> dict[str, Any]:
    return {
        "controller": _controller(share.controller),
        "applications": share.applications,
        "share": share.share,
        "criticality_share": share.criticality_share,
    }


def _policy(result: AuditResult) -> dict[str, Any] | None:
    """The policy the audit applied: its id, criticality model, weight set and rules with their sources."""
    policy = result.policy
    if policy is None:
        return None
    return {
        "id": policy.id,
        "name": policy.name,
        "file": policy.file,
        "criticality": {"base": policy.criticality.base, "weights": dict(policy.criticality.weights)},
        "seal_weights": None
        if policy.seal_weights is None
        else {
            "id": policy.seal_weights.id,
            "name": policy.seal_weights.name,
            "weights": dict(policy.seal_weights.weights),
        },
        "rules": [
            {
                "id": r.id,
                "kind": r.kind,
                "severity": r.severity,
                "explanation": r.explanation,
                "sources": [{"url": s.url, "title": s.title, "checked": s.checked} for s in r.sources],
            }
            for r in policy.rules
        ],
    }


def scenario_json(scenario: ScenarioOutcome) -> dict[str, Any]:
    """One scenario in the shape ``sovereign scenario --json`` prints."""
    return {
        "id": scenario.id,
        "cut": list(scenario.cut),
        "stopped": [
            {
                "id": s.app_id,
                "name": s.name,
                "department": s.department,
                "criticality": s.criticality,
                "via": list(s.via),
                "direct": s.direct,
            }
            for s in scenario.stopped
        ],
        "uncertain": list(scenario.uncertain),
        "unaffected": scenario.unaffected,
        "criticality_stopped": scenario.criticality_stopped,
        "criticality_share": scenario.criticality_share,
        "by_department": [
            {"department": d, "applications": n, "criticality": c} for d, n, c in scenario.by_department
        ],
    }


def _nodes(result: AuditResult) -> dict[str, str]:
    """Label of every node id in any path (node ids sit at the even positions of a path)."""
    ids: set[str] = set()
    for assessment in result.assessments:
        for axis in (assessment.lawful_access, assessment.residency, assessment.continuity):
            for path in axis.paths:
                ids.update(path[0::2])
    for scenario in result.scenarios:
        ids.update(scenario.cut)
        for stopped in scenario.stopped:
            ids.update(stopped.via[0::2])
    for point in result.single_points:
        ids.update((point.node, *point.equivalent))
        ids.update(point.example[0::2])
    for finding in result.findings:
        for path in finding.evidence:
            ids.update(path[0::2])
    return {node: result.labels.get(node, node) for node in sorted(ids)}

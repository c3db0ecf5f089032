"""The migration plan as JSON for ``sovereign plan --json``, and as terminal text.

Renders a ``Plan`` the pipeline computed; computes nothing itself. The ``plan`` key of audit.json holds the same
facts with each alternative and each outcome written once (``json_report``); it shares ``projected_json``.
Deterministic: lists keep the plan's order (options by application id, waves by number), keys are sorted when
dumped.
"""

from __future__ import annotations

from typing import Any

from sovereign.model import AuditResult, Plan, Portfolio

__all__ = ["plan_json", "projected_json", "render_plan_text"]

_FIGURES = (
    "us_lawful_access_share",
    "us_continuity_share",
    "us_residency_share",
    "us_lawful_access_weighted",
    "us_continuity_weighted",
    "unknown_share",
    "hhi",
)


def projected_json(p: Portfolio) -> dict[str, Any]:
    """The figures of a projected portfolio (now, or after a wave) and its largest controller."""
    top = p.concentration[0] if p.concentration else None
    return {
        **{name: getattr(p, name) for name in _FIGURES},
        "seal_distribution": dict(p.seal_distribution),
        "largest_controller": None
        if top is None
        else {
            "id": top.controller.id,
            "name": top.controller.name,
            "country": top.controller.country,
            "share": top.share,
            "criticality_share": top.criticality_share,
        },
    }


def plan_json(result: AuditResult) -> dict[str, Any] | None:
    """The plan in the ``sovereign plan --json`` contract, or None when the audit made no plan."""
    plan: Plan | None = result.plan
    if plan is None:
        return None
    catalog = result.catalog
    names = {a.application.app_id: a.application.name for a in result.assessments}
    return {
        "max_effort": plan.max_effort,
        "baseline": projected_json(plan.baseline),
        "options": [
            {
                "application": o.before.application.app_id,
                "name": o.before.application.name,
                "seal_before": o.before.seal,
                "rules_broken": list(o.findings),
                "dependants": len(o.dependants),
                "alternatives": [
                    {
                        "id": m.alternative.id,
                        "product": m.alternative.product,
                        "name": catalog.products[m.alternative.product].name,
                        "controller": None
                        if m.after.controller is None
                        else {
                            "id": m.after.controller.id,
                            "name": m.after.controller.name,
                            "country": m.after.controller.country,
                        },
                        "seal_after": m.after.seal,
                        "lawful_access_after": list(m.after.lawful_access.countries),
                        "continuity_after": list(m.after.continuity.countries),
                        "residency_after": list(m.after.residency.countries),
                        "maturity": m.alternative.maturity,
                        "effort": m.alternative.effort,
                        "adopters_with_source": m.adopters_with_source,
                        "hosting_options": list(m.alternative.hosting_options),
                        "open_standards": list(m.alternative.open_standards),
                        "explanation": m.explanation,
                    }
                    for m in o.options
                ],
            }
            for o in plan.options
        ],
        "quick_wins": list(plan.quick_wins),
        "waves": [
            {
                "number": w.number,
                "applications": [a for a, _ in w.moves],
                "moves": [{"application": a, "name": names.get(a, a), "to": alt} for a, alt in w.moves],
                "projected": projected_json(w.projected),
            }
            for w in plan.waves
        ],
        "exits": [
            {
                "application": e.app_id,
                "name": names.get(e.app_id, e.app_id),
                "open_standards": list(e.open_standards),
                "target": e.target,
                "dependants": list(e.dependants),
                "stops_if_vendor_withdraws": list(e.stops_if_cut),
                "secure_now": list(e.secure_now),
            }
            for e in plan.exits
        ],
    }


def render_plan_text(result: AuditResult) -> str:
    """The plan for the terminal (English): waves with projected figures, quick wins, exits."""
    data = plan_json(result)
    if data is None:
        return "No plan was made."
    names = {a.application.app_id: a.application.name for a in result.assessments}
    catalog = result.catalog
    alternatives = {alt.id: catalog.products[alt.product].name for alt in catalog.alternatives.values()}

    def figures(p: dict[str, Any]) -> str:
        seal = " ".join(f"{k}:{v}" for k, v in p["seal_distribution"].items())
        return (
            f"US lawful access {p['us_lawful_access_share']:.0%}, US continuity {p['us_continuity_share']:.0%}, "
            f"SEAL {seal}"
        )

    with_options = sum(1 for o in data["options"] if o["alternatives"])
    lines = [
        f"{len(data['options'])} applications break a rule of the policy; {with_options} have an alternative "
        f"in the catalog (effort up to {data['max_effort']}).",
        f"Now:     {figures(data['baseline'])}",
    ]
    for wave in data["waves"]:
        title = "Quick wins" if wave["number"] == 0 else f"Wave {wave['number']}"
        lines.append(f"{title + ':':<9}{figures(wave['projected'])}")
        lines += [
            f"           {names.get(m['application'], m['application'])} -> {alternatives.get(m['to'], m['to'])}"
            for m in wave["moves"]
        ]
    if data["exits"]:
        lines.append(
            "Exit outlines (business-critical, SEAL 0-1): " + ", ".join(e["name"] for e in data["exits"])
        )
    return "\n".join(lines)

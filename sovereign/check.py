"""Pure decision support for one candidate purchase: verdict, portfolio delta, ranked alternatives, exit questions.

The pipeline assesses the landscape twice (without and with the candidate) and each catalog alternative on its
own; this module compares the results. The verdict is ``fail`` when the candidate breaks an error-level rule,
``warn`` when it breaks only warnings, ``pass`` otherwise. Alternatives that name the product as what they
replace come before those that only share its category; then they are ranked by SEAL level after the move
(unknown last), maturity, the number of public-sector adopters with a source, and lower effort.
Exit questions follow from what the assessment found (a non-EU controller, data outside the EU or unknown, a
platform underneath, no open standards known). No I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Sequence

from .model import (
    UNKNOWN,
    Alternative,
    AlternativeOption,
    ApplicationAssessment,
    AuditResult,
    Catalog,
    Finding,
    PortfolioDelta,
)

__all__ = [
    "CANDIDATE_ID",
    "alternatives_for",
    "candidate_findings",
    "exit_questions",
    "portfolio_delta",
    "rank_alternatives",
    "verdict",
]

#: The application id the candidate gets in the assessed landscape.
CANDIDATE_ID = "candidate"

_MATURITY = {"established": 0, "growing": 1, "emerging": 2}
_EFFORT = {"low": 0, "medium": 1, "high": 2}


def verdict(findings: Sequence[Finding]) -> str:
    """``fail`` on any error, ``warn`` on warnings only, ``pass`` when nothing is broken."""
    if any(f.severity == "error" for f in findings):
        return "fail"
    return "warn" if findings else "pass"


def candidate_findings(result: AuditResult) -> tuple[Finding, ...]:
    """The findings about the candidate: its own, and portfolio findings that name it."""
    return tuple(f for f in result.findings if f.app_id == CANDIDATE_ID or CANDIDATE_ID in f.applications)


def _controller_share(
    assessments: Sequence[ApplicationAssessment], controller: str, *, critical: bool
) -> float:
    pool = [a for a in assessments if not critical or a.application.business_critical is True]
    if not pool:
        return 0.0
    return round(sum(1 for a in pool if a.controller and a.controller.id == controller) / len(pool), 4)


def portfolio_delta(
    before: AuditResult, after: AuditResult, candidate: ApplicationAssessment
) -> tuple[PortfolioDelta, ...]:
    """What adding the candidate changes in the portfolio figures (computed by re-assessment, not arithmetic)."""
    b, a = before.portfolio, after.portfolio
    deltas = [
        PortfolioDelta(figure=name, before=getattr(b, name), after=getattr(a, name))
        for name in (
            "us_lawful_access_share",
            "us_continuity_share",
            "us_lawful_access_weighted",
            "us_continuity_weighted",
            "unknown_share",
            "hhi",
        )
    ]
    controller = candidate.controller
    if controller is not None and controller.id not in ("self", UNKNOWN):
        for critical, figure in ((False, "controller_share"), (True, "controller_share_business_critical")):
            deltas.append(
                PortfolioDelta(
                    figure=figure,
                    subject=controller.name,
                    before=_controller_share(before.assessments, controller.id, critical=critical),
                    after=_controller_share(after.assessments, controller.id, critical=critical),
                )
            )
    return tuple(deltas)


def rank_alternatives(
    options: Sequence[AlternativeOption], product_id: str | None = None
) -> tuple[AlternativeOption, ...]:
    """Best first: an alternative that names the product as what it replaces before one that only shares its
    category (a curated claim beats a category match), then higher SEAL after the move, maturity, adopters with
    a source, lower effort, id."""

    def key(o: AlternativeOption) -> tuple[int, int, int, int, int, str]:
        seal = o.assessment.seal
        fit = 0 if product_id is not None and product_id in o.alternative.replaces_products else 1
        return (
            fit,
            -(seal if seal is not None else -1),
            _MATURITY.get(o.alternative.maturity, 3),
            -o.adopters_with_source,
            _EFFORT.get(o.alternative.effort, 3),
            o.alternative.id,
        )

    return tuple(sorted(options, key=key))


def alternatives_for(catalog: Catalog, product_id: str | None) -> tuple[Alternative, ...]:
    """Catalog alternatives that replace this product, or its category, excluding the product itself.

    National facilities (a product whose vendor is a public body, such as DigiD or the BRP) get none: a
    municipality does not migrate away from them.
    """
    if product_id is None or product_id not in catalog.products:
        return ()
    product = catalog.products[product_id]
    vendor = catalog.entities.get(product.vendor)
    if vendor is not None and vendor.kind == "public-body":
        return ()
    return tuple(
        alt
        for _, alt in sorted(catalog.alternatives.items())
        if alt.product != product_id
        and (product_id in alt.replaces_products or product.category in alt.replaces_categories)
    )


def exit_questions(
    candidate: ApplicationAssessment, catalog: Catalog, blocs: dict[str, str]
) -> tuple[tuple[str, dict[str, str]], ...]:
    """(question key, parameters) pairs for the vendor, in the order a procurement file would ask them.

    Keys are translated by the report (``check.questions.<key>``); parameters fill them in.
    """
    questions: list[tuple[str, dict[str, str]]] = []
    product = catalog.products.get(candidate.match.product or "")
    non_eu_law = [
        c for c in candidate.lawful_access.countries if c != UNKNOWN and blocs.get(c) not in ("eu", "eea")
    ]
    controller = candidate.controller
    questions.append(
        (
            "contracting_party",
            {"controller": f"{controller.name} ({controller.country or '?'})" if controller else "?"},
        )
    )
    if non_eu_law or UNKNOWN in candidate.lawful_access.countries:
        laws = sorted(
            {
                law
                for c in non_eu_law
                for law in (catalog.jurisdictions[c].laws if c in catalog.jurisdictions else ())
            }
        )
        names = ", ".join(catalog.laws[law].name for law in laws if law in catalog.laws) or ", ".join(
            non_eu_law
        )
        questions.append(("government_access", {"laws": names or "?"}))
    if UNKNOWN in candidate.residency.countries or any(
        blocs.get(c) not in ("eu", "eea") and c != "EU" for c in candidate.residency.countries
    ):
        questions.append(("data_location", {"countries": ", ".join(candidate.residency.countries)}))
    if product and product.runs_on:
        platforms = ", ".join(
            catalog.products[p].name if p in catalog.products else catalog.hosting[p].name
            for p in product.runs_on
            if p in catalog.products or p in catalog.hosting
        )
        questions.append(("subprocessors", {"platforms": platforms}))
    standards = ", ".join(product.open_standards) if product and product.open_standards else ""
    questions.append(("export_formats", {"standards": standards}))
    questions.append(("exit_assistance", {}))
    if candidate.seal is None or candidate.seal <= 2:
        questions.append(("continuity_guarantee", {}))
        questions.append(("eu_variant", {}))
    questions.append(("change_of_control", {}))
    return tuple(questions)

"""Pure policy evaluation: which rules of a policy each application (and the portfolio) breaks, with evidence.

For each rule, the applications its ``applies_to`` selects are checked by the rule's kind:
  min-seal                SEAL below ``min_seal``, or unknown;
  residency               a residency country outside ``allowed`` (blocs or codes), or unknown;
  forbidden-jurisdiction  the lawful-access or continuity axis (or either) reaches a listed country;
  exit-plan               SEAL below ``below_seal`` (or unknown) and no exit plan in the inventory;
  ownership               an entity that holds the data (on a lawful-access path) has a single non-EU owner
                          above ``max_single_non_eu_share`` %, or non-EU owners together above
                          ``max_total_non_eu_share`` % (after SecNumCloud 3.2 §19.6);
  controller-share        portfolio: one ultimate controller holds more than ``max_share`` of the applications
                          (or of their criticality); one finding per controller naming all its applications.
"Non-EU" is outside the EU and EEA. Unknown never passes a rule that needs something known. Every finding
carries the evidence paths (the same node/edge paths as the axes) so a report can show why. No I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from itertools import repeat
from operator import attrgetter
from typing import Any

from .model import (
    UNKNOWN,
    ApplicationAssessment,
    Bloc,
    Catalog,
    Finding,
    Policy,
    Rule,
    Selector,
)

__all__ = ["evaluate_policy", "has_exit_plan", "is_selected"]

# Answers in an exit-plan column that mean there is none (Dutch and English).
_NO_EXIT_PLAN = {
    "",
    "nee",
    "no",
    "n",
    "geen",
    "none",
    "nvt",
    "n.v.t.",
    "onbekend",
    "unknown",
    "in ontwikkeling",
    "in development",
    "todo",
    "-",
    "?",
}


def has_exit_plan(text: str | None) -> bool:
    """True when the inventory's exit-plan cell describes a plan.

    >>> has_exit_plan("Ja, vastgelegd in contract"), has_exit_plan("Nee"), has_exit_plan("In ontwikkeling")
    (True, False, False)
    """
    return (text or "").strip().lower().rstrip(".") not in _NO_EXIT_PLAN


def is_selected(selector: Selector, a: ApplicationAssessment, categories: Mapping[str, str | None]) -> bool:
    """Whether a rule's ``applies_to`` selects this application (unknown values never match a condition)."""
    app = a.application
    # Short-circuit, in the order of the fields: most rules select on one field or none, and the policy asks
    # this of every rule for every application.
    return (
        (selector.business_critical is None or app.business_critical is selector.business_critical)
        and (selector.personal_data is None or app.personal_data is selector.personal_data)
        and (selector.criticality_at_least is None or a.criticality >= selector.criticality_at_least)
        and (
            selector.confidentiality_at_least is None
            or (app.biv is not None and (app.biv.confidentiality or 0) >= selector.confidentiality_at_least)
        )
        and (
            selector.availability_at_least is None
            or (app.biv is not None and (app.biv.availability or 0) >= selector.availability_at_least)
        )
        and (not selector.categories or categories.get(app.app_id) in selector.categories)
    )


def _bloc_of(code: str, blocs: Mapping[str, Bloc]) -> str | None:
    if code == "EU":
        return "eu"
    bloc = blocs.get(code)
    return str(bloc) if bloc is not None else None


def _non_eu(code: str | None, blocs: Mapping[str, Bloc]) -> bool:
    return code is not None and _bloc_of(code, blocs) not in ("eu", "eea", None)


def _paths_to(axis_paths: Sequence[tuple[str, ...]], countries: set[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(p for p in axis_paths if p[-1].removeprefix("country:") in countries)


class _Shared:
    """Findings' messages and details, each distinct one kept once: a national inventory repeats them in
    every municipality, and there are hundreds of thousands of findings."""

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}
        self._details: dict[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]] = {}
        self._outside: dict[tuple[str, tuple[str, ...]], set[str]] = {}

    def text(self, text: str) -> str:
        return self._texts.setdefault(text, text)

    def detail(self, detail: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
        return self._details.setdefault(detail, detail)

    def outside(self, rule: Rule, countries: tuple[str, ...], blocs: Mapping[str, Bloc]) -> set[str]:
        """The countries a residency rule does not allow (unknown included), once per rule and countries."""
        key = (rule.id, countries)
        found = self._outside.get(key)
        if found is None:
            allowed = set(rule.allowed)
            found = self._outside[key] = {
                c
                for c in countries
                if c == UNKNOWN or (c not in allowed and _bloc_of(c, blocs) not in allowed)
            }
        return found


#: A rule's verdict on one distinct value: None when it passes, else the message (after the application's
#: name) and the detail of its finding.
_Verdict = tuple[str, tuple[tuple[str, str], ...]] | None


class _Context:
    """What every application check needs besides the rule and the application."""

    def __init__(self, catalog: Catalog, blocs: Mapping[str, Bloc], shared: _Shared) -> None:
        self.catalog, self.blocs, self.shared = catalog, blocs, shared
        #: the current rule's verdict per distinct value it reads (a national inventory repeats them in
        #: every municipality); emptied for each rule
        self.verdicts: dict[Hashable, _Verdict] = {}

    def finding(
        self,
        rule: Rule,
        a: ApplicationAssessment,
        message: str,
        evidence: Sequence[tuple[str, ...]],
        **detail: str,
    ) -> Finding:
        return self.found(rule, a, (message, self.detail(**detail)), evidence)

    def detail(self, **detail: str) -> tuple[tuple[str, str], ...]:
        """A finding's detail as sorted pairs, each distinct one kept once."""
        return self.shared.detail(tuple(sorted(detail.items())))

    def found(
        self,
        rule: Rule,
        a: ApplicationAssessment,
        verdict: tuple[str, tuple[tuple[str, str], ...]],
        evidence: Sequence[tuple[str, ...]],
    ) -> Finding:
        """The finding of a verdict for one application."""
        app = a.application
        return Finding(
            rule_id=rule.id,
            kind=rule.kind,
            severity=rule.severity,
            app_id=app.app_id,
            message=self.shared.text(f"{app.name}: {verdict[0]}"),
            evidence=tuple(evidence),
            detail=verdict[1],
        )


_UNSEEN: Any = object()  # not yet in ``_Context.verdicts``


def _seal_text(a: ApplicationAssessment) -> str:
    return "unknown" if a.seal is None else str(a.seal)


def _below(a: ApplicationAssessment, level: int | None) -> bool:
    """Whether the application's SEAL is below ``level`` (an unknown SEAL is; no level, nothing is)."""
    return level is not None and (a.seal is None or a.seal < level)


def _check_min_seal(rule: Rule, a: ApplicationAssessment, context: _Context) -> Finding | None:
    key = (a.seal, a.seal_reason)
    verdict = context.verdicts.get(key, _UNSEEN)
    if verdict is _UNSEEN:
        verdict = context.verdicts[key] = None
        if _below(a, rule.min_seal):
            seal = _seal_text(a)
            verdict = context.verdicts[key] = (
                f"SEAL {seal} is below the required {rule.min_seal} ({a.seal_reason})",
                context.detail(seal=seal, required=str(rule.min_seal)),
            )
    return None if verdict is None else context.found(rule, a, verdict, a.lawful_access.paths)


def _check_residency(rule: Rule, a: ApplicationAssessment, context: _Context) -> Finding | None:
    countries = a.residency.countries
    verdict = context.verdicts.get(countries, _UNSEEN)
    if verdict is _UNSEEN:
        verdict = context.verdicts[countries] = None
        outside = context.shared.outside(rule, countries, context.blocs)
        if outside:
            shown = ", ".join(sorted(outside))
            where = "the data location is unknown" if outside == {UNKNOWN} else f"data is in {shown}"
            verdict = context.verdicts[countries] = (
                f"{where}, outside {', '.join(rule.allowed)}",
                context.detail(countries=shown),
            )
    if verdict is None:
        return None
    outside = context.shared.outside(rule, countries, context.blocs)
    return context.found(rule, a, verdict, _paths_to(a.residency.paths, outside) or a.residency.paths)


def _check_forbidden(rule: Rule, a: ApplicationAssessment, context: _Context) -> Finding | None:
    axes = (
        (a.lawful_access,)
        if rule.axis == "lawful_access"
        else (a.continuity,)
        if rule.axis == "continuity"
        else (a.lawful_access, a.continuity)
    )
    key = (axes[0].countries,) if len(axes) == 1 else (axes[0].countries, axes[1].countries)
    verdict = context.verdicts.get(key, _UNSEEN)
    if verdict is _UNSEEN:
        verdict = context.verdicts[key] = None
        hits = {c for countries in key for c in countries if c in rule.countries}
        if hits:
            shown = ", ".join(sorted(hits))
            verdict = context.verdicts[key] = (
                f"{rule.axis.replace('_', ' ')} reaches {shown}",
                context.detail(countries=shown),
            )
    if verdict is None:
        return None
    hits = {c for countries in key for c in countries if c in rule.countries}
    return context.found(rule, a, verdict, [p for axis in axes for p in _paths_to(axis.paths, hits)])


def _check_exit_plan(rule: Rule, a: ApplicationAssessment, context: _Context) -> Finding | None:
    exit_plan = a.application.exit_plan
    key = (a.seal, exit_plan)
    verdict = context.verdicts.get(key, _UNSEEN)
    if verdict is _UNSEEN:
        verdict = context.verdicts[key] = None
        if _below(a, rule.below_seal) and not has_exit_plan(exit_plan):
            seal = _seal_text(a)
            verdict = context.verdicts[key] = (
                f"SEAL {seal} is below {rule.below_seal} and the inventory records no exit plan",
                context.detail(seal=seal, exit_plan=exit_plan or ""),
            )
    return None if verdict is None else context.found(rule, a, verdict, a.continuity.paths)


def _check_ownership(rule: Rule, a: ApplicationAssessment, context: _Context) -> Finding | None:
    """SecNumCloud-style ownership limits on every entity that holds the data (lawful-access paths)."""
    catalog, blocs = context.catalog, context.blocs
    for path in a.lawful_access.paths:
        for i, node in enumerate(path):
            if not node.startswith("entity:") or node.removeprefix("entity:") not in catalog.entities:
                continue
            entity = catalog.entities[node.removeprefix("entity:")]
            non_eu = [
                (o.entity, o.share or 0.0)
                for o in entity.owners
                if o.entity in catalog.entities and _non_eu(catalog.entities[o.entity].country, blocs)
            ]
            single = max(non_eu, key=lambda x: x[1], default=None)
            total = sum(share for _, share in non_eu)
            evidence = (*path[: i + 1], "owned_by", f"entity:{single[0]}") if single else path[: i + 1]
            limit_single, limit_total = rule.max_single_non_eu_share, rule.max_total_non_eu_share
            if single and limit_single is not None and single[1] > limit_single:
                owner = catalog.entities[single[0]]
                return context.finding(
                    rule,
                    a,
                    f"{entity.name} is {single[1]:g} % owned by {owner.name} ({owner.country}), above "
                    f"{limit_single:g} %",
                    [evidence],
                    entity=entity.id,
                    owner=owner.id,
                    share=f"{single[1]:g}",
                )
            if limit_total is not None and total > limit_total:
                return context.finding(
                    rule,
                    a,
                    f"{entity.name} is {total:g} % owned from outside the EU, above {limit_total:g} %",
                    [evidence],
                    entity=entity.id,
                    share=f"{total:g}",
                )
    return None


#: Each application-level rule kind's check (``controller-share`` is checked over all selected at once).
_CHECKS: dict[str, Callable[[Rule, ApplicationAssessment, _Context], Finding | None]] = {
    "min-seal": _check_min_seal,
    "residency": _check_residency,
    "forbidden-jurisdiction": _check_forbidden,
    "exit-plan": _check_exit_plan,
    "ownership": _check_ownership,
}


def evaluate_policy(
    policy: Policy,
    assessments: Sequence[ApplicationAssessment],
    catalog: Catalog,
) -> tuple[Finding, ...]:
    """Every finding of every rule, sorted by rule, then application id."""
    blocs = {code: j.bloc for code, j in catalog.jurisdictions.items()}
    # Only a selector with categories reads them.
    categories = (
        {
            a.application.app_id: catalog.products[a.match.product].category if a.match.product else None
            for a in assessments
        }
        if any(rule.applies_to.categories for rule in policy.rules)
        else {}
    )
    findings: list[Finding] = []
    context = _Context(catalog, blocs, _Shared())
    # Rules share selectors (the default policy has five distinct ones for ten rules), and most select on
    # nothing at all: each distinct selector goes through the applications once.
    selections: dict[Selector, Sequence[ApplicationAssessment]] = {Selector(): assessments}
    for rule in policy.rules:
        selected = selections.get(rule.applies_to)
        if selected is None:
            selected = selections[rule.applies_to] = [
                a for a in assessments if is_selected(rule.applies_to, a, categories)
            ]
        if rule.kind == "controller-share":
            findings += _check_concentration(rule, selected)
            continue
        check = _CHECKS.get(rule.kind)
        if check is None:
            continue
        context.verdicts.clear()
        findings += filter(None, map(check, repeat(rule), selected, repeat(context)))
    return _sorted_findings(findings, policy.rules)


def _sorted_findings(findings: list[Finding], rules: Sequence[Rule]) -> tuple[Finding, ...]:
    """By rule (in the policy's order; a repeated id counts where it last appears), then application id,
    then message. Sorted per rule, and with a key built in C where no application id is missing."""
    order = {rule.id: i for i, rule in enumerate(rules)}
    by_rule: dict[int, list[Finding]] = {}
    for finding in findings:
        by_rule.setdefault(order[finding.rule_id], []).append(finding)
    result: list[Finding] = []
    for _, group in sorted(by_rule.items()):
        if None in map(_APPLICATION_ID, group):
            group.sort(key=lambda f: (f.app_id or "", f.message))
        else:
            group.sort(key=_BY_APPLICATION)
        result += group
    return tuple(result)


_BY_APPLICATION = attrgetter("app_id", "message")
_APPLICATION_ID = attrgetter("app_id")


def _check_concentration(rule: Rule, selected: Sequence[ApplicationAssessment]) -> list[Finding]:
    """Shares are over the applications the rule selects, which may be fewer than the whole portfolio."""
    if rule.max_share is None or not selected:
        return []
    by_controller: dict[str, list[ApplicationAssessment]] = {}
    for a in selected:
        if a.controller is not None and a.controller.id != "self":
            by_controller.setdefault(a.controller.id, []).append(a)
    total = sum(a.criticality for a in selected) if rule.measure == "criticality" else len(selected)
    findings = []
    for controller_id, apps in sorted(by_controller.items()):
        amount = sum(a.criticality for a in apps) if rule.measure == "criticality" else len(apps)
        share = amount / total if total else 0.0
        if share > rule.max_share:
            controller = apps[0].controller
            assert controller is not None
            findings.append(
                Finding(
                    rule_id=rule.id,
                    kind=rule.kind,
                    severity=rule.severity,
                    message=f"{controller.name} ({controller.country or 'unknown'}) holds {share:.1%} of the "
                    f"{rule.measure}, above {rule.max_share:.0%}",
                    applications=tuple(sorted(a.application.app_id for a in apps)),
                    detail=(
                        ("controller", controller_id),
                        ("share", f"{share:.4f}"),
                        ("measure", rule.measure),
                    ),
                )
            )
    return findings

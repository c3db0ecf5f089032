"""The report tests' result made hostile for the exports (findings.xlsx, report.md).

``build_export_result`` is ``conftest.build_result()`` with application names a spreadsheet would read as
formulas, Markdown that would become links and headings, unknown inventory columns (one repeated, one with a
control character), local knowledge and a one-move migration plan of its own. Kept apart from ``conftest.py`` so
the shared result stays as it is.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sovereign.model import (
    Alternative,
    ApplicationAssessment,
    ApplicationOptions,
    AuditResult,
    AxisResult,
    ControllerRef,
    Delivery,
    ExitOutline,
    LocalFact,
    Location,
    MigrationOption,
    Plan,
    Product,
    RejectedRow,
    Wave,
)

from .conftest import build_result

_SELF_NL = ("application:a1", "operated_by", "organisation:self", "seated_in", "country:NL")

#: Application names that a spreadsheet would read as formulas (OWASP "CSV injection").
FORMULA_NAMES = {
    "a1": '=HYPERLINK("http://x","y")',
    "a2": "+1",
    "a3": "-2",
    "a4": "@SUM(A1)",
}
#: Text that Markdown would turn into a link, an image, a heading or extra table cells.
MARKDOWN_HOSTILE = "[klik](javascript:alert(1)) ![x](http://x/y.png) # kop | cel | *vet* _schuin_ `code`"


def build_export_result(**changes: Any) -> AuditResult:
    """``build_result()`` with hostile names, unknown columns, local knowledge and a plan for a1 and a4."""
    base = build_result()
    extra = {
        "a1": (("=cmd|' /C calc'!A0", "@evil"), ("Kostenplaats", "-42"), ("Kostenplaats", "tweede")),
        "a2": (("Kostenplaats", "7"), ("Opmerking", MARKDOWN_HOSTILE)),
        "a3": (("Contract", "bad\x01char"),),
    }
    departments = {"a3": "#N/A", "a4": "\tTab"}

    def hostile(assessment: ApplicationAssessment) -> ApplicationAssessment:
        app = assessment.application
        return replace(
            assessment,
            application=replace(
                app,
                name=FORMULA_NAMES[app.app_id],
                department=departments.get(app.app_id, app.department),
                extra=extra.get(app.app_id, ()),
            ),
        )

    assessments = tuple(hostile(a) for a in base.assessments)
    by_id = {a.application.app_id: a for a in assessments}
    labels = {**base.labels, **{f"application:{i}": name for i, name in FORMULA_NAMES.items()}}
    scenarios = tuple(
        replace(s, stopped=tuple(replace(x, name=FORMULA_NAMES[x.app_id]) for x in s.stopped))
        for s in base.scenarios
    )
    catalog = replace(
        base.catalog,
        products={
            **base.catalog.products,
            "open-klant": Product(
                id="open-klant", name="Open Klant", vendor="polder-software", delivery=Delivery.ON_PREMISE
            ),
        },
        alternatives={
            "open-klant-alt": Alternative(
                id="open-klant-alt",
                product="open-klant",
                maturity="established",
                effort="low",
                hosting_options=("self-hosted", "dutch-cloud"),
                open_standards=("ZGW API", "=formula"),
            ),
        },
    )
    municipality = ControllerRef(id="self", name="Gemeente Voorbeeld", country="NL")
    nl_only = AxisResult(countries=("NL",), paths=(_SELF_NL,))
    after = replace(
        by_id["a1"],
        lawful_access=nl_only,
        residency=nl_only,
        continuity=nl_only,
        seal=4,
        controller=municipality,
    )
    option = MigrationOption(
        alternative=catalog.alternatives["open-klant-alt"],
        after=after,
        adopters_with_source=2,
        explanation="",
    )
    # After wave 0 a1 is at SEAL 4: US lawful access falls from 2 of 4 to 1 of 4.
    projected = replace(
        base.portfolio,
        us_lawful_access_share=0.25,
        us_continuity_share=0.25,
        seal_distribution={"0": 0, "1": 0, "2": 1, "3": 0, "4": 2, "unknown": 1},
    )
    plan = Plan(
        baseline=base.portfolio,
        options=(
            ApplicationOptions(
                before=by_id["a1"],
                findings=("min-seal-critical", "residency-personal-data"),
                options=(option,),
                dependants=(),
            ),
            ApplicationOptions(
                before=by_id["a4"], findings=("exit-plan-below-seal-2",), options=(), dependants=()
            ),
        ),
        quick_wins=("a1",),
        waves=(Wave(number=0, moves=(("a1", "open-klant-alt"),), projected=projected),),
        exits=(
            ExitOutline(
                app_id="a1",
                open_standards=(),
                target="open-klant-alt",
                dependants=("a2",),
                stops_if_cut=("a1",),
                secure_now=("notice-period", "open-export-format"),
            ),
        ),
        max_effort="medium",
    )
    local = (
        LocalFact(
            kind="entity",
            id="acme-zaak",
            name="Acme Zaak B.V.",
            reason="=1+1 " + MARKDOWN_HOSTILE,
            file="lokaal/entities.yaml",
            overrides=False,
            applications=("a2",),
        ),
    )
    result = replace(
        base,
        inventory=replace(
            base.inventory,
            applications=tuple(a.application for a in assessments),
            rejected=(
                RejectedRow(source=Location(path="inventory.csv", line=7), reason="-column 'name' is empty"),
            ),
            warnings=("=warning", *base.inventory.warnings),
        ),
        assessments=assessments,
        labels=labels,
        scenarios=scenarios,
        catalog=catalog,
        plan=plan,
        local_knowledge=local,
    )
    return replace(result, **changes)

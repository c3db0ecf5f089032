"""A small, hand-built ``AuditResult`` for the report tests.

Four applications, one of each kind the report must show: a US SaaS (SEAL 0), an EU vendor's SaaS on Azure
(SEAL 2), an on-premise application run by the municipality itself (SEAL 4), and an unmatched application
with a hostile name that is unknown on every axis (SEAL None). Plus one merged and one rejected row. The
portfolio figures are written out by hand from those four (the report only shows them; it never recomputes).

A policy with five rules (one of each finding the report words, and one that nothing breaks), its findings,
two standard scenarios and three single points of failure are written out by hand the same way.

So is a small migration plan (``max_effort`` medium): the Salesforce application moves as a quick win to its
second-ranked alternative (the first asks for high effort) from a local overlay with a hostile product name;
the Zaaksysteem moves in wave 1 to a named replacement; the unmatched application has no alternative; and the
Salesforce application, business-critical at SEAL 0, gets an exit outline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from sovereign.model import (
    Accounting,
    Adopter,
    Alternative,
    Application,
    ApplicationAssessment,
    ApplicationOptions,
    AuditResult,
    AxisResult,
    Biv,
    Bloc,
    Catalog,
    Confidence,
    ControllerRef,
    ControllerShare,
    CriticalityModel,
    Delivery,
    Entity,
    ExitOutline,
    Finding,
    HostingRegion,
    InputFile,
    Inventory,
    Jurisdiction,
    Location,
    Match,
    MatchMethod,
    MergedRow,
    MigrationOption,
    Owner,
    Plan,
    Policy,
    Portfolio,
    Product,
    RejectedRow,
    Rule,
    ScenarioOutcome,
    Selector,
    SinglePoint,
    Source,
    StoppedApplication,
    Wave,
    WeightSet,
)

HOSTILE_NAME = "<script>alert(1)</script>"
HOSTILE_ATTRIBUTE = '"><img src=x onerror=alert(1)>'
SOURCE_URL = "https://investor.salesforce.com/annual-report"
RULE_SOURCE_URL = "https://eur-lex.europa.eu/eli/reg/2016/679/oj"
#: A product name from a municipality's own catalog folder: user input, like the inventory.
HOSTILE_PRODUCT = "Klant<b>EU</b> & Co"
ADOPTER_URL = "https://www.utrecht.nl/open-klant"


_CHECKED = "2026-03-01"
_ALTERNATIVES = (
    Alternative(
        id="open-klant-crm",
        product="open-klant",
        replaces_products=("salesforce-service-cloud",),
        hosting_options=("self-hosted", "dutch-cloud"),
        maturity="established",
        effort="high",
        adopters=(
            Adopter(
                name="Gemeente Utrecht", source=Source(url=ADOPTER_URL, title="Open Klant", checked=_CHECKED)
            ),
            # A source from a local overlay may be anything: never a link unless http(s).
            Adopter(
                name="Gemeente Script", source=Source(url="javascript:alert(3)", title="x", checked=_CHECKED)
            ),
            Adopter(name="Gemeente Zonder Bron"),
        ),
        open_standards=("OpenAPI", "ZGW"),
    ),
    Alternative(
        id="klantkern-crm",
        product="klantkern",
        replaces_categories=("crm",),
        hosting_options=("vendor-saas",),
        maturity="growing",
        effort="low",
    ),
    Alternative(
        id="open-zaak-zgw",
        product="open-zaak",
        replaces_products=("acme-zaaksysteem",),
        hosting_options=("self-hosted",),
        maturity="established",
        effort="medium",
        adopters=(
            Adopter(
                name="Gemeente Delft",
                source=Source(url="https://www.delft.nl/open-zaak", title="Open Zaak", checked=_CHECKED),
            ),
        ),
        open_standards=("ZGW API's",),
    ),
)


def _loc(line: int) -> Location:
    return Location(path="inventory.csv", line=line)


def _catalog() -> Catalog:
    checked = "2026-03-01"
    return Catalog(
        entities={
            "salesforce-inc": Entity(
                id="salesforce-inc",
                name="Salesforce, Inc.",
                country="US",
                kind="listed",
                confidence=Confidence.VERIFIED,
                sources=(Source(url=SOURCE_URL, title="Salesforce annual report", checked=checked),),
            ),
            "acme-zaak": Entity(
                id="acme-zaak",
                name="Acme Zaak B.V.",
                country="NL",
                origin="local",
                reason="Eigen kennis: contract 2025-17",
                # A local overlay is user input too: a script URL must never become a link.
                sources=(Source(url="javascript:alert(1)", title="contract", checked=checked),),
            ),
            "microsoft-ireland": Entity(
                id="microsoft-ireland",
                name="Microsoft Ireland Operations Ltd",
                country="IE",
                owners=(Owner(entity="microsoft-corp", share=100.0),),
            ),
            "microsoft-corp": Entity(id="microsoft-corp", name="Microsoft Corporation", country="US"),
            "polder-software": Entity(id="polder-software", name="Polder Software B.V.", country="NL"),
        },
        products={
            "salesforce-service-cloud": Product(
                id="salesforce-service-cloud",
                name="Salesforce Service Cloud",
                vendor="salesforce-inc",
                operator="salesforce-inc",
                delivery=Delivery.SAAS,
                category="crm",
                data_locations=("US",),
            ),
            "acme-zaaksysteem": Product(
                id="acme-zaaksysteem",
                name="Acme Zaaksysteem",
                vendor="acme-zaak",
                operator="acme-zaak",
                delivery=Delivery.SAAS,
                runs_on=("azure-westeurope",),
            ),
            "polder-burgerzaken": Product(
                id="polder-burgerzaken",
                name="Polder Burgerzaken",
                vendor="polder-software",
                delivery=Delivery.ON_PREMISE,
            ),
            # Migration targets of the plan.
            "open-klant": Product(
                id="open-klant",
                name="Open Klant",
                vendor="polder-software",
                delivery=Delivery.ON_PREMISE,
                open_source=True,
            ),
            "klantkern": Product(
                id="klantkern",
                name=HOSTILE_PRODUCT,
                vendor="acme-zaak",
                operator="acme-zaak",
                delivery=Delivery.SAAS,
                data_locations=("NL",),
                origin="local",
                reason="Eigen kennis: marktverkenning 2026",
            ),
            "open-zaak": Product(
                id="open-zaak", name="Open Zaak", vendor="polder-software", delivery=Delivery.ON_PREMISE
            ),
        },
        hosting={
            "azure-westeurope": HostingRegion(
                id="azure-westeurope", name="Azure West Europe", operator="microsoft-ireland", country="NL"
            ),
        },
        jurisdictions={
            "US": Jurisdiction(code="US", name="United States", bloc=Bloc.OTHER),
            "NL": Jurisdiction(code="NL", name="Netherlands", bloc=Bloc.EU),
            "IE": Jurisdiction(code="IE", name="Ireland", bloc=Bloc.EU),
        },
        alternatives={alternative.id: alternative for alternative in _ALTERNATIVES},
        digest="sha256:" + "c" * 64,
    )


# Paths alternate node ids and edge kinds.
_SF = ("application:a1", "instance_of", "product:salesforce-service-cloud")
_SF_US = (*_SF, "operated_by", "entity:salesforce-inc", "seated_in", "country:US")
_ZAAK = ("application:a2", "instance_of", "product:acme-zaaksysteem")
_ZAAK_NL = (*_ZAAK, "operated_by", "entity:acme-zaak", "seated_in", "country:NL")
_ZAAK_US = (
    *_ZAAK,
    "runs_on",
    "region:azure-westeurope",
    "operated_by",
    "entity:microsoft-ireland",
    "owned_by",
    "entity:microsoft-corp",
    "seated_in",
    "country:US",
)
_ZAAK_DATA = (*_ZAAK, "runs_on", "region:azure-westeurope", "data_in", "country:NL")
_SELF_NL = ("application:a3", "operated_by", "organisation:self", "seated_in", "country:NL")

LABELS = {
    "application:a1": "Klantcontactsysteem",
    "application:a2": "Zaaksysteem",
    "application:a3": "Burgerzaken",
    "application:a4": HOSTILE_NAME,
    "product:salesforce-service-cloud": "Salesforce Service Cloud",
    "product:acme-zaaksysteem": "Acme Zaaksysteem",
    "entity:salesforce-inc": "Salesforce, Inc.",
    "entity:acme-zaak": "Acme Zaak B.V.",
    "entity:microsoft-ireland": "Microsoft Ireland Operations Ltd",
    "entity:microsoft-corp": "Microsoft Corporation",
    "region:azure-westeurope": "Azure West Europe",
    "organisation:self": "Gemeente Voorbeeld",
    "country:US": "United States",
    "country:NL": "Netherlands",
}


_WEIGHTS = (
    ("SOV-1", 15.0),
    ("SOV-2", 10.0),
    ("SOV-3", 10.0),
    ("SOV-4", 15.0),
    ("SOV-5", 20.0),
    ("SOV-6", 15.0),
    ("SOV-7", 10.0),
    ("SOV-8", 5.0),
)


def _objectives(*scores: float) -> tuple[tuple[str, float], ...]:
    return tuple((key, float(score)) for (key, _), score in zip(_WEIGHTS, scores, strict=True))


def _assessments() -> tuple[ApplicationAssessment, ...]:
    salesforce = ControllerRef(id="salesforce-inc", name="Salesforce, Inc.", country="US")
    acme = ControllerRef(id="acme-zaak", name="Acme Zaak B.V.", country="NL")
    municipality = ControllerRef(id="self", name="Gemeente Voorbeeld", country="NL")
    return (
        ApplicationAssessment(
            application=Application(
                app_id="a1",
                name="Klantcontactsysteem",
                source=_loc(2),
                vendor="Salesforce",
                product="Service Cloud",
                hosting="SaaS",
                department="Publiekszaken",
                organisation="Gemeente Voorbeeld",
                biv=Biv(availability=2, integrity=2, confidentiality=3),
                business_critical=True,
                personal_data=True,
            ),
            match=Match(product="salesforce-service-cloud", method=MatchMethod.EXACT, score=1.0),
            lawful_access=AxisResult(countries=("US",), paths=(_SF_US,)),
            residency=AxisResult(countries=("US",), paths=((*_SF, "data_in", "country:US"),)),
            continuity=AxisResult(countries=("US",), paths=(_SF_US,)),
            seal=0,
            seal_reason="seal-0-non-eu-operator",
            criticality=3.0,
            controller=salesforce,
            objectives=_objectives(0, 0, 0, 0, 0, 0, 0.5, 0.5),
            weighted_score=7.5,  # (0.5 * 10 + 0.5 * 5)
            hosting_kind="saas",
        ),
        ApplicationAssessment(
            application=Application(
                app_id="a2",
                name="Zaaksysteem",
                source=_loc(3),
                vendor="Acme",
                hosting="Azure West-Europa",
                department="Burgerzaken & Publiekszaken — Súdwest",
                organisation="Gemeente Voorbeeld",
                business_critical=True,
            ),
            match=Match(product="acme-zaaksysteem", method=MatchMethod.FUZZY, score=0.93),
            lawful_access=AxisResult(countries=("NL", "US"), paths=(_ZAAK_NL, _ZAAK_US)),
            residency=AxisResult(countries=("NL",), paths=(_ZAAK_DATA,)),
            continuity=AxisResult(countries=("NL", "US"), paths=(_ZAAK_NL, _ZAAK_US)),
            seal=2,
            seal_reason="seal-2-non-eu-infrastructure",
            criticality=2.5,
            controller=acme,
            objectives=_objectives(1, 0, 1, 1, 0, 0, 0.5, 0.5),
            weighted_score=47.5,  # 15 + 10 + 15 + 0.5 * 10 + 0.5 * 5
            hosting_region="azure-westeurope",
            hosting_kind="saas",
        ),
        ApplicationAssessment(
            application=Application(
                app_id="a3",
                name="Burgerzaken",
                source=_loc(4),
                vendor="Polder Software",
                hosting="on-premise",
                department="Burgerzaken",
                organisation="Gemeente Voorbeeld",
            ),
            match=Match(product="polder-burgerzaken", method=MatchMethod.ALIAS, score=1.0),
            lawful_access=AxisResult(countries=("NL",), paths=(_SELF_NL,)),
            residency=AxisResult(countries=("NL",), paths=(_SELF_NL,)),
            continuity=AxisResult(countries=("NL",), paths=(_SELF_NL,)),
            seal=4,
            seal_reason="seal-4-eu-only",
            criticality=2.0,
            controller=municipality,
            objectives=_objectives(1, 1, 1, 1, 1, 1, 0.5, 0.5),
            weighted_score=92.5,  # 85 + 0.5 * 10 + 0.5 * 5
            hosting_kind="self-hosted",
        ),
        ApplicationAssessment(
            application=Application(
                app_id="a4",
                name=HOSTILE_NAME,
                source=_loc(5),
                vendor="R&D <b>Tools</b>",
                department=HOSTILE_ATTRIBUTE,
                organisation="Gemeente Voorbeeld",
            ),
            match=Match(
                product=None,
                method=MatchMethod.NONE,
                score=0.0,
                suggestions=(("salesforce-service-cloud", 0.41), ("acme-zaaksysteem", 0.38)),
            ),
            lawful_access=AxisResult(countries=("unknown",), paths=(("application:a4",),)),
            residency=AxisResult(countries=("unknown",), paths=(("application:a4",),)),
            continuity=AxisResult(countries=("unknown",), paths=(("application:a4",),)),
            seal=None,
            seal_reason="seal-unknown-unmatched",
            criticality=0.5,
            controller=None,
        ),
    )


def _portfolio() -> Portfolio:
    # Criticality 3.0 + 2.5 + 2.0 + 0.5 = 8.0. US lawful access and continuity: a1, a2 -> 2/4 = 0.5, weighted
    # (3.0 + 2.5) / 8 = 0.6875. US residency: a1 -> 0.25, weighted 3/8 = 0.375. HHI over the three known
    # controllers at 25 % each: 3 * 25^2 = 1875.
    def share(ref: ControllerRef, criticality: float) -> ControllerShare:
        return ControllerShare(controller=ref, applications=1, share=0.25, criticality_share=criticality / 8)

    return Portfolio(
        applications=4,
        matched_share=0.75,
        unknown_share=0.25,
        us_lawful_access_share=0.5,
        us_residency_share=0.25,
        us_continuity_share=0.5,
        us_lawful_access_weighted=0.6875,
        us_residency_weighted=0.375,
        us_continuity_weighted=0.6875,
        non_eu_lawful_access_share=0.25,
        seal_distribution={"0": 1, "1": 0, "2": 1, "3": 0, "4": 1, "unknown": 1},
        # Deliberately not in display order: the report sorts.
        concentration=(
            share(ControllerRef(id="unknown", name="unknown", country=None), 0.5),
            share(ControllerRef(id="self", name="Gemeente Voorbeeld", country="NL"), 2.0),
            share(ControllerRef(id="salesforce-inc", name="Salesforce, Inc.", country="US"), 3.0),
            share(ControllerRef(id="acme-zaak", name="Acme Zaak B.V.", country="NL"), 2.5),
        ),
        hhi=1875.0,
    )


def _policy() -> Policy:
    checked = "2026-11-23"
    return Policy(
        id="test-policy",
        name="Test policy",
        description="Rules for the report tests.",
        file="policies/test.yaml",
        seal_weights=WeightSet(
            id="eu-csf-2025",
            name="EU Cloud Sovereignty Framework v1.2.1 (October 2025)",
            weights=_WEIGHTS,
            sources=(Source(url="https://example.org/csf", title="CSF weights", checked=checked),),
            confidence=Confidence.REPORTED,
        ),
        criticality=CriticalityModel(),
        rules=(
            Rule(
                id="residency-personal-data",
                kind="residency",
                severity="error",
                explanation="Personal data stays in the EU or EEA.",
                applies_to=Selector(personal_data=True),
                allowed=("eu", "eea"),
                sources=(Source(url=RULE_SOURCE_URL, title="GDPR chapter V", checked=checked),),
            ),
            Rule(
                id="min-seal-critical",
                kind="min-seal",
                severity="warning",
                explanation="Business-critical applications reach SEAL 3.",
                applies_to=Selector(business_critical=True),
                min_seal=3,
            ),
            Rule(
                id="exit-plan-below-seal-2",
                kind="exit-plan",
                severity="warning",
                explanation="Below SEAL 2 an exit plan is needed.",
                below_seal=2,
                # A policy file is user input too.
                sources=(Source(url="javascript:alert(2)", title=HOSTILE_NAME, checked=checked),),
            ),
            Rule(
                id="forbidden-jurisdiction",
                kind="forbidden-jurisdiction",
                severity="error",
                explanation="No lawful access from hostile states.",
                countries=("CN", "RU"),
                axis="lawful_access",
            ),
            Rule(
                id="controller-share",
                kind="controller-share",
                severity="warning",
                explanation="No controller holds more than a quarter of the criticality.",
                max_share=0.25,
                measure="criticality",
            ),
        ),
    )


def _findings() -> tuple[Finding, ...]:
    # Policy order, then application id, as the policy engine sorts them.
    return (
        Finding(
            rule_id="residency-personal-data",
            kind="residency",
            severity="error",
            message="Klantcontactsysteem: data is in US, outside eu, eea",
            app_id="a1",
            evidence=((*_SF, "data_in", "country:US"),),
            detail=(("countries", "US"),),
        ),
        Finding(
            rule_id="min-seal-critical",
            kind="min-seal",
            severity="warning",
            message="Klantcontactsysteem: SEAL 0 is below the required 3 (seal-0-non-eu-operator)",
            app_id="a1",
            evidence=(_SF_US,),
            detail=(("required", "3"), ("seal", "0")),
        ),
        Finding(
            rule_id="min-seal-critical",
            kind="min-seal",
            severity="warning",
            message="Zaaksysteem: SEAL 2 is below the required 3 (seal-2-non-eu-infrastructure)",
            app_id="a2",
            evidence=(_ZAAK_NL, _ZAAK_US),
            detail=(("required", "3"), ("seal", "2")),
        ),
        Finding(
            rule_id="exit-plan-below-seal-2",
            kind="exit-plan",
            severity="warning",
            message=f"{HOSTILE_NAME}: SEAL unknown is below 2 and the inventory records no exit plan",
            app_id="a4",
            evidence=(("application:a4",),),
            detail=(("exit_plan", ""), ("seal", "unknown")),
        ),
        Finding(
            rule_id="controller-share",
            kind="controller-share",
            severity="warning",
            message="Salesforce, Inc. (US) holds 37.5% of the criticality, above 25%",
            applications=("a1",),
            detail=(("controller", "salesforce-inc"), ("share", "0.3750"), ("measure", "criticality")),
        ),
    )


def _scenarios() -> tuple[ScenarioOutcome, ...]:
    klant = StoppedApplication(
        app_id="a1",
        name="Klantcontactsysteem",
        department="Publiekszaken",
        criticality=3.0,
        via=_SF_US,
        direct=True,
    )
    zaak = StoppedApplication(
        app_id="a2",
        name="Zaaksysteem",
        department="Burgerzaken & Publiekszaken — Súdwest",
        criticality=2.5,
        via=_ZAAK_US,
        direct=True,
    )
    return (
        # (3.0 + 2.5) / 8 = 0.6875 of the criticality; a4 is unknown, a3 keeps working.
        ScenarioOutcome(
            id="us-services-stop",
            cut=("country:US",),
            stopped=(zaak, klant),
            uncertain=("a4",),
            unaffected=1,
            criticality_stopped=5.5,
            criticality_share=0.6875,
        ),
        ScenarioOutcome(
            id="largest-controller-withdraws",
            cut=("entity:salesforce-inc",),
            stopped=(replace(klant, via=(*_SF, "operated_by", "entity:salesforce-inc")),),
            uncertain=("a4",),
            unaffected=2,
            criticality_stopped=3.0,
            criticality_share=0.375,
        ),
    )


def _single_points() -> tuple[SinglePoint, ...]:
    # Deliberately not sorted: the report sorts by share of criticality.
    return (
        SinglePoint(
            node="application:a4",
            kind="application",
            applications=("a4",),
            criticality=0.5,
            criticality_share=0.0625,
            example=("application:a4",),
        ),
        SinglePoint(
            node="entity:salesforce-inc",
            kind="entity",
            applications=("a1",),
            criticality=3.0,
            criticality_share=0.375,
            example=(*_SF, "operated_by", "entity:salesforce-inc"),
        ),
        SinglePoint(
            node="entity:microsoft-corp",
            kind="entity",
            applications=("a2",),
            criticality=2.5,
            criticality_share=0.3125,
            example=_ZAAK_US[:-2],
            equivalent=("region:azure-westeurope", "entity:microsoft-ireland"),
        ),
    )


def _moved(
    before: ApplicationAssessment, product: str, seal: int, controller: ControllerRef
) -> ApplicationAssessment:
    """The application as the pipeline would assess it on an alternative: here, Dutch on every axis."""
    dutch = AxisResult(
        countries=("NL",),
        paths=((f"application:{before.application.app_id}", "instance_of", f"product:{product}"),),
    )
    return replace(
        before,
        match=Match(product=product, method=MatchMethod.EXACT, score=1.0),
        lawful_access=dutch,
        residency=dutch,
        continuity=dutch,
        seal=seal,
        controller=controller,
    )


def _plan(assessments: dict[str, ApplicationAssessment]) -> Plan:
    alternatives = {a.id: a for a in _ALTERNATIVES}
    municipality = ControllerRef(id="self", name="Gemeente Voorbeeld", country="NL")
    acme = ControllerRef(id="acme-zaak", name="Acme Zaak B.V.", country="NL")
    klant, zaak, unknown = assessments["a1"], assessments["a2"], assessments["a4"]

    def option(
        alternative: str, before: ApplicationAssessment, seal: int, controller: ControllerRef, adopters: int
    ) -> MigrationOption:
        alt = alternatives[alternative]
        return MigrationOption(
            alternative=alt,
            after=_moved(before, alt.product, seal, controller),
            adopters_with_source=adopters,
            explanation="English text the report must not show",
        )

    baseline = _portfolio()
    # After the quick win a1 is Dutch (SEAL 3): US lawful access and continuity only through a2, 1/4. After wave 1
    # a2 is Dutch too (SEAL 4): nothing American left.
    after_quick_wins = replace(
        baseline,
        us_lawful_access_share=0.25,
        us_continuity_share=0.25,
        us_residency_share=0.0,
        seal_distribution={"0": 0, "1": 0, "2": 1, "3": 1, "4": 1, "unknown": 1},
    )
    after_wave_1 = replace(
        baseline,
        us_lawful_access_share=0.0,
        us_continuity_share=0.0,
        us_residency_share=0.0,
        seal_distribution={"0": 0, "1": 0, "2": 0, "3": 1, "4": 2, "unknown": 1},
    )
    return Plan(
        baseline=baseline,
        options=(
            ApplicationOptions(
                before=klant,
                findings=("residency-personal-data", "min-seal-critical"),
                # Ranked: the named replacement first; it asks for high effort, more than the plan allows.
                options=(
                    option("open-klant-crm", klant, 4, municipality, 2),
                    option("klantkern-crm", klant, 3, acme, 0),
                ),
                dependants=(),
            ),
            ApplicationOptions(
                before=zaak,
                findings=("min-seal-critical",),
                options=(option("open-zaak-zgw", zaak, 4, municipality, 1),),
                dependants=(),
            ),
            ApplicationOptions(
                before=unknown, findings=("exit-plan-below-seal-2",), options=(), dependants=()
            ),
        ),
        quick_wins=("a1",),
        # Deliberately not in order: the report sorts.
        waves=(
            Wave(number=1, moves=(("a2", "open-zaak-zgw"),), projected=after_wave_1),
            Wave(number=0, moves=(("a1", "klantkern-crm"),), projected=after_quick_wins),
        ),
        exits=(
            ExitOutline(
                app_id="a1",
                open_standards=(),
                target="open-klant-crm",
                dependants=(),
                stops_if_cut=("a1",),
                secure_now=(
                    "notice-period",
                    "exit-assistance",
                    "data-return-and-deletion",
                    "open-export-format",
                    "regular-export",
                    "subprocessor-changes",
                ),
            ),
        ),
        max_effort="medium",
    )


def build_result(**changes: Any) -> AuditResult:
    """The test result; keyword arguments replace fields of the ``AuditResult``."""
    assessments = _assessments()
    inventory = Inventory(
        applications=tuple(a.application for a in assessments),
        merged=(MergedRow(source=_loc(6), into=_loc(2)),),
        rejected=(RejectedRow(source=_loc(7), reason=f"column 'name' is empty: {HOSTILE_NAME}"),),
        rows_read=6,
        warnings=(f"inventory.csv:1: unknown column 'Opmerking {HOSTILE_NAME}' kept",),
    )
    result = AuditResult(
        tool_version="0.1.0",
        method_version="2026.1",
        catalog_digest="sha256:" + "c" * 64,
        date="2026-11-23",
        inputs=(InputFile(path="inventory.csv", sha256="a" * 64, rows=6),),
        accounting=Accounting(read=6, applications=4, merged=1, rejected=1),
        inventory=inventory,
        # Deliberately not sorted by id: the report sorts.
        assessments=(assessments[2], assessments[0], assessments[3], assessments[1]),
        portfolio=_portfolio(),
        labels=dict(LABELS),
        catalog=_catalog(),
        policy=_policy(),
        findings=_findings(),
        scenarios=_scenarios(),
        single_points=_single_points(),
        plan=_plan({a.application.app_id: a for a in assessments}),
    )
    return replace(result, **changes)


@pytest.fixture
def result() -> AuditResult:
    return build_result()


@pytest.fixture
def make_result() -> Callable[..., AuditResult]:
    return build_result
